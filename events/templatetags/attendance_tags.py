from django import template

from events.attendance import may_take_register as _may_take_register

register = template.Library()


@register.filter
def may_take_register(user, event) -> bool:
    """{% if user|may_take_register:event %}: the coordinator or the event's hub lead."""
    return _may_take_register(user, event)
