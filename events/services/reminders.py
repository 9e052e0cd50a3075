"""Sweeps before and after an event: reminders and the joining link before it, the
evaluation survey marked due after it. Each is idempotent (outbox keys, or a field
set once), so a rerun, a retry or a second worker is harmless."""

import datetime
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from events.models import Booking, Event
from events.services.notifications import JOINING_LINK_BEFORE, email_booking
from network.base.models import OutboxMessage

# Reminders before the start: (kind, how long before). The joining link goes to
# confirmed attendees of online events JOINING_LINK_BEFORE (an hour) before.
REMINDERS = (("reminder-7d", timedelta(days=7)), ("reminder-1d", timedelta(days=1)))
SURVEY_DUE_WITHIN = timedelta(days=30)

Status = Booking.Status


def _already_queued(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), 500):  # keep under SQLite's limit on query parameters
        found.update(OutboxMessage.objects.filter(key__in=keys[i : i + 500]).values_list("key", flat=True))
    return found


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Sweep: queue what is due, once per (booking, kind) – the outbox key makes a rerun,
    a retry or a second worker harmless. For confirmed bookings of scheduled events:
    - the 7-day reminder from 7 days before until 1 day before, and the 1-day reminder
      in the last day, each only to people already booked when it came due (someone
      who books three days before has just had a confirmation);
    - for online events with a joining link, the link from an hour before until the end.
    Returns how many were queued."""
    now = now or timezone.now()
    queued = 0
    base = Booking.objects.filter(status=Status.CONFIRMED, event__status=Event.Status.SCHEDULED).select_related(
        "event", "person"
    )
    due: list[tuple[Booking, str, str]] = []
    lower = timedelta(0)
    for kind, before in sorted(REMINDERS, key=lambda r: r[1]):  # shortest window first
        window = base.filter(event__starts_at__gt=now + lower, event__starts_at__lte=now + before)
        due.extend(
            (b, kind, "reminder")
            for b in window
            if b.confirmed_at is None or b.confirmed_at <= b.event.starts_at - before
        )
        lower = before
    links = base.filter(
        event__is_online=True, event__starts_at__lte=now + JOINING_LINK_BEFORE, event__ends_at__gt=now
    ).exclude(event__joining_link="")
    due.extend((b, "joining-link", "joining_link") for b in links)
    sent = _already_queued([f"booking:{b.pk}:{kind}" for b, kind, _ in due])
    for booking, kind, template in due:
        if f"booking:{booking.pk}:{kind}" in sent:
            continue
        with transaction.atomic():
            email_booking(booking, kind, template, reminder=kind)
        queued += 1
    return queued


def surveys_mark_due(*, now: datetime.datetime | None = None) -> int:
    """Sweep: once an event has ended, record that its attendees' evaluation survey is
    due (`Booking.survey_due_at`); the impact room sends the invitations. Attendees are
    confirmed bookings not marked absent on the register (a register is not always
    taken). Only events that ended in the last SURVEY_DUE_WITHIN count, so the first run
    does not invite everyone to every past event. Safe to run twice."""
    now = now or timezone.now()
    return (
        Booking.objects.filter(
            status=Status.CONFIRMED,
            event__status=Event.Status.SCHEDULED,
            event__ends_at__lte=now,
            event__ends_at__gt=now - SURVEY_DUE_WITHIN,
            survey_due_at__isnull=True,
        )
        .exclude(attendance__attended=False)
        .update(survey_due_at=now)
    )
