"""Template tags of the impact room: a person's open surveys (on their home page, which
the network room renders without importing impact) and the one-click "attach as
evidence" form on survey results."""

from django import template

from impact.evidence import selectors as evidence_selectors
from impact.surveys import selectors as survey_selectors
from network.base.rules import has

register = template.Library()

HOME_LIMIT = 5


@register.inclusion_tag("impact/surveys/includes/open_surveys.html", takes_context=True)
def my_open_surveys(context):
    """The signed-in person's surveys waiting for an answer."""
    user = context["user"]
    if not has(user, "impact.answer_surveys"):
        return {"invitations": [], "shown": False}
    invitations = survey_selectors.home_invitations(user, limit=HOME_LIMIT + 1)
    return {"invitations": invitations[:HOME_LIMIT], "more": len(invitations) > HOME_LIMIT, "shown": True}


@register.inclusion_tag("impact/evidence/includes/attach_survey.html", takes_context=True)
def attach_survey_result(context, survey, results):
    """One click to attach this result, as filtered, to a claimed change the user may
    add evidence to."""
    request = context["request"]
    user = request.user
    return {
        "survey": survey,
        "results": results,
        "claims": evidence_selectors.claims_to_attach_to(user) if has(user, "impact.open_evidence") else [],
        "query": request.GET.urlencode(),
        "csrf_token": context.get("csrf_token"),
    }


CONFIDENCE_CLASSES = {
    "none": "text-bg-light border",
    "anecdotal": "text-bg-warning",
    "corroborated": "text-bg-info",
    "triangulated": "text-bg-success",
}


@register.filter
def confidence_class(level: str) -> str:
    return CONFIDENCE_CLASSES.get(level, "text-bg-light")


@register.filter
def months(value) -> str:
    if value is None:
        return "–"
    return f"{value} month{'s' if value != 1 else ''}"
