"""Places: the locks and counts every write that can take or free a place goes through.

Capacity is enforced in the database: every such write locks the event row first
(`select_for_update`), then the session row, always in that order, so concurrent
bookings queue on the lock and count what the others committed.
"""

from django.db.models import Count, Q
from django.utils import timezone

from events.models import Booking, Event, Session
from network.base.models import User
from trusts.models import Academy, Person, Trust
from trusts.services import trust_on


def credited_to(person: Person) -> tuple[Academy | None, Trust | None]:
    """The academy and the trust a booking made today is credited to."""
    academy = person.academy
    if academy is None:
        return None, person.trust
    trust = trust_on(academy=academy, day=timezone.localdate()) or academy.trust
    return academy, trust


def place_for(*, event: Event, session: Session | None, trust_id: int | None, exclude_pk=None) -> str | None:
    """With the event (and session) rows locked: None when a place is free for a
    booking credited to `trust_id`, otherwise why not (the waitlist reason)."""
    holding = Booking.objects.filter(event=event, status__in=Booking.HOLDS_PLACE).exclude(pk=exclude_pk)
    aggregates = {"total": Count("pk")}
    if trust_id:
        aggregates["trust"] = Count("pk", filter=Q(trust_at_booking_id=trust_id))
    if session is not None:
        aggregates["session"] = Count("pk", filter=Q(session=session))
    counts = holding.aggregate(**aggregates)
    if counts["total"] >= event.capacity:
        return "The event is full."
    if session is not None and counts["session"] >= session.capacity:
        return f"The session “{session.title}” is full."
    if trust_id and event.per_trust_cap is not None and counts["trust"] >= event.per_trust_cap:
        return (
            f"Your trust already holds {event.per_trust_cap} place{'s' if event.per_trust_cap != 1 else ''}, "
            "the most one trust may hold for this event, so places stay open to other trusts."
        )
    return None


def lock(event: Event, session: Session | None = None) -> tuple[Event, Session | None]:
    """Lock the event row, then the session row (always in this order)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if session is not None:
        session = Session.objects.select_for_update().get(pk=session.pk)
    return event, session


def save(booking: Booking, by: User | None, reason: str = "") -> None:
    booking._history_user = by
    if reason:
        booking._change_reason = reason
    booking.save()


def reload_locked(booking: Booking) -> Booking:
    event, _ = lock(booking.event)
    booking = (
        Booking.objects.select_for_update(of=("self",)).select_related("session", "person__academy").get(pk=booking.pk)
    )
    booking.event = event
    return booking
