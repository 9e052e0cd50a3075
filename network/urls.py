from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from network.base import views as base_views
from network.programme import views as programme_views

admin.site.site_header = settings.PORTAL_NAME + " administration"
admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = "Run the network"

urlpatterns = [
    path("", programme_views.home, name="home"),
    path("healthz", base_views.healthz, name="healthz"),
    path("directory/", programme_views.directory, name="directory"),
    path("invitations/new/", base_views.invitation_create, name="invitation_create"),
    path("invitations/<str:token>/", base_views.invitation_accept, name="invitation_accept"),
    path("account/my-data/", base_views.my_data, name="my_data"),
    path("", include("trusts.urls")),
    path("", include("network.programme.membership.urls")),
    path("", include("events.urls")),  # the events room: /events/, /cpd/, /certificates/, /calendar/
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
