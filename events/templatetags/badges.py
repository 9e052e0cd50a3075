"""`{% status_badge booking.status %}`: a booking's status as a badge.

A tag rather than an include: the badge is written on every row of the bookings, event
and approval lists, and an include per row (a context push and six comparisons) cost
more than the row's other cells (speed, issue 14). The event list's rows, written in
Python (events/event_rows.py), take the same badges from `BADGES`."""

from django import template
from django.utils.safestring import SafeString

from events.models import Booking

register = template.Library()

_STATUS = Booking.Status
# Each status's colour; its words are the status's own label.
TONES = {
    _STATUS.CONFIRMED: "success",
    _STATUS.WAITLISTED: "warning",
    _STATUS.OFFERED: "info",
    _STATUS.PENDING_APPROVAL: "secondary",
    _STATUS.CANCELLED: "light",
    _STATUS.DECLINED: "light",
}
BADGES = {
    status.value: SafeString(f'<span class="badge text-bg-{tone}">{status.label}</span>')
    for status, tone in TONES.items()
}


@register.simple_tag
def status_badge(status) -> str:
    """The badge of `status` (a `Booking.Status` or its value); nothing for another value."""
    return BADGES.get(status, SafeString(""))
