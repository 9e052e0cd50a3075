from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from network import mfa, views

admin.site.site_header = settings.PORTAL_NAME + " administration"
admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = "Run the network"
# One sign-in for the whole site: the admin's own login form was a second door with no
# attempt limits, no email verification and no second step. allauth's documented guard
# sends people to its sign-in page (and back), and refuses signed-in non-staff (403).
# https://docs.allauth.org/en/latest/common/admin.html
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("directory/", views.directory, name="directory"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("account/my-data/", views.my_data, name="my_data"),
    path("", include("trusts.urls")),
    path("", include("network.membership.urls")),
    path("events/", include("events.urls")),
    path("", include("events.urls_attendance")),
    path("accounts/two-step-sign-in/", mfa.mfa_required, name="mfa_required"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
