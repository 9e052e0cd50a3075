"""Django's admin autodiscovery looks here; each part registers its own models."""

# -- Surveys and the evidence log (issue 11) -------------------------------------------
# -- end of surveys and the evidence log ---------------------------------------------
# -- Dashboards, KPIs and the six-lens review (issue 12) -------------------------------
from impact.dashboards import admin as dashboards_admin  # noqa: F401
from impact.evidence import admin as evidence_admin  # noqa: F401
from impact.surveys import admin as survey_admin  # noqa: F401
