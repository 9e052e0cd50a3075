"""The impact room's back office: each part registers its own models."""

# -- Dashboards, KPIs and the six-lens review (issue 12) -------------------------------
from impact.dashboards import admin as dashboards_admin  # noqa: F401
from impact.reviews import admin as reviews_admin  # noqa: F401
