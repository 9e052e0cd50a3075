"""The impact room's models, gathered so Django registers them under the `impact` label;
each part keeps its models in its own sub-package (surveys/, evidence/, dashboards/)."""

# -- Dashboards, KPIs and the six-lens review (issue 12) -------------------------------
from impact.dashboards.models import Objective  # noqa: E402, F401
from impact.reviews.models import LensRating, LensReview, ReviewComment  # noqa: E402, F401
