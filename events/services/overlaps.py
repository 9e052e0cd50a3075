"""Bookings that clash in time, and what the network's policy says about them.

A person may hold live bookings (confirmed, offered, on the waitlist or awaiting
approval) for events whose times overlap: a webinar during a training day, two hub
meetings the same evening. Each network chooses (`Network.overlapping_bookings`):

- "warn" (the default): the person is shown the clash and may book anyway;
- "refuse": the booking is refused until the other is cancelled (`booking_create`
  enforces it, so booking on someone's behalf is refused too).

Times are half-open, [start, end): an event ending at 17:00 does not clash with one
starting at 17:00. Events that were cancelled, and bookings no longer live, never clash.
"""

from django.db.models import Q
from django.utils import timezone

from events.models import Booking, Event

WARN, REFUSE = "warn", "refuse"
BOOKING_FIELDS = tuple(field.name for field in Booking._meta.concrete_fields)


def _clashing(event: Event) -> Q:
    """Bookings for other scheduled events whose times overlap `event`'s."""
    return Q(
        event__status=Event.Status.SCHEDULED, event__starts_at__lt=event.ends_at, event__ends_at__gt=event.starts_at
    ) & ~Q(event_id=event.pk)


def overlapping_bookings(*, person, event: Event) -> list[Booking]:
    """The person's live bookings for other scheduled events whose times overlap
    `event`'s, earliest first (one query)."""
    if person is None:
        return []
    return list(
        Booking.objects.filter(_clashing(event), person=person, status__in=Booking.LIVE)
        .select_related("event")
        .order_by("event__starts_at", "pk")
    )


def own_booking_and_clashes(*, person, event: Event) -> tuple[Booking | None, list[Booking]]:
    """The person's live booking of `event` (the first made, with its session) and
    `overlapping_bookings`, from one query: the event page asked twice."""
    if person is None:
        return None, []
    rows = list(
        Booking.objects.filter(Q(event_id=event.pk) | _clashing(event), person=person, status__in=Booking.LIVE)
        .select_related("event", "session")
        # A clash is described by its event's title and times (`describe`) and the
        # page's own booking is given the page's event: the other events' ~30 columns
        # each were a fifth of the event page's query building (speed, issue 14).
        .only(
            *BOOKING_FIELDS,
            "event__title",
            "event__starts_at",
            "event__ends_at",
            "session__title",
            "session__starts_at",
        )
        .order_by("event__starts_at", "pk")
    )
    own = min((b for b in rows if b.event_id == event.pk), key=lambda b: b.pk, default=None)
    if own is not None:
        own.event = event
    return own, [b for b in rows if b.event_id != event.pk]


def describe(booking: Booking) -> str:
    """ "“Required practicals” (Tue 03/03/2026, 16:00 to 17:30, confirmed)"."""
    starts, ends = timezone.localtime(booking.event.starts_at), timezone.localtime(booking.event.ends_at)
    until = f"{ends:%H:%M}" if ends.date() == starts.date() else f"{ends:%a %d/%m/%Y %H:%M}"
    status = booking.get_status_display().split(" – ")[0].lower()
    return f"“{booking.event.title}” ({starts:%a %d/%m/%Y}, {starts:%H:%M} to {until}, {status})"


def policy(event: Event) -> str:
    return getattr(event.network, "overlapping_bookings", WARN) or WARN


def refusal(*, person, event: Event, clashes: list[Booking] | None = None) -> str | None:
    """Why the network's policy refuses this booking (it clashes and the policy is
    "refuse"), or None."""
    if policy(event) != REFUSE:
        return None
    clashes = overlapping_bookings(person=person, event=event) if clashes is None else clashes
    if not clashes:
        return None
    listed = "; ".join(describe(b) for b in clashes)
    return (
        f"This event overlaps another booking: {listed}. {event.network.name} does not allow overlapping "
        "bookings, so cancel that booking first if you would rather come to this event."
    )


def warning(clashes: list[Booking], *, whose: str = "your") -> str:
    """The warning shown before booking anyway (policy "warn")."""
    listed = "; ".join(describe(b) for b in clashes)
    return f"This event overlaps {whose} booking{'s' if len(clashes) != 1 else ''} for {listed}."
