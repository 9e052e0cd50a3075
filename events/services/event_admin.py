"""What a coordinator does to an event as a whole: cancel it (every booking with it),
or copy it as the next of a series."""

import datetime
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from events.models import Booking, Event, Session
from events.services.notifications import email_booking
from events.services.places import lock, save
from network.base.models import User

Status = Booking.Status


@transaction.atomic
def event_cancel(*, event: Event, by: User | None, reason: str) -> Event:
    """Cancel an event: every live booking is cancelled and each person told once (the
    outbox key is per booking). Cancelling a cancelled event changes nothing."""
    event, _ = lock(event)
    if event.is_cancelled:
        return event
    event.status = Event.Status.CANCELLED
    event.cancelled_at = timezone.now()
    event.cancelled_reason = reason
    event._history_user = by
    event.save()
    for booking in (
        Booking.objects.select_for_update(of=("self",))
        .filter(event=event, status__in=Booking.LIVE)
        .select_related("person")
    ):
        booking.event = event
        booking.status = Status.CANCELLED
        booking.status_reason = "The event was cancelled."
        booking.cancelled_at = event.cancelled_at
        booking.cancelled_by = by
        booking.offer_expires_at = None
        save(booking, by, "Event cancelled")
        email_booking(booking, "event-cancelled", "event_cancelled", reason=reason)
    return event


@transaction.atomic
def event_duplicate(
    *,
    event: Event,
    by: User | None,
    shift_days: int | None = None,
    starts_at: datetime.datetime | None = None,
) -> Event:
    """Copy an event (the next of a termly webinar series) with its sessions, moved by
    `shift_days` or to start at `starts_at`; the booking window and sessions move by the
    same amount. The copy is scheduled, has no bookings, and records `duplicated_from`
    and the series name."""
    if (shift_days is None) == (starts_at is None):
        raise ValueError("Give exactly one of shift_days or starts_at.")
    delta = timedelta(days=shift_days) if shift_days is not None else starts_at - event.starts_at

    def moved(dt):
        return dt + delta if dt else dt

    copy = Event(
        kind=event.kind,
        title=event.title,
        description=event.description,
        network_id=event.network_id,
        hub_id=event.hub_id,
        starts_at=moved(event.starts_at),
        ends_at=moved(event.ends_at),
        is_online=event.is_online,
        venue=event.venue,
        joining_link=event.joining_link,
        capacity=event.capacity,
        booking_opens_at=moved(event.booking_opens_at),
        booking_closes_at=moved(event.booking_closes_at),
        cancel_until_hours=event.cancel_until_hours,
        audience_roles=list(event.audience_roles),
        audience_phases=list(event.audience_phases),
        cpd_hours=event.cpd_hours,
        per_trust_cap=event.per_trust_cap,
        needs_approval=event.needs_approval,
        duplicated_from=event,
        series=event.series or event.title,
        created_by=by,
    )
    copy.full_clean()
    copy._history_user = by
    copy.save()
    Session.objects.bulk_create(
        Session(
            event=copy,
            title=s.title,
            description=s.description,
            room=s.room,
            capacity=s.capacity,
            starts_at=s.starts_at + delta,
            ends_at=s.ends_at + delta,
        )
        for s in event.sessions.all()
    )
    if not event.series:
        event.series = copy.series
        event._history_user = by
        event.save(update_fields=["series", "updated_at"])
    return copy
