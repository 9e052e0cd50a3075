"""The impact room's pages, all in the `impact:` namespace. Each part adds its own
`urlpatterns` here (surveys and evidence; dashboards and the report)."""

app_name = "impact"

urlpatterns = []

# -- Surveys and the evidence log (issue 11) -------------------------------------------
from impact.evidence import urls as evidence_urls  # noqa: E402
from impact.surveys import urls as survey_urls  # noqa: E402

urlpatterns += [*survey_urls.urlpatterns, *evidence_urls.urlpatterns]
# -- end of surveys and the evidence log ---------------------------------------------
# -- Dashboards, KPIs, the six-lens review and the annual report (issue 12) ------------
from django.urls import path  # noqa: E402

from impact.dashboards import views as dashboards  # noqa: E402
from impact.report import views as report  # noqa: E402
from impact.reviews import views as reviews  # noqa: E402

urlpatterns += [
    path("dashboard/", dashboards.my_dashboard, name="dashboard"),
    path("dashboard/trusts/<int:pk>/", dashboards.trust_dashboard, name="trust_dashboard"),
    path("dashboard/networks/<slug:slug>/", dashboards.network_dashboard, name="network_dashboard"),
    path("networks/<slug:slug>/objectives/", dashboards.objectives, name="objectives"),
    path("networks/<slug:slug>/six-lens/", reviews.lens_reviews, name="lens_reviews"),
    path("six-lens/", reviews.lens_review_home, name="lens_review_home"),
    path("six-lens/<int:pk>/", reviews.lens_review_detail, name="lens_review_detail"),
    path("six-lens/<int:pk>/edit/", reviews.lens_review_edit, name="lens_review_edit"),
    path("six-lens/<int:pk>/comment/", reviews.lens_review_comment_add, name="lens_review_comment"),
    path("networks/<slug:slug>/report/", report.report, name="report"),
    path("networks/<slug:slug>/report/<str:fmt>/", report.report_download, name="report_download"),
]
