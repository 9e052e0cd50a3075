from django.urls import path

from network.programme.membership import views

urlpatterns = [
    path("membership/", views.membership_list, name="membership_list"),
    path("membership/outcomes/", views.membership_outcomes, name="membership_outcomes"),
    path("membership/academies/<int:urn>/", views.membership_academy, name="membership_academy"),
    path("membership/<int:pk>/accept/", views.membership_accept, name="membership_accept"),
    path("membership/apply/", views.membership_apply, name="membership_apply"),
    path(
        "membership/applications/<int:pk>/", views.membership_application_detail, name="membership_application_detail"
    ),
    path(
        "membership/applications/<int:pk>/decide/",
        views.membership_application_decide,
        name="membership_application_decide",
    ),
    path("membership/evidence/<int:pk>/", views.membership_evidence_download, name="membership_evidence_download"),
    path("membership/referrals/", views.steering_referrals, name="steering_referrals"),
    path("membership/reviews/", views.membership_reviews, name="membership_reviews"),
    path("membership/reviews/start/", views.membership_review_start, name="membership_review_start"),
    path("membership/reviews/<int:pk>/", views.membership_review_detail, name="membership_review_detail"),
    path("membership/growth/", views.membership_growth, name="membership_growth"),
    path("membership/invite/", views.membership_invite, name="membership_invite"),
    path("membership/invoices.csv", views.membership_invoices_csv, name="membership_invoices_csv"),
]
