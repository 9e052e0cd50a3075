"""Rows of the leader's own lists, written in Python: past bookings (templates/events/
my_bookings.html) and the CPD record's attended events (templates/events/attendance/
cpd_record.html). A page of each is 25 rows; through the template engine they were most
of the page's CPU (speed, issue 14), as the event list's were (events/event_rows.py).
The markup is the templates', character for character: tests/events/test_booking_rows.py
renders the rows the templates wrote and compares.

A past booking shows whether the person attended: "Attended" or "Absent" once the
register is taken, "Not recorded yet" before, or the booking's own status (cancelled,
declined...) when it never held a place; the hours are credited only for an attended or
not-yet-recorded confirmed booking."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.safestring import SafeString

from events.event_rows import KINDS
from events.exporters import format_hours
from events.models import Booking
from events.templatetags.badges import BADGES
from network.base.web import url_for_each
from network.base.widgets import quick_escape as escaped
from network.templatetags.quick import local_date

CONFIRMED = Booking.Status.CONFIRMED.value
ATTENDED = '<span class="badge text-bg-success">Attended</span>'
ABSENT = '<span class="badge text-bg-secondary">Absent</span>'
NOT_RECORDED = '<span class="badge text-bg-light border">Not recorded yet</span>'
CELL = "\n    "


def with_past_rows(bookings: list) -> list:
    """Each past booking (with its event and attendance) with its `row`."""
    detail = url_for_each("events:event_detail")
    for booking in bookings:
        booking.row = _past_row(booking, detail(booking.event_id))
    return bookings


def _past_row(booking, url: str) -> SafeString:
    try:
        attendance = booking.attendance
    except ObjectDoesNotExist:
        attendance = None
    event, confirmed = booking.event, booking.status == CONFIRMED
    if confirmed and attendance:
        shown = ATTENDED if attendance.attended else ABSENT
    elif confirmed:
        shown = NOT_RECORDED
    else:
        shown = BADGES.get(booking.status, "")
    hours = "–" if not confirmed or (attendance and not attendance.attended) else format_hours(event.cpd_hours or 0)
    cells = (
        f'<td data-label="Date">{local_date(event.starts_at, "d/m/Y")}</td>',
        f'<td class="stack-title"><a href="{escaped(url)}">{escaped(event.title)}</a></td>',
        f'<td class="stack-inline" data-label="Attendance">{shown}</td>',
        f'<td class="text-end stack-inline" data-label="CPD hours">{hours}</td>',
    )
    return SafeString(f"<tr>{CELL}{CELL.join(cells)}\n  </tr>")


def with_cpd_rows(attendances: list) -> list:
    """Each attended event of the CPD record (with its booking, event and session)
    with its `row`."""
    certificate = url_for_each("events:certificate_download")
    for attendance in attendances:
        attendance.row = _cpd_row(attendance, certificate(attendance.booking_id))
    return attendances


def _cpd_row(attendance, url: str) -> SafeString:
    booking = attendance.booking
    event, title = booking.event, escaped(booking.event.title)
    session = f'<br><span class="small">{escaped(booking.session.title)}</span>' if booking.session_id else ""
    cells = (
        f'<td data-label="Date">{local_date(event.starts_at, "d/m/Y")}</td>',
        f'<td class="stack-title">{title}{session}</td>',
        f'<td class="stack-inline" data-label="Kind">{escaped(KINDS.get(event.kind, event.kind))}</td>',
        f'<td class="text-end stack-inline" data-label="CPD hours">{format_hours(event.cpd_hours or 0)}</td>',
        f'<td data-label="Certificate"><a href="{escaped(url)}">Download (PDF)'
        f'<span class="visually-hidden"> for {title}</span></a></td>',
    )
    return SafeString(f"<tr>{CELL}{CELL.join(cells)}\n  </tr>")


def with_booked_rows(bookings: list, *, sessions: bool) -> list:
    """Each booking of the event page's "Who is booked" table (with its person, academy
    and trust at booking, session and booker) with its `row`; a Session column when the
    event has sessions."""
    for booking in bookings:
        booking.row = _booked_row(booking, sessions)
    return bookings


def _booked_row(booking, sessions: bool) -> SafeString:
    person = booking.person
    where = escaped(booking.academy_at_booking.name) if booking.academy_at_booking_id else ""
    if booking.trust_at_booking_id:
        where += f'<br><span class="small">{escaped(booking.trust_at_booking.name)}</span>'
    booked = local_date(booking.created_at, "d/m/Y H:i")
    booker = booking.booked_by
    if booker is not None and booker.person_id != booking.person_id:
        booked += f'<br><span class="small">by {escaped(str(booker))}</span>'
    cells = [
        f'<td data-label="Person">{escaped(person.full_name)}<br><span class="small text-break">{escaped(person.email)}</span></td>',
        f'<td data-label="Academy or trust">{where}</td>',
        f'<td data-label="Status">{BADGES.get(booking.status, "")}</td>',
    ]
    if sessions:
        title = booking.session.title if booking.session_id else ""
        cells.append(f'<td data-label="Session">{escaped(title or "–")}</td>')
    else:
        cells.append("")  # the template's empty line where the cell would be
    cells.append(f'<td data-label="Booked">{booked}</td>')
    return SafeString(f"<tr>{CELL}{CELL.join(cells)}\n  </tr>")
