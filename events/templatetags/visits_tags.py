"""Template helpers for visit pages and the role homes' visits panel."""

from django import template

from events.visits import selectors
from events.visits.policy import rating_label, strand_label
from network.base.rules import has

register = template.Library()

LOG_ACTIONS = {
    "request": "Requested",
    "propose": "Proposed",
    "schedule": "Scheduled",
    "reschedule": "Rescheduled",
    "cancel": "Cancelled",
    "complete": "Marked as completed",
    "submit_report": "Report submitted",
    "request_changes": "Changes asked for",
    "agree_report": "Report agreed",
    "close": "Closed",
    "action": "Action updated",
}


@register.inclusion_tag("events/visits/includes/home_panel.html", takes_context=True)
def visits_panel(context):
    user = context["user"]
    return {
        "user": user,
        "visits": selectors.home_visits(user),
        "may_request": has(user, "events.request_visit"),
    }


@register.filter
def strand(code: str) -> str:
    return strand_label(code)


@register.filter
def rating(code: str) -> str:
    return rating_label(code)


@register.filter
def overdue(action) -> bool:
    return action.is_overdue()


@register.filter
def log_action(code: str) -> str:
    return LOG_ACTIONS.get(code, code)
