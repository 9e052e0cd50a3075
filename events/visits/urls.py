"""URLs for academy visits, included by `events.urls` (so in the `events:` namespace)."""

from django.urls import path

from events.visits import views

urlpatterns = [
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/request/", views.visit_request, name="visit_request"),
    path("visits/brokering/", views.visit_queue, name="visit_queue"),
    path("visits/brokering/annual/", views.visits_annual, name="visits_annual"),
    path("visits/coverage/", views.visit_coverage, name="visit_coverage"),
    path("visits/trusts/<int:pk>/", views.trust_visits, name="trust_visits"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/broker/", views.visit_broker, name="visit_broker"),
    path("visits/<int:pk>/cancel/", views.visit_cancel, name="visit_cancel"),
    path("visits/<int:pk>/complete/", views.visit_complete, name="visit_complete"),
    path("visits/<int:pk>/report/", views.visit_report_edit, name="visit_report_edit"),
    path("visits/<int:pk>/report/review/", views.visit_report_review, name="visit_report_review"),
    path("visits/<int:pk>/report.pdf", views.visit_report_pdf, name="visit_report_pdf"),
    path("visits/<int:pk>/visit.ics", views.visit_ics, name="visit_ics"),
    path("visits/actions/<int:pk>/", views.action_update, name="visit_action_update"),
]
