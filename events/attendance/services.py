"""Writes for attendance (the register and overrides) and for the personal calendar
feed. The meeting platform's CSV import is in `events.attendance.platform_report`.

Rules every function here keeps:

- Attendance is taken only for *confirmed* bookings of an event that has started and
  was not cancelled; nobody else has a place to have attended.
- Only a coordinator, or the lead or deputy lead of the hub that runs the event, takes
  the register (the rule `events.take_register`). Services check it too, not only the
  views.
- Each write locks the booking row, so two people ticking the same register at once
  make one attendance row, not two.
- The platform's report and a manual override are evidence a tick must not silently
  undo: the register changes only what the register (or nobody) set; anything else is
  changed by an override, which needs a reason and records who and when.
- A re-import of the same report changes nothing; a manual override survives re-imports.
- Every change is in the attendance history (simple_history) with the user who made it.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from events.models import Attendance, Booking, CalendarFeed, Event
from network.base.models import User
from network.base.rules import ensure
from trusts.models import Person

Source = Attendance.Source
REGISTER_REFUSAL = "Only the network coordinator or the event's hub lead may take its register."


def check_may_take_register(by: User | None, event: Event) -> None:
    ensure(by, "events.take_register", event, REGISTER_REFUSAL)


def register_problem(event: Event, now: datetime.datetime | None = None) -> str | None:
    """Why attendance cannot be taken for `event` yet (or at all), or None."""
    now = now or timezone.now()
    if event.is_cancelled:
        return "This event was cancelled, so there is no attendance to take."
    if now < event.starts_at:
        return "This event has not started yet. Attendance can be taken once it has begun."
    return None


def _check_markable(booking: Booking) -> None:
    problem = register_problem(booking.event)
    if problem:
        raise ValidationError(problem)
    if booking.status != Booking.Status.CONFIRMED:
        raise ValidationError(
            f"Only confirmed bookings have attendance; this booking is {booking.get_status_display().lower()}."
        )


def _lock(booking: Booking) -> tuple[Booking, Attendance | None]:
    """The booking (fresh, locked) and its attendance row, if any."""
    booking = Booking.objects.select_for_update(of=("self",)).select_related("event", "event__hub").get(pk=booking.pk)
    attendance = Attendance.objects.filter(booking=booking).first()
    return booking, attendance


def save(attendance: Attendance, *, by: User | None, reason: str) -> Attendance:
    attendance._history_user = by
    attendance._change_reason = reason[:100]
    attendance.full_clean(exclude=["booking", "verification_code"])
    attendance.save()
    return attendance


# -- The register --------------------------------------------------------------------


class Refused(ValidationError):
    """The register may not change this row (the platform or an override set it)."""


def _mark_locked(booking: Booking, attendance: Attendance | None, *, attended: bool, by: User) -> bool:
    """Mark one locked booking from the register. True if something changed."""
    _check_markable(booking)
    if attendance is not None:
        if attendance.attended == attended:
            return False
        if attendance.source != Source.REGISTER:
            raise Refused(
                f"This attendance was set by the {attendance.get_source_display().lower()}; "
                "change it with an override and a reason."
            )
    else:
        attendance = Attendance(booking=booking)
    attendance.attended = attended
    attendance.source = Source.REGISTER
    attendance.marked_by = by
    attendance.marked_at = timezone.now()
    save(attendance, by=by, reason=f"Register: {'attended' if attended else 'absent'}")
    return True


@transaction.atomic
def attendance_mark(*, booking: Booking, attended: bool, by: User) -> Attendance:
    """Mark one confirmed booking attended or absent from the register. Refused (a
    ValidationError) for an unconfirmed booking, an event not yet started or cancelled,
    and for a row the platform's report or an override set to the other value."""
    check_may_take_register(by, booking.event)
    booking, attendance = _lock(booking)
    _mark_locked(booking, attendance, attended=attended, by=by)
    return Attendance.objects.get(booking=booking)


@dataclass
class BulkResult:
    changed: int = 0
    unchanged: int = 0
    refused: list[tuple[Booking, str]] = field(default_factory=list)


@transaction.atomic
def attendance_mark_bulk(*, event: Event, booking_ids, attended: bool, by: User) -> BulkResult:
    """Mark many bookings of `event` attended or absent at once (the register's
    checkboxes). Each booking follows `attendance_mark`'s rules; a booking that may not
    be changed is reported with its reason and the others are still marked. Ids of
    other events' bookings are ignored."""
    check_may_take_register(by, event)
    problem = register_problem(event)
    if problem:
        raise ValidationError(problem)
    result = BulkResult()
    bookings = (
        Booking.objects.select_for_update(of=("self",))
        .filter(event=event, pk__in=list(booking_ids))
        .select_related("event", "person")
        .order_by("pk")  # always lock in one order: two bulk marks cannot deadlock
    )
    bookings = list(bookings)
    existing = {a.booking_id: a for a in Attendance.objects.filter(booking__in=bookings)}
    for booking in bookings:
        try:
            changed = _mark_locked(booking, existing.get(booking.pk), attended=attended, by=by)
        except ValidationError as error:
            result.refused.append((booking, " ".join(error.messages)))
            continue
        if changed:
            result.changed += 1
        else:
            result.unchanged += 1
    return result


@transaction.atomic
def attendance_override(
    *, booking: Booking, attended: bool, reason: str, by: User, minutes_attended: int | None = None
) -> Attendance:
    """Set attendance by hand, whatever set it before, e.g. someone whose connection
    dropped, or who came but was not on the platform's report. A reason is required;
    who, why and when are kept on the row and in its history. A later import of the
    platform's report does not undo an override. `minutes_attended` None keeps the
    minutes already known."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Please say why you are overriding the attendance."})
    check_may_take_register(by, booking.event)
    booking, attendance = _lock(booking)
    _check_markable(booking)
    attendance = attendance or Attendance(booking=booking)
    now = timezone.now()
    attendance.attended = attended
    if minutes_attended is not None:
        attendance.minutes_attended = minutes_attended
    attendance.source = Source.OVERRIDE
    attendance.marked_by = by
    attendance.marked_at = now
    attendance.overridden_by = by
    attendance.override_reason = reason
    attendance.overridden_at = now
    return save(attendance, by=by, reason=f"Override: {reason}")


# -- The personal calendar feed's token ------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, person: Person, by: User) -> tuple[CalendarFeed, str]:
    """Give `person` a new secret feed URL, revoking the one they had: a person has at
    most one live feed, and a lost or shared URL is dealt with by making a new one.
    Returns the feed and the token, which is shown once and never stored."""
    _revoke(person)
    token, digest = CalendarFeed.new_token()
    feed = CalendarFeed.objects.create(person=person, token_digest=digest, created_by=by)
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, person: Person, by: User) -> int:
    """Stop `person`'s feed URL working (it answers 404 from now on). Returns how many
    feeds were revoked (0 or 1)."""
    return _revoke(person)


def _revoke(person: Person) -> int:
    # Lock the person: two clicks on "make a new feed" queue here instead of both
    # revoking and then colliding on the one-live-feed constraint.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    return CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=timezone.now())
