"""The evidence log's pages, in the `impact:` namespace (mounted under /impact/)."""

from django.urls import path

from impact.evidence import views

urlpatterns = [
    path("evidence/", views.evidence_log, name="evidence_log"),
    path("evidence/new/", views.claim_create, name="claim_create"),
    path("evidence/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("evidence/<int:pk>/add/", views.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/attach-grant-report/", views.grant_outcome_attach, name="grant_outcome_attach"),
    path("evidence/<int:pk>/attach-visit-report/", views.visit_report_attach, name="visit_report_attach"),
    path("evidence/files/<int:pk>/", views.evidence_attachment, name="evidence_attachment"),
    path("surveys/<int:pk>/attach/", views.survey_attach, name="survey_attach"),
]
