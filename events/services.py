"""Writes for CPD events and bookings. Keyword-only, one transaction each, history with
who made the change (`_history_user`), emails through the outbox in the same transaction.

Capacity is enforced in the database: every write that can take or free a place locks
the event row first (`select_for_update`), then the session row, always in that order,
so concurrent bookings queue on the lock and count what the others committed. A person
has at most one live booking per event (a conditional unique constraint); a second
submit returns the first booking instead of failing.
"""

import datetime
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from events import overlaps
from events.models import Booking, Event, Session
from network import outbox
from network.models import OutboxMessage, Role, User
from trusts.models import Academy, JobRole, Person, Phase, Trust
from trusts.services import trust_on

# A place freed close to the event is *offered*, with a time limit to confirm, rather than
# given: someone who joined a waitlist weeks ago may no longer be free. It is also offered
# whenever a confirmed place would leave the person less than OFFER_VALID_FOR before the
# cancellation cut-off to notice and give it up (`promotion_is_offer`). With the default
# cut-off (48 hours) both limits fall 72 hours before the start.
OFFER_WHEN_WITHIN = timedelta(hours=72)
OFFER_VALID_FOR = timedelta(hours=24)
# Reminders before the start: (kind, how long before). The joining link goes to
# confirmed attendees of online events an hour before.
REMINDERS = (("reminder-7d", timedelta(days=7)), ("reminder-1d", timedelta(days=1)))
JOINING_LINK_BEFORE = timedelta(hours=1)
APPROVER_ROLES = (JobRole.HEAD_OF_SCIENCE, JobRole.HEADTEACHER)
SURVEY_DUE_WITHIN = timedelta(days=30)
APPROVAL_LINK_SALT = "events.booking-approval"
APPROVAL_LINK_MAX_AGE = 60 * 60 * 24 * 30  # seconds; the event has usually happened by then

Status = Booking.Status


def _local(dt: datetime.datetime) -> str:
    return timezone.localtime(dt).strftime("%d/%m/%Y at %H:%M")


def _url(name: str, *args) -> str:
    return settings.PORTAL_BASE_URL + reverse(name, args=args)


# -- Rules a booking must pass ------------------------------------------------------


def _in_sentence(label) -> str:
    """A label as it reads mid-sentence: "Head of science" → "head of science", but
    "Early career teacher (ECT)" keeps its acronym and "SENCo" stays as it is."""
    label = str(label)
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def audience_problem(*, event: Event, person: Person) -> str | None:
    """Why `event` is not meant for `person` (their job role or their academy's phase),
    or None when it is."""
    if event.audience_roles and person.job_role not in event.audience_roles:
        labels = ", ".join(_in_sentence(JobRole(r).label) for r in event.audience_roles if r in JobRole.values)
        return (
            f"This event is for {labels or 'other roles'}, so it is not open to a "
            f"{_in_sentence(person.get_job_role_display())}. Please contact the network coordinator if you think this is wrong."
        )
    if event.audience_phases:
        phase = person.academy.phase if person.academy_id else None
        if phase not in event.audience_phases:
            labels = ", ".join(_in_sentence(Phase(p).label) for p in event.audience_phases if p in Phase.values)
            return f"This event is for {labels or 'other'} phase academies, so it is not open to your academy."
    return None


def window_problem(*, event: Event, now: datetime.datetime | None = None) -> str | None:
    """Why `event` cannot be booked now (cancelled, not open yet, closed), or None."""
    now = now or timezone.now()
    if event.is_cancelled:
        return "This event has been cancelled, so it cannot be booked."
    if event.booking_opens_at and now < event.booking_opens_at:
        return f"Booking for this event opens on {_local(event.booking_opens_at)}."
    if now >= event.booking_deadline:
        return f"Booking for this event closed on {_local(event.booking_deadline)}."
    return None


def credited_to(person: Person) -> tuple[Academy | None, Trust | None]:
    """The academy and the trust a booking made today is credited to (and so whose
    per-trust cap it counts against)."""
    academy = person.academy
    if academy is None:
        return None, person.trust
    trust = trust_on(academy=academy, day=timezone.localdate()) or academy.trust
    return academy, trust


def _place_for(*, event: Event, session: Session | None, trust_id: int | None, exclude_pk=None) -> str | None:
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


def _lock(event: Event, session: Session | None = None) -> tuple[Event, Session | None]:
    """Lock the event row, then the session row (always in this order)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if session is not None:
        session = Session.objects.select_for_update().get(pk=session.pk)
    return event, session


def _save(booking: Booking, by: User | None, reason: str = "") -> None:
    booking._history_user = by
    if reason:
        booking._change_reason = reason
    booking.save()


# -- Emails -------------------------------------------------------------------------


def _email(booking: Booking, kind: str, template: str, **context) -> None:
    outbox.enqueue(
        key=f"booking:{booking.pk}:{kind}",
        to=booking.person.email,
        template=f"events/email/{template}",
        context={
            "booking": booking,
            "event": booking.event,
            "person": booking.person,
            "event_url": _url("events:event_detail", booking.event_id),
            "my_bookings_url": _url("events:my_bookings"),
            **context,
        },
    )


def _email_confirmed(booking: Booking) -> None:
    """The confirmation, saying when the joining link of an online event will come: an
    hour before the start, or, when the start is nearer than that, at once, in its own
    email (the same one, and key, the reminder sweep would send later)."""
    event, now = booking.event, timezone.now()
    link_now = bool(event.is_online and event.joining_link and now >= event.starts_at - JOINING_LINK_BEFORE)
    _email(
        booking,
        "confirmed",
        "booking_confirmed",
        joining_link_at=event.starts_at - JOINING_LINK_BEFORE,
        joining_link_now=link_now,
        starts_in_minutes=max(0, int((event.starts_at - now).total_seconds() // 60)),
    )
    if link_now:
        _email(booking, "joining-link", "joining_link", reminder="joining-link")


def _email_for_status(booking: Booking) -> None:
    if booking.status == Status.CONFIRMED:
        _email_confirmed(booking)
    elif booking.status == Status.WAITLISTED:
        _email(booking, "waitlisted", "booking_waitlisted")


def approvers_for(person: Person):
    """Who approves `person`'s bookings: their academy's heads of science and
    headteachers (not themselves)."""
    if not person.academy_id:
        return Person.objects.none()
    return Person.objects.filter(academy_id=person.academy_id, job_role__in=APPROVER_ROLES).exclude(pk=person.pk)


def approval_token(*, booking: Booking, approver: Person) -> str:
    return signing.dumps({"b": booking.pk, "p": approver.pk}, salt=APPROVAL_LINK_SALT, compress=True)


def approval_from_token(token: str) -> tuple[Booking, Person] | None:
    """The booking and approver a signed link names, or None if it is forged or old."""
    try:
        data = signing.loads(token, salt=APPROVAL_LINK_SALT, max_age=APPROVAL_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    booking = Booking.objects.select_related("event", "person__academy", "session").filter(pk=data.get("b")).first()
    approver = Person.objects.filter(pk=data.get("p")).first()
    if booking is None or approver is None or approver not in approvers_for(booking.person):
        return None
    return booking, approver


def _request_approval(booking: Booking) -> None:
    approvers = list(approvers_for(booking.person))
    if approvers:
        for approver in approvers:
            outbox.enqueue(
                key=f"booking:{booking.pk}:approval-request:{approver.pk}",
                to=approver.email,
                template="events/email/approval_request",
                context={
                    "booking": booking,
                    "event": booking.event,
                    "person": booking.person,
                    "approver": approver,
                    "link": _url("events:approval_by_link", approval_token(booking=booking, approver=approver)),
                },
            )
        return
    # No one at the academy can approve: the coordinators decide instead.
    for user in User.objects.filter(role=Role.COORDINATOR, is_active=True):
        outbox.enqueue(
            key=f"booking:{booking.pk}:approval-request:user-{user.pk}",
            to=user.email,
            template="events/email/approval_request",
            context={
                "booking": booking,
                "event": booking.event,
                "person": booking.person,
                "approver": user,
                "link": _url("events:approvals"),
            },
        )


# -- Who may act for whom -----------------------------------------------------------


def person_trust_id(person: Person | None) -> int | None:
    if person is None:
        return None
    if person.academy_id:
        return person.academy.trust_id
    return person.trust_id


def is_trust_science_lead(user: User) -> bool:
    """A trust science (CPD) lead is a science-leader login whose person record has the
    job role 'trust science lead'; they may book on behalf of anyone in their trust."""
    return bool(
        user.is_authenticated
        and user.is_leader
        and user.person_id
        and user.person.job_role == JobRole.TRUST_SCIENCE_LEAD
        and person_trust_id(user.person)
    )


def is_approver(user: User) -> bool:
    """A head of science or headteacher with a login (approves their academy's requests)."""
    return bool(
        user.is_authenticated
        and user.is_leader
        and user.person_id
        and user.person.academy_id
        and user.person.job_role in APPROVER_ROLES
    )


def may_book_for(user: User, person: Person) -> bool:
    """Themselves; a coordinator anyone; a trust science lead anyone in their trust."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.person_id == person.pk or user.is_coordinator:
        return True
    return is_trust_science_lead(user) and person_trust_id(user.person) == person_trust_id(person)


def may_decide(user: User, booking: Booking) -> bool:
    """A coordinator, or a head of science/headteacher of the booker's academy (not
    their own booking)."""
    if user.is_coordinator:
        return True
    return (
        is_approver(user)
        and user.person_id != booking.person_id
        and user.person.academy_id == booking.person.academy_id
    )


def may_cancel_now(user: User, booking: Booking) -> bool:
    """Whether `user` (who may change the booking) can cancel it now: a live booking
    before its cut-off (`Booking.can_cancel`), or any live booking for a coordinator, who
    handles the late phone call. The rule `booking_cancel` applies."""
    return booking.is_live and (booking.can_cancel() or user.is_coordinator)


def may_change(user: User, booking: Booking) -> bool:
    """Who may cancel a booking or confirm an offer: the person, whoever booked it for
    them, or anyone who may book for them."""
    return user.is_authenticated and (booking.booked_by_id == user.pk or may_book_for(user, booking.person))


# -- Booking ------------------------------------------------------------------------


@transaction.atomic
def booking_create(*, event: Event, person: Person, by: User | None, session: Session | None = None) -> Booking:
    """Book `person` onto `event` (and `session`, if given), made by `by`: the person
    themself, a coordinator, or their trust's science lead (`may_book_for`); `by=None`
    is the system.

    Rules, checked with the event row locked:
    - a live booking for this person already exists → it is returned unchanged (a
      double submit books once);
    - the event must be scheduled and inside its booking window, and meant for the
      person's job role and academy phase; and where the network refuses overlapping
      bookings (`events.overlaps`), it must not clash with another of the person's live
      bookings; otherwise a ValidationError says why and nothing changes (where the
      network only warns, the pages warn before calling this);
    - a session must belong to the event;
    - `needs_approval` → pending approval, and the academy's head(s) of science and
      headteacher are emailed a link to approve or decline (the coordinators if the
      academy has none); the place is decided on approval;
    - otherwise confirmed if a place is free, else waitlisted with the reason: the event
      or the session is full, or the person's trust already holds `per_trust_cap` places.
    The booking is credited to the trust the academy belongs to today. A confirmation or
    waitlist email is queued.
    """
    if by is not None and not may_book_for(by, person):
        raise PermissionDenied("You can book only for yourself or for people in your scope.")
    event, session = _lock(event, session)
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
        reason = _place_for(event=event, session=session, trust_id=trust.pk if trust else None)
        booking.status = Status.WAITLISTED if reason else Status.CONFIRMED
        booking.status_reason = reason or ""
        booking.confirmed_at = None if reason else timezone.now()
    try:
        with transaction.atomic():  # a savepoint: the constraint may refuse a racing twin
            _save(booking, by, "Booked")
    except IntegrityError:
        existing = Booking.objects.filter(event=event, person=person, status__in=Booking.LIVE).first()
        if existing is None:
            raise
        return existing
    if booking.status == Status.PENDING_APPROVAL:
        _request_approval(booking)
    else:
        _email_for_status(booking)
    return booking


def _place_now(booking: Booking, by: User | None, reason: str) -> None:
    """Confirm or waitlist a booking (event row already locked)."""
    why = _place_for(event=booking.event, session=booking.session, trust_id=booking.trust_at_booking_id)
    if why:
        booking.status, booking.status_reason = Status.WAITLISTED, why
    else:
        booking.status, booking.status_reason, booking.confirmed_at = Status.CONFIRMED, "", timezone.now()
    _save(booking, by, reason)
    _email_for_status(booking)


def _reload_locked(booking: Booking) -> Booking:
    event, _ = _lock(booking.event)
    booking = (
        Booking.objects.select_for_update(of=("self",)).select_related("session", "person__academy").get(pk=booking.pk)
    )
    booking.event = event
    return booking


@transaction.atomic
def booking_approve(*, booking: Booking, by: User | None, approver: Person | None = None) -> Booking:
    """Approve a booking awaiting approval. `by` must be a coordinator or a head of
    science/headteacher of the person's academy; `approver` is that person when they
    used the emailed link without signing in. The place is then decided as for a new
    booking (confirmed, or waitlisted with the reason) and the person is emailed. A
    booking no longer awaiting approval is returned unchanged (a double click). Once the
    event has started a request cannot be approved (a ValidationError says so and
    nothing changes); it can still be declined, which closes it and tells the person."""
    booking = _reload_locked(booking)
    _check_decider(booking, by, approver)
    if booking.status != Status.PENDING_APPROVAL:
        return booking
    if booking.event.is_cancelled:
        raise ValidationError("This event has been cancelled.")
    if timezone.now() >= booking.event.starts_at:
        raise ValidationError(
            f"This event started on {_local(booking.event.starts_at)}, so the request can no longer be approved. "
            "You can decline it to close it."
        )
    booking.approved_by = by
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
    booking = _reload_locked(booking)
    _check_decider(booking, by, approver)
    if booking.status != Status.PENDING_APPROVAL:
        return booking
    booking.status = Status.DECLINED
    booking.status_reason = f"Not approved by {approver or by}."
    booking.declined_by = by
    booking.declined_at = timezone.now()
    _save(booking, by, f"Declined by {approver or by}")
    _email(booking, "declined", "booking_declined")
    return booking


def _check_decider(booking: Booking, by: User | None, approver: Person | None) -> None:
    if approver is not None:
        if approver not in approvers_for(booking.person):
            raise PermissionDenied("Only the academy's head of science or headteacher can decide this request.")
        return
    if by is None or not may_decide(by, booking):
        raise PermissionDenied("Only the academy's head of science or headteacher can decide this request.")


@transaction.atomic
def booking_cancel(*, booking: Booking, by: User | None, reason: str = "") -> Booking:
    """Cancel a live booking, by the person, whoever booked it for them, or a
    coordinator. A confirmed place may be given up until the event's cancellation
    cut-off, a place in the queue until the start; after that a ValidationError says so
    and nothing changes (coordinators are not bound by the cut-off: they handle the late
    phone call). Cancelling twice is harmless. The person is emailed, and a freed place
    goes to the waitlist (`waitlist_promote`)."""
    booking = _reload_locked(booking)
    if not booking.is_live:
        return booking
    if by is not None and not may_change(by, booking):
        raise PermissionDenied("You cannot cancel this booking.")
    if not (may_cancel_now(by, booking) if by is not None else booking.can_cancel()):
        if booking.status == Status.CONFIRMED:
            raise ValidationError(
                f"Bookings for this event could be cancelled until {_local(booking.event.cancellation_deadline)}. "
                "Please contact the network coordinator if you can no longer attend."
            )
        raise ValidationError("This event has started, so the booking can no longer be cancelled.")
    held_place = booking.status in Booking.HOLDS_PLACE
    booking.status = Status.CANCELLED
    booking.status_reason = reason or "Cancelled"
    booking.cancelled_at = timezone.now()
    booking.cancelled_by = by
    booking.offer_expires_at = None
    _save(booking, by, "Cancelled")
    _email(booking, "cancelled", "booking_cancelled")
    if held_place:
        _promote_locked(booking.event, by=by)
    return booking


@transaction.atomic
def booking_confirm_offer(*, booking: Booking, by: User | None) -> Booking:
    """Accept an offered place before it expires: the booking is confirmed and the
    person emailed. A confirmed booking is returned unchanged (a double click); an
    expired or withdrawn offer is refused with a clear message."""
    booking = _reload_locked(booking)
    if by is not None and not may_change(by, booking):
        raise PermissionDenied("You cannot confirm this booking.")
    if booking.status == Status.CONFIRMED:
        return booking
    if booking.status != Status.OFFERED:
        raise ValidationError("There is no place on offer for this booking.")
    if booking.offer_expires_at <= timezone.now():
        raise ValidationError(
            f"Sorry, this offer expired on {_local(booking.offer_expires_at)} and the place is going to the next person."
        )
    booking.status = Status.CONFIRMED
    booking.status_reason = ""
    booking.confirmed_at = timezone.now()
    booking.offer_expires_at = None
    _save(booking, by, "Offer accepted")
    _email_confirmed(booking)
    return booking


# -- The waitlist -------------------------------------------------------------------


@transaction.atomic
def waitlist_promote(*, event: Event, by: User | None = None) -> list[Booking]:
    """Give free places to the waitlist, first come first served (by `created_at`),
    skipping anyone whose trust is at its cap or whose session is full. If the event
    starts within OFFER_WHEN_WITHIN, or its cancellation cut-off is less than
    OFFER_VALID_FOR away (or past), the place is *offered* with OFFER_VALID_FOR to
    confirm (never beyond the start); otherwise it is confirmed. Each promoted person
    is emailed. Returns the bookings promoted."""
    event, _ = _lock(event)
    return _promote_locked(event, by=by)


def promotion_is_offer(event: Event, now: datetime.datetime) -> bool:
    """Whether a place freed at `now` is offered (to be confirmed in time) rather than
    confirmed outright: within OFFER_WHEN_WITHIN of the start, or once fewer than
    OFFER_VALID_FOR remain before the event's cancellation cut-off. Nobody is put into a
    place they could no longer give up without being asked first."""
    return now >= min(event.starts_at - OFFER_WHEN_WITHIN, event.cancellation_deadline - OFFER_VALID_FOR)


def _promote_locked(event: Event, *, by: User | None) -> list[Booking]:
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
            _save(booking, by, "Promoted from the waitlist (offer)")
            _email(booking, "offer", "booking_offer")
        else:
            booking.status = Status.CONFIRMED
            booking.confirmed_at = now
            booking.status_reason = "Promoted from the waitlist."
            _save(booking, by, "Promoted from the waitlist")
            _email(booking, "promoted", "booking_promoted")
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
                _save(booking, None, "Offer expired")
                _email(booking, "offer-expired", "booking_offer_expired")
                expired += 1
            _promote_locked(event, by=None)
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
            _save(booking, None, "Not approved before the event started")
            _email(booking, "declined", "booking_declined")
            closed += 1
    return closed


# -- Events -------------------------------------------------------------------------


@transaction.atomic
def event_cancel(*, event: Event, by: User | None, reason: str) -> Event:
    """Cancel an event: every live booking is cancelled and each person told once (the
    outbox key is per booking). Cancelling a cancelled event changes nothing."""
    event, _ = _lock(event)
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
        _save(booking, by, "Event cancelled")
        _email(booking, "event-cancelled", "event_cancelled", reason=reason)
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


# -- Sweeps -------------------------------------------------------------------------


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
            _email(booking, kind, template, reminder=kind)
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
