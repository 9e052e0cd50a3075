from django import template

from events.attendance import may_take_register as _may_take_register
from events.certificates import format_hours

register = template.Library()


@register.filter
def may_take_register(user, event) -> bool:
    """{% if user|may_take_register:event %}: the coordinator or the event's hub lead."""
    return _may_take_register(user, event)


@register.filter
def hours(value) -> str:
    """CPD hours as people write them: 1.5, 2, 0.75 (None → 0)."""
    return format_hours(value or 0)
