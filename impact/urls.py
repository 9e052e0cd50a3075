"""The impact room's pages, all in the `impact:` namespace. Each part adds its own
`urlpatterns` here (surveys and evidence; dashboards and the report)."""

app_name = "impact"

urlpatterns = []

# -- Surveys and the evidence log (issue 11) -------------------------------------------
from impact.evidence import urls as evidence_urls  # noqa: E402
from impact.surveys import urls as survey_urls  # noqa: E402

urlpatterns += [*survey_urls.urlpatterns, *evidence_urls.urlpatterns]
# -- end of surveys and the evidence log ---------------------------------------------
