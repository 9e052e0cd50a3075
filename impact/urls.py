"""The impact room's pages, all in the `impact:` namespace. Each part adds its own
`urlpatterns` here (surveys and evidence; dashboards and the report)."""

app_name = "impact"

urlpatterns = []
