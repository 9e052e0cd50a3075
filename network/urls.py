from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from network import views

admin.site.site_header = settings.PORTAL_NAME + " administration"
admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = "Run the network"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("directory/", views.directory, name="directory"),
    path("directory/<int:pk>/", views.directory_person, name="directory_person"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("account/my-data/", views.my_data, name="my_data"),
    path("", include("trusts.urls")),
    path("", include("network.membership.urls")),
    path("events/", include("events.urls")),
    path("", include("events.urls_attendance")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
