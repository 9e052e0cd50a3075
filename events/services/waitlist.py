"""The waitlist: free places go to it first come first served, as a place or as an
offer to confirm in time; sweeps expire unconfirmed offers (the place moves on) and
requests nobody approved before the start."""

import datetime
from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from events.models import Booking, Event
from events.services.notifications import email_booking
from events.services.places import lock, save
from network.base.models import User

# A place freed close to the event is *offered*, with a time limit to confirm, rather than
# given: someone who joined a waitlist weeks ago may no longer be free. It is also offered
# whenever a confirmed place would leave the person less than OFFER_VALID_FOR before the
# cancellation cut-off to notice and give it up (`promotion_is_offer`). With the default
# cut-off (48 hours) both limits fall 72 hours before the start.
OFFER_WHEN_WITHIN = timedelta(hours=72)
OFFER_VALID_FOR = timedelta(hours=24)

Status = Booking.Status


@transaction.atomic
def waitlist_promote(*, event: Event, by: User | None = None) -> list[Booking]:
    """Give free places to the waitlist, first come first served (by `created_at`),
    skipping anyone whose trust is at its cap or whose session is full. If the event
    starts within OFFER_WHEN_WITHIN, or its cancellation cut-off is less than
    OFFER_VALID_FOR away (or past), the place is *offered* with OFFER_VALID_FOR to
    confirm (never beyond the start); otherwise it is confirmed. Each promoted person
    is emailed. Returns the bookings promoted."""
    event, _ = lock(event)
    return promote_locked(event, by=by)


def promotion_is_offer(event: Event, now: datetime.datetime) -> bool:
    """Whether a place freed at `now` is offered (to be confirmed in time) rather than
    confirmed outright: within OFFER_WHEN_WITHIN of the start, or once fewer than
    OFFER_VALID_FOR remain before the event's cancellation cut-off. Nobody is put into a
    place they could no longer give up without being asked first."""
    return now >= min(event.starts_at - OFFER_WHEN_WITHIN, event.cancellation_deadline - OFFER_VALID_FOR)


def promote_locked(event: Event, *, by: User | None) -> list[Booking]:
    if event.is_cancelled:
        return []
    now = timezone.now()
    if now >= event.starts_at:
        return []
    holding = Booking.objects.filter(event=event, status__in=Booking.HOLDS_PLACE)
    free = event.capacity - holding.count()
    if free <= 0:
        return []
    by_trust = dict(
        holding.exclude(trust_at_booking=None)
        .values_list("trust_at_booking")
        .annotate(n=Count("pk"))
        .values_list("trust_at_booking", "n")
    )
    by_session = dict(
        holding.exclude(session=None).values_list("session").annotate(n=Count("pk")).values_list("session", "n")
    )
    offer = promotion_is_offer(event, now)
    promoted = []
    queue = (
        Booking.objects.select_for_update(of=("self",))
        .filter(event=event, status=Status.WAITLISTED)
        .select_related("person", "session")
        .order_by("created_at", "pk")
    )
    for booking in queue:
        if free <= 0:
            break
        trust_id = booking.trust_at_booking_id
        if trust_id and event.per_trust_cap is not None and by_trust.get(trust_id, 0) >= event.per_trust_cap:
            continue
        if booking.session_id and by_session.get(booking.session_id, 0) >= booking.session.capacity:
            continue
        booking.event = event
        if offer:
            booking.status = Status.OFFERED
            booking.offered_at = now
            booking.offer_expires_at = min(now + OFFER_VALID_FOR, event.starts_at)
            booking.status_reason = "A place has come up: please confirm it before the offer expires."
            save(booking, by, "Promoted from the waitlist (offer)")
            email_booking(booking, "offer", "booking_offer")
        else:
            booking.status = Status.CONFIRMED
            booking.confirmed_at = now
            booking.status_reason = "Promoted from the waitlist."
            save(booking, by, "Promoted from the waitlist")
            email_booking(booking, "promoted", "booking_promoted")
        free -= 1
        if trust_id:
            by_trust[trust_id] = by_trust.get(trust_id, 0) + 1
        if booking.session_id:
            by_session[booking.session_id] = by_session.get(booking.session_id, 0) + 1
        promoted.append(booking)
    return promoted


def offers_expire(*, now: datetime.datetime | None = None) -> int:
    """Sweep: cancel offers not confirmed in time, tell the person, and offer the place
    to the next in the queue. Each event in its own transaction; safe to run twice.
    Returns how many offers expired."""
    now = now or timezone.now()
    expired = 0
    event_ids = (
        Booking.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    for event_id in list(event_ids):
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event_id)
            stale = Booking.objects.select_for_update(of=("self",)).filter(
                event=event, status=Status.OFFERED, offer_expires_at__lte=now
            )
            for booking in stale.select_related("person"):
                booking.event = event
                booking.status = Status.CANCELLED
                booking.status_reason = "The offer of a place expired before it was confirmed."
                booking.cancelled_at = now
                save(booking, None, "Offer expired")
                email_booking(booking, "offer-expired", "booking_offer_expired")
                expired += 1
            promote_locked(event, by=None)
    return expired


def requests_expire(*, now: datetime.datetime | None = None) -> int:
    """Sweep: a request nobody approved before the event started is closed as declined,
    and the person told, so it leaves the approvers' list and nobody waits on an answer
    that can no longer come. Safe to run twice (the email's key is per booking)."""
    now = now or timezone.now()
    closed = 0
    stale = Booking.objects.filter(status=Status.PENDING_APPROVAL, event__starts_at__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(stale):
        with transaction.atomic():
            booking = Booking.objects.select_for_update(of=("self",)).select_related("event", "person").get(pk=pk)
            if booking.status != Status.PENDING_APPROVAL:
                continue
            booking.status = Status.DECLINED
            booking.status_reason = "It was not approved before the event started."
            booking.declined_at = now
            save(booking, None, "Not approved before the event started")
            email_booking(booking, "declined", "booking_declined")
            closed += 1
    return closed
