"""The meeting platform's attendance report: an email and the minutes attended per
row, imported onto an event's register with a minimum-minutes rule. The rules of
`events.attendance.services` hold here too: confirmed bookings only, the register
taker only, a manual override is kept, a re-import changes nothing."""

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from events.attendance.services import check_may_take_register, register_problem, save
from events.models import Attendance, Booking, Event
from network.base.models import User
from trusts.importers.base import SKIP, CsvImporter, ImportFileError, ImportReport, Outcome, Row, RowError, Skip

Source = Attendance.Source

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
        save(
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
    check_may_take_register(by, event)
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
