"""Rows of the bookings tables, written in Python: My bookings' upcoming and past
bookings and those made for others (templates/events/my_bookings.html), with their
buttons (`Actions`, also the event page's for its reader's booking); the CPD record's
attended events (templates/events/attendance/cpd_record.html); and the event page's
"Who is booked" (events/event_detail.html). A page of each is 20 to 50 rows; through
the template engine they were most of the page's CPU (speed, issue 14), as the event
list's were (events/event_rows.py). The markup is the templates', character for
character: tests/events/test_booking_rows.py renders the rows the templates wrote (and
the buttons' include) and compares.

A past booking shows whether the person attended: "Attended" or "Absent" once the
register is taken, "Not recorded yet" before, or the booking's own status (cancelled,
declined...) when it never held a place; the hours are credited only for an attended or
not-yet-recorded confirmed booking."""

from typing import NamedTuple
from urllib.parse import quote

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


class BookedRow(NamedTuple):
    """A row of the event page's "Who is booked" table, as kept (`selectors.booked_page`):
    the booking's id and its row, written."""

    pk: int
    row: SafeString


def booked_rows(bookings: list, *, sessions: bool) -> list[BookedRow]:
    """Each booking of the event page's "Who is booked" table (with its person, academy
    and trust at booking, session and booker) as its `BookedRow`; a Session column when
    the event has sessions."""
    return [BookedRow(booking.pk, _booked_row(booking, sessions)) for booking in bookings]


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


# -- My bookings' upcoming tables: the person's own, and those they made for others ------


OFFERED = Booking.Status.OFFERED.value
WAITLISTED = Booking.Status.WAITLISTED.value
LINE = "\n      "  # between the lines of a Status cell, as the template wrote them
CANCEL_WORDS = {CONFIRMED: "Cancel booking", OFFERED: "Decline the place", WAITLISTED: "Leave the waitlist"}
DAY_AND_TIME = "D d/m/Y H:i"


class Actions:
    """A booking's buttons: confirm an offered place, add a confirmed one to a calendar
    (not for someone else's booking: the file is theirs), cancel (a link to a page that
    asks first: it cannot be undone, events.views.booking_cancel) or, past the cut-off,
    why not. `next` is where to come back to; `now` is the request's one moment. For a
    page of rows (My bookings) and the event page's own booking alike: the URLs reversed
    once, the request's CSRF field written once. Twenty rows of the template include
    were half of My bookings' CPU (speed, issue 14)."""

    def __init__(self, *, csrf_token: str, next_url: str, now):
        self.csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escaped(csrf_token)}">'
        self.next, self.next_query = escaped(next_url), escaped(quote(next_url, safe="/"))
        self.now = now
        self.confirm = url_for_each("events:booking_confirm")
        self.ics = url_for_each("events:booking_ics")
        self.cancel = url_for_each("events:booking_cancel")

    def __call__(self, booking, *, for_other: bool) -> SafeString:
        event, status = booking.event, booking.status
        person = f'<span class="visually-hidden"> for {escaped(booking.person.full_name)}</span>' if for_other else ""
        confirm = ""
        if status == OFFERED:
            label = f"Confirm the place{person}" if for_other else "Confirm my place"
            confirm = (
                f'\n<form method="post" action="{self.confirm(booking.pk)}" class="d-inline" data-submit-once>'
                f'{self.csrf}\n  <input type="hidden" name="next" value="{self.next}">\n'
                f'  <button class="btn btn-sm btn-primary" type="submit">{label}</button>\n</form>\n'
            )
        started = self.now >= event.starts_at
        calendar = ""
        if status == CONFIRMED and not event.is_cancelled and not started and not for_other:
            calendar = (
                f'<a class="btn btn-sm btn-outline-secondary" href="{self.ics(booking.pk)}">Add to calendar'
                f'<span class="visually-hidden">: {escaped(event.title)}</span></a>'
            )
        if booking.can_cancel(self.now):
            cancel = (
                f'\n\n<a class="btn btn-sm btn-outline-danger" href="{self.cancel(booking.pk)}?next={self.next_query}">'
                f"{CANCEL_WORDS.get(status, 'Withdraw request')}{person}</a>\n"
            )
        elif booking.is_live and not started:
            cancel = (
                '\n<span class="small text-body-secondary">The cancellation cut-off has passed; '
                "please contact the coordinator.</span>\n"
            )
        else:
            cancel = ""
        return SafeString(f"\n{confirm}\n{calendar}\n{cancel}\n")


def with_upcoming_rows(bookings: list, actions: Actions, *, for_others: bool = False) -> list:
    """Each upcoming booking with its `row`, buttons included: the person's own (with
    its event, session, booker and `waitlist_position`), or, `for_others`, those the
    user made for other people (with its event, session and person with their academy
    and trust)."""
    detail, write = url_for_each("events:event_detail"), _made_row if for_others else _upcoming_row
    for booking in bookings:
        booking.row = write(booking, detail(booking.event_id), actions)
    return bookings


def _event_and_session(booking, url: str) -> str:
    about = f'<a href="{escaped(url)}">{escaped(booking.event.title)}</a>'
    if booking.session_id:
        about += f'<br><span class="small">{escaped(booking.session.title)}</span>'
    return about


def _upcoming_row(booking, url: str, actions: Actions) -> SafeString:
    event, status = booking.event, booking.status
    about = _event_and_session(booking, url)
    booker = booking.booked_by
    if booker is not None and booker.person_id != booking.person_id:
        about += f'<br><span class="small text-body-secondary">Booked for you by {escaped(str(booker))}</span>'
    waiting = ""
    if status == WAITLISTED and booking.waitlist_position:
        waiting = f'<br><span class="small">Position {booking.waitlist_position} on the waitlist</span>'
    offer, reason = _offer_and_reason(booking)
    link = ""
    if status == CONFIRMED and event.is_online and event.joining_link:
        link = f'<br><a class="small" href="{escaped(event.joining_link)}" rel="noopener">Joining link</a>'
    shown = LINE.join((BADGES.get(status, ""), waiting, offer, link, reason))
    cells = (
        f'<td data-label="Date (UK time)">{local_date(event.starts_at, DAY_AND_TIME)}</td>',
        f'<td data-label="Event">{about}</td>',
        f'<td data-label="Status">{shown}</td>',
        f'<td data-label="Actions">{actions(booking, for_other=False)}</td>',
    )
    return SafeString(f"<tr>{CELL}{CELL.join(cells)}\n  </tr>")


def _made_row(booking, url: str, actions: Actions) -> SafeString:
    event, person = booking.event, booking.person
    if person.academy_id:
        where = escaped(person.academy.name)
    elif person.trust_id:
        where = escaped(person.trust.name)
    else:
        where = ""
    cells = (
        f'<td data-label="Date (UK time)">{local_date(event.starts_at, DAY_AND_TIME)}</td>',
        f'<td data-label="Person">{escaped(person.full_name)}<br><span class="small">{where}</span></td>',
        f'<td data-label="Event">{_event_and_session(booking, url)}</td>',
        f'<td data-label="Status">{LINE.join((BADGES.get(booking.status, ""), *_offer_and_reason(booking)))}</td>',
        f'<td data-label="Actions">{actions(booking, for_other=True)}</td>',
    )
    return SafeString(f"<tr>{CELL}{CELL.join(cells)}\n  </tr>")


def _offer_and_reason(booking) -> tuple[str, str]:
    """Two lines of the Status cell: when an offer must be confirmed by, and why a
    booking was cancelled or declined."""
    status = booking.status
    offer = ""
    if status == OFFERED:
        offer = f'<br><span class="small">Confirm by {local_date(booking.offer_expires_at, "d/m/Y H:i")}</span>'
    reason = ""
    if status in (Booking.Status.CANCELLED, Booking.Status.DECLINED) and booking.status_reason:
        reason = f'<br><span class="small">{escaped(booking.status_reason)}</span>'
    return offer, reason
