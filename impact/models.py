"""The impact room's models, gathered so Django registers them under the `impact` label;
each part keeps its models in its own sub-package (surveys/, evidence/, dashboards/)."""

# -- Surveys and the evidence log (issue 11) -------------------------------------------
# -- end of surveys and the evidence log ---------------------------------------------
# -- Dashboards, KPIs and the six-lens review (issue 12) -------------------------------
from impact.dashboards.models import Objective  # noqa: E402, F401
from impact.evidence.models import Claim, EvidenceItem  # noqa: E402, F401
from impact.reviews.models import LensRating, LensReview, ReviewComment  # noqa: E402, F401
from impact.surveys.models import Answer, Question, Response, Section, Survey, SurveyInvitation  # noqa: E402, F401
