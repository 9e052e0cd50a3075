"""`{% membership_status membership %}`: a membership's status badge
(network/programme/membership/rows.py), as the membership list's rows write it."""

from django import template

from network.programme.membership.rows import status_badge

register = template.Library()


@register.simple_tag
def membership_status(membership) -> str:
    return status_badge(membership)
