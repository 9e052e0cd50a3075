"""Writes for attendance: the register, the meeting platform's CSV, and overrides.

Rules every function here keeps:

- Attendance is taken only for *confirmed* bookings of an event that has started and
  was not cancelled; nobody else has a place to have attended.
- Only a coordinator, or the lead or deputy lead of the hub that runs the event, takes
  the register (`may_take_register`). Services check it too, not only the views.
- Each write locks the booking row, so two people ticking the same register at once
  make one attendance row, not two.
- The platform's report and a manual override are evidence a tick must not silently
  undo: the register changes only what the register (or nobody) set; anything else is
  changed by an override, which needs a reason and records who and when.
- A re-import of the same report changes nothing; a manual override survives re-imports.
- Every change is in the attendance history (simple_history) with the user who made it.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from events.models import Attendance, Booking, Event
from network.base.models import User
from trusts.importers.base import SKIP, CsvImporter, ImportFileError, ImportReport, Outcome, Row, RowError, Skip

Source = Attendance.Source


# -- Who may take the register -------------------------------------------------------


def may_take_register(user: User | None, event: Event) -> bool:
    """Coordinators, and the lead or deputy lead of the hub that runs the event (hub
    meetings are taken by their hub lead)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_coordinator:
        return True
    if not user.person_id or not event.hub_id:
        return False
    hub = event.hub
    return user.person_id in (hub.lead_id, hub.deputy_lead_id)


def _check_may_take_register(by: User | None, event: Event) -> None:
    if not may_take_register(by, event):
        raise PermissionDenied("Only the network coordinator or the event's hub lead may take its register.")


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


def _save(attendance: Attendance, *, by: User | None, reason: str) -> Attendance:
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
    _save(attendance, by=by, reason=f"Register: {'attended' if attended else 'absent'}")
    return True


@transaction.atomic
def attendance_mark(*, booking: Booking, attended: bool, by: User) -> Attendance:
    """Mark one confirmed booking attended or absent from the register. Refused (a
    ValidationError) for an unconfirmed booking, an event not yet started or cancelled,
    and for a row the platform's report or an override set to the other value."""
    _check_may_take_register(by, booking.event)
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
    _check_may_take_register(by, event)
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
    _check_may_take_register(by, booking.event)
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
    return _save(attendance, by=by, reason=f"Override: {reason}")


# -- The meeting platform's attendance report ---------------------------------------

# Header names the platforms use, compared without case, spaces or punctuation.
EMAIL_HEADERS = ("email", "emailaddress", "attendeeemail", "useremail", "participantemail", "guestemail")
MINUTES_HEADERS = (
    "minutesattended",
    "minutes",
    "durationminutes",
    "duration",
    "totaldurationminutes",
    "timeinsessionminutes",
    "timeinmeetingminutes",
    "attendancedurationminutes",
    "attendanceduration",
    "minutesinsession",
)
_HMS = re.compile(r"^(\d+):([0-5]\d):([0-5]\d)$")
_UNITS = re.compile(
    r"^(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:ute)?s?)?)?\s*(?:(\d+)\s*s(?:ec(?:ond)?s?)?)?$"
)


def _key(header: str) -> str:
    return re.sub(r"[^a-z]", "", header.lower())


def parse_minutes(value: str) -> int:
    """Whole minutes from what the platforms write: "47", "47.5", "1:05:30" (h:mm:ss;
    a bare "47:30" is refused, as platforms mean different things by it), "1h 5m 30s". Part minutes are dropped, so 44.9 is below a 45-minute rule.
    Raises ValueError for anything else."""
    text = value.strip().lower()
    if not text:
        raise ValueError("blank")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is not None:
        if not number.is_finite() or number < 0:
            raise ValueError(text)
        return int(number.to_integral_value(rounding=ROUND_FLOOR))
    match = _HMS.match(text)
    if match:
        hours, minutes, _seconds = match.groups()
        return int(hours) * 60 + int(minutes)
    match = _UNITS.match(text)
    if match and any(match.groups()):
        hours, minutes, _seconds = (int(g) if g else 0 for g in match.groups())
        return hours * 60 + minutes
    raise ValueError(text)


@dataclass(frozen=True)
class PlatformRow:
    number: int
    booking_id: int
    minutes: int


class PlatformAttendanceImporter(CsvImporter[PlatformRow]):
    """One meeting platform's attendance report for one event: an email and the minutes
    attended per row. A person who joined more than once appears on several rows; their
    minutes are added up before the minimum-minutes rule is applied."""

    file_description = "meeting platform attendance report (it needs an email column and a minutes column)"

    def __init__(self, *, event: Event, minimum_minutes: int, by: User):
        self.event = event
        self.minimum_minutes = minimum_minutes
        self.by = by

    def prepare(self, columns: list[str]) -> None:
        keys = {_key(column): column for column in reversed(columns)}  # the first of duplicates wins
        self.email_column = next((keys[k] for k in EMAIL_HEADERS if k in keys), None)
        self.minutes_column = next((keys[k] for k in MINUTES_HEADERS if k in keys), None)
        missing = [
            what
            for what, column in (("email", self.email_column), ("minutes attended", self.minutes_column))
            if column is None
        ]
        if missing:
            found = ", ".join(columns[:8]) + (", …" if len(columns) > 8 else "")
            raise ImportFileError(
                f"The file has no {' and no '.join(missing)} column, so it is not a meeting platform attendance "
                f"report. Columns found: {found or 'none'}."
            )
        # Every booking of the event, by the person's email and their login's email.
        self.bookings: dict[str, Booking] = {}
        bookings = (
            Booking.objects.filter(event=self.event)
            .select_related("person", "person__user")
            .order_by("-created_at")  # a live booking beats an older cancelled one (below)
        )
        for booking in bookings:
            emails = {booking.person.email.lower()}
            user = getattr(booking.person, "user", None)
            if user is not None:
                emails.add(user.email.lower())
            for email in emails:
                current = self.bookings.get(email)
                if current is None or (current.status != Booking.Status.CONFIRMED and booking.is_confirmed):
                    self.bookings[email] = booking

    def parse_row(self, row: Row) -> PlatformRow | Skip:
        email_column, minutes_column = self.email_column, self.minutes_column
        if not row.text(email_column) and not row.text(minutes_column):
            return SKIP  # a spacer row, or the platform's totals line
        email = row.required(email_column).lower()
        try:
            validate_email(email)
        except ValidationError:
            raise RowError(f"{email_column} '{email}' is not an email address") from None
        raw_minutes = row.required(minutes_column)
        try:
            minutes = parse_minutes(raw_minutes)
        except ValueError:
            raise RowError(f"{minutes_column} '{raw_minutes}' is not a number of minutes") from None
        booking = self.bookings.get(email)
        if booking is None:
            raise RowError(f"{email} has no booking for this event")
        if not booking.is_confirmed:
            raise RowError(f"{email}'s booking is {booking.get_status_display().lower()}, not confirmed")
        return PlatformRow(number=row.number, booking_id=booking.pk, minutes=minutes)

    def before_write(self, items: list[PlatformRow]) -> None:
        self.totals: dict[int, int] = defaultdict(int)
        self.first_row: dict[int, int] = {}
        for item in items:
            self.totals[item.booking_id] += item.minutes
            self.first_row.setdefault(item.booking_id, item.number)
        ids = list(self.totals)
        self.locked = {b.pk: b for b in Booking.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        self.existing = {a.booking_id: a for a in Attendance.objects.filter(booking_id__in=ids)}
        self.seen = set(ids)

    def write_row(self, item: PlatformRow) -> Outcome:
        if self.first_row[item.booking_id] != item.number:
            self.note("rows of someone who joined more than once (minutes added together)")
            return Outcome.SKIPPED
        minutes = self.totals[item.booking_id]
        attended = minutes >= self.minimum_minutes
        attendance = self.existing.get(item.booking_id)
        if attendance is not None and attendance.is_override:
            self.note("people kept as a manual override set them")
            return Outcome.UNCHANGED
        if (
            attendance is not None
            and attendance.source == Source.PLATFORM_CSV
            and attendance.attended == attended
            and attendance.minutes_attended == minutes
        ):
            return Outcome.UNCHANGED
        outcome = Outcome.CREATED if attendance is None else Outcome.UPDATED
        attendance = attendance or Attendance(booking=self.locked[item.booking_id])
        attendance.attended = attended
        attendance.minutes_attended = minutes
        attendance.source = Source.PLATFORM_CSV
        attendance.marked_by = self.by
        attendance.marked_at = timezone.now()
        _save(
            attendance,
            by=self.by,
            reason=f"Platform report: {minutes} min (minimum {self.minimum_minutes})",
        )
        self.existing[item.booking_id] = attendance
        self.note("attended" if attended else f"absent (under {self.minimum_minutes} minutes)")
        return outcome

    def row_rolled_back(self, item: PlatformRow) -> None:
        self.existing.pop(item.booking_id, None)
        self.existing.update({a.booking_id: a for a in Attendance.objects.filter(booking_id=item.booking_id)})


@transaction.atomic
def attendance_import_csv(*, event: Event, file, minimum_minutes: int, by: User) -> ImportReport:
    """Import the meeting platform's attendance report (CSV: an email and the minutes
    attended per row; header names vary by platform, e.g. "Email", "Attendee Email",
    "Duration (Minutes)"; UTF-8, UTF-8 with a byte-order mark or Windows-1252).

    Rules: someone at or over `minimum_minutes` in total is marked attended, under it
    absent; a row with a malformed email or minutes, or an email without a confirmed
    booking for the event, is reported with its spreadsheet row number (header = row 1)
    and the rest are imported; a manual override is kept; importing the same file again
    changes nothing. A file that is not such a report raises ImportFileError and
    nothing is written. Confirmed bookings not in the file are left as they were (and
    counted in the report)."""
    _check_may_take_register(by, event)
    if minimum_minutes is None or minimum_minutes < 0:
        raise ValidationError({"minimum_minutes": "The minimum minutes must be zero or more."})
    event = Event.objects.select_for_update().get(pk=event.pk)  # one import of an event at a time
    problem = register_problem(event)
    if problem:
        raise ValidationError(problem)
    importer = PlatformAttendanceImporter(event=event, minimum_minutes=minimum_minutes, by=by)
    report = importer.run(file)
    missing = (
        Booking.objects.filter(event=event, status=Booking.Status.CONFIRMED)
        .exclude(pk__in=getattr(importer, "seen", set()))
        .count()
    )
    if missing:
        report.note("confirmed bookings not in the file (left as they were)", missing)
    return report
