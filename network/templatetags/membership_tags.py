"""`{% membership_status membership %}`: a membership's status badge, and
`{% reasons_list reasons %}`: an assessment's reasons (network/programme/membership/rows.py)."""

from django import template

from network.programme.membership import rows

register = template.Library()


@register.simple_tag
def membership_status(membership) -> str:
    return rows.status_badge(membership)


@register.simple_tag
def reasons_list(reasons) -> str:
    return rows.reasons_list(reasons)
