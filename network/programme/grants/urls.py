from django.urls import path

from network.programme.grants import views

urlpatterns = [
    path("grants/", views.grant_rounds, name="grant_rounds"),
    path("grants/rounds/<int:pk>/", views.grant_round_detail, name="grant_round_detail"),
    path("grants/rounds/<int:pk>/bid/", views.grant_bid_create, name="grant_bid_create"),
    path("grants/bids/<int:pk>/", views.grant_bid_detail, name="grant_bid_detail"),
    path("grants/bids/<int:pk>/edit/", views.grant_bid_edit, name="grant_bid_edit"),
    path("grants/bids/<int:pk>/assign/", views.grant_bid_assign, name="grant_bid_assign"),
    path("grants/bids/<int:pk>/decide/", views.grant_bid_decide, name="grant_bid_decide"),
    path("grants/bids/<int:pk>/report/<slug:kind>/", views.grant_report, name="grant_report"),
    path("grants/endorse/<str:token>/", views.grant_endorse, name="grant_endorse"),
    path("grants/reviews/", views.grant_reviews, name="grant_reviews"),
    path("grants/reviews/<int:pk>/", views.grant_review, name="grant_review"),
    path("grants/outcomes/", views.grant_outcomes, name="grant_outcomes"),
    path("grants/outcomes/<int:pk>/", views.grant_outcome_detail, name="grant_outcome_detail"),
    path("grants/finance.csv", views.grant_finance_csv, name="grant_finance_csv"),
]
