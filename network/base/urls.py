"""The platform's pages: invitations, personal data, the health check."""

from django.urls import path

from network.base import mfa, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("account/my-data/", views.my_data, name="my_data"),
    path("privacy/", views.privacy, name="privacy"),
    # Before allauth's own accounts/ URLs (network/urls.py includes this room first).
    path("accounts/two-step-sign-in/", mfa.mfa_required, name="mfa_required"),
    # Speed (issue 14): the floor page of bench/http.py, signed in.
    path("healthz/session", views.healthz_session, name="healthz_session"),
]
