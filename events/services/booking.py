"""The booking lifecycle: book, approve or decline a request, cancel, confirm an offer.
Keyword-only, one transaction each, history with who made the change
(`_history_user`), emails through the outbox in the same transaction.

A person has at most one live booking per event (a conditional unique constraint); a
second submit returns the first booking instead of failing. Places are counted with
the event row locked (`events.services.places`).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.eligibility import audience_problem, uk_datetime, window_problem
from events.models import Booking, Event, Session
from events.rules import may_cancel_now, may_decide_by_link
from events.services import overlaps
from events.services.notifications import email_booking, email_confirmed, email_for_status, request_approval
from events.services.places import credited_to, lock, place_for, reload_locked, save
from events.services.waitlist import promote_locked
from network.base.models import User
from network.base.rules import NotAllowed, ensure
from trusts.models import Person

Status = Booking.Status


@transaction.atomic
def booking_create(*, event: Event, person: Person, by: User | None, session: Session | None = None) -> Booking:
    """Book `person` onto `event` (and `session`, if given), made by `by`: the person
    themself, a coordinator, or their trust's science lead (`events.book_for`); `by=None`
    is the system.

    Rules, checked with the event row locked:
    - a live booking for this person already exists → it is returned unchanged (a
      double submit books once);
    - the event must be scheduled and inside its booking window, and meant for the
      person's job role and academy phase; and where the network refuses overlapping
      bookings (`events.services.overlaps`), it must not clash with another of the
      person's live bookings; otherwise a ValidationError says why and nothing changes
      (where the network only warns, the pages warn before calling this);
    - a session must belong to the event;
    - `needs_approval` → pending approval, and the academy's head(s) of science and
      headteacher are emailed a link to approve or decline (the coordinators if the
      academy has none); the place is decided on approval;
    - otherwise confirmed if a place is free, else waitlisted with the reason: the event
      or the session is full, or the person's trust already holds `per_trust_cap` places.
    The booking is credited to the trust the academy belongs to today. A confirmation or
    waitlist email is queued.
    """
    if by is not None:
        ensure(by, "events.book_for", person, "You can book only for yourself or for people in your scope.")
    event, session = lock(event, session)
    existing = Booking.objects.filter(event=event, person=person, status__in=Booking.LIVE).first()
    if existing:
        return existing
    if session is not None and session.event_id != event.pk:
        raise ValidationError({"session": "That session is not part of this event."})
    problem = (
        window_problem(event=event)
        or audience_problem(event=event, person=person)
        or overlaps.refusal(person=person, event=event)
    )
    if problem:
        raise ValidationError(problem)
    academy, trust = credited_to(person)
    booking = Booking(
        event=event,
        session=session,
        person=person,
        trust_at_booking=trust,
        academy_at_booking=academy,
        booked_by=by,
    )
    if event.needs_approval:
        booking.status = Status.PENDING_APPROVAL
        booking.status_reason = "Waiting for approval by the academy's head of science or headteacher."
    else:
        reason = place_for(event=event, session=session, trust_id=trust.pk if trust else None)
        booking.status = Status.WAITLISTED if reason else Status.CONFIRMED
        booking.status_reason = reason or ""
        booking.confirmed_at = None if reason else timezone.now()
    try:
        with transaction.atomic():  # a savepoint: the constraint may refuse a racing twin
            save(booking, by, "Booked")
    except IntegrityError:
        existing = Booking.objects.filter(event=event, person=person, status__in=Booking.LIVE).first()
        if existing is None:
            raise
        return existing
    if booking.status == Status.PENDING_APPROVAL:
        request_approval(booking)
    else:
        email_for_status(booking)
    return booking


def _place_now(booking: Booking, by: User | None, reason: str) -> None:
    """Confirm or waitlist a booking (event row already locked)."""
    why = place_for(event=booking.event, session=booking.session, trust_id=booking.trust_at_booking_id)
    if why:
        booking.status, booking.status_reason = Status.WAITLISTED, why
    else:
        booking.status, booking.status_reason, booking.confirmed_at = Status.CONFIRMED, "", timezone.now()
    save(booking, by, reason)
    email_for_status(booking)


@transaction.atomic
def booking_approve(*, booking: Booking, by: User | None, approver: Person | None = None) -> Booking:
    """Approve a booking awaiting approval. `by` must be a coordinator or a head of
    science/headteacher of the person's academy; `approver` is that person when they
    used the emailed link without signing in. The place is then decided as for a new
    booking (confirmed, or waitlisted with the reason) and the person is emailed. A
    booking no longer awaiting approval is returned unchanged (a double click). Once the
    event has started a request cannot be approved (a ValidationError says so and
    nothing changes); it can still be declined, which closes it and tells the person."""
    booking = reload_locked(booking)
    _check_decider(booking, by, approver)
    if booking.status != Status.PENDING_APPROVAL:
        return booking
    if booking.event.is_cancelled:
        raise ValidationError("This event has been cancelled.")
    if timezone.now() >= booking.event.starts_at:
        raise ValidationError(
            f"This event started on {uk_datetime(booking.event.starts_at)}, so the request can no longer be approved. "
            "You can decline it to close it."
        )
    booking.approved_by = by
    booking.approver = approver
    booking.approved_at = timezone.now()
    _place_now(booking, by, f"Approved by {approver or by}")
    return booking


@transaction.atomic
def booking_decline(*, booking: Booking, by: User | None, approver: Person | None = None) -> Booking:
    """Decline a booking awaiting approval (same deciders as `booking_approve`). The
    person is told. A booking no longer awaiting approval is returned unchanged. Unlike
    approval, declining is allowed after the event has started: it takes no place, and it
    is how a request nobody answered in time is closed (the person learns where they
    stand and it leaves the approvers' list)."""
    booking = reload_locked(booking)
    _check_decider(booking, by, approver)
    if booking.status != Status.PENDING_APPROVAL:
        return booking
    booking.status = Status.DECLINED
    booking.status_reason = f"Not approved by {approver or by}."
    booking.declined_by = by
    booking.approver = approver
    booking.declined_at = timezone.now()
    save(booking, by, f"Declined by {approver or by}")
    email_booking(booking, "declined", "booking_declined")
    return booking


def _check_decider(booking: Booking, by: User | None, approver: Person | None) -> None:
    refusal = "Only the academy's head of science or headteacher can decide this request."
    if approver is not None:
        if not may_decide_by_link(approver, booking):
            raise NotAllowed(refusal)
        return
    if by is None:
        raise NotAllowed(refusal)
    ensure(by, "events.decide_booking", booking, refusal)


@transaction.atomic
def booking_cancel(*, booking: Booking, by: User | None, reason: str = "") -> Booking:
    """Cancel a live booking, by the person, whoever booked it for them, or a
    coordinator. A confirmed place may be given up until the event's cancellation
    cut-off, a place in the queue until the start; after that a ValidationError says so
    and nothing changes (coordinators are not bound by the cut-off: they handle the late
    phone call). Cancelling twice is harmless. The person is emailed, and a freed place
    goes to the waitlist (`waitlist_promote`)."""
    booking = reload_locked(booking)
    if not booking.is_live:
        return booking
    if by is not None:
        ensure(by, "events.cancel_booking", booking, "You cannot cancel this booking.")
    if not (may_cancel_now(by, booking) if by is not None else booking.can_cancel()):
        if booking.status == Status.CONFIRMED:
            raise ValidationError(
                f"Bookings for this event could be cancelled until {uk_datetime(booking.event.cancellation_deadline)}. "
                "Please contact the network coordinator if you can no longer attend."
            )
        raise ValidationError("This event has started, so the booking can no longer be cancelled.")
    held_place = booking.status in Booking.HOLDS_PLACE
    booking.status = Status.CANCELLED
    booking.status_reason = reason or "Cancelled"
    booking.cancelled_at = timezone.now()
    booking.cancelled_by = by
    booking.offer_expires_at = None
    save(booking, by, "Cancelled")
    email_booking(booking, "cancelled", "booking_cancelled")
    if held_place:
        promote_locked(booking.event, by=by)
    return booking


@transaction.atomic
def booking_confirm_offer(*, booking: Booking, by: User | None) -> Booking:
    """Accept an offered place before it expires: the booking is confirmed and the
    person emailed. A confirmed booking is returned unchanged (a double click); an
    expired or withdrawn offer is refused with a clear message."""
    booking = reload_locked(booking)
    if by is not None:
        ensure(by, "events.confirm_offer", booking, "You cannot confirm this booking.")
    if booking.status == Status.CONFIRMED:
        return booking
    if booking.status != Status.OFFERED:
        raise ValidationError("There is no place on offer for this booking.")
    if booking.offer_expires_at <= timezone.now():
        raise ValidationError(
            f"Sorry, this offer expired on {uk_datetime(booking.offer_expires_at)} and the place is going to the next person."
        )
    booking.status = Status.CONFIRMED
    booking.status_reason = ""
    booking.confirmed_at = timezone.now()
    booking.offer_expires_at = None
    save(booking, by, "Offer accepted")
    email_confirmed(booking)
    return booking
