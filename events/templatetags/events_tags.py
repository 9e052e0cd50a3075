from django import template

from events import selectors
from events.exporters import format_hours
from network.base.rules import has
from trusts.models import JobRole, Phase

register = template.Library()


@register.filter
def role_labels(values) -> str:
    """["head_of_science", "ect"] -> "Head of science, Early career teacher (ECT)"."""
    return ", ".join(str(JobRole(v).label) for v in values or () if v in JobRole.values)


@register.filter
def phase_labels(values) -> str:
    return ", ".join(str(Phase(v).label) for v in values or () if v in Phase.values)


@register.inclusion_tag("events/includes/upcoming_bookings.html", takes_context=True)
def my_upcoming_bookings(context, limit=5):
    """The signed-in leader's next live bookings, for the home page."""
    user = context["user"]
    may_approve = has(user, "events.open_approvals")
    home = selectors.home_bookings(user, limit=limit, approvals=may_approve)
    return {"bookings": home["bookings"], "may_approve": may_approve, "approvals_waiting": home["waiting"]}


@register.filter
def hours(value) -> str:
    """CPD hours as people write them: 1.5, 2, 0.75 (None → 0)."""
    return format_hours(value or 0)
