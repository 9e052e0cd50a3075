"""What the events room hands out as files: calendar entries (.ics), certificates of
attendance (PDF) and the CPD record (CSV rows). Exporters only format what a selector
found; they query nothing and write nothing.

Calendars:

- Times are written in UTC ("Z"), which every calendar application reads and shows in
  its own time zone; nothing depends on a VTIMEZONE block being understood.
- UID is stable per booking (`booking-<pk>@<host>`), so re-downloading or a feed refresh
  updates the entry rather than adding a second one (LAST-MODIFIED says which is newer).
- A feed lists confirmed bookings only (`events.attendance.selectors.feed_bookings`): a
  cancelled booking drops out of it, and calendar apps remove it on the next refresh.

Certificates: a one-page PDF with the network's name, the person, the event, its date,
the CPD hours and a verification code, with the public URL where anyone (an employer,
an appraiser) can check the code. It uses the core Helvetica font (nothing to ship or
install) in Windows-1252, which covers the names and punctuation of Western European
languages; anything beyond it is spelt without its accents rather than dropped.
"""

import datetime
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from fpdf import FPDF
from icalendar import Calendar
from icalendar import Event as VEvent

from events.models import Attendance, Booking
from network.base.school_years import academic_year, membership_year

PRODID = "-//Subject Network Portal//CPD bookings//EN"


def format_hours(hours) -> str:
    """Decimal("1.50") → "1.5", Decimal("2.00") → "2"."""
    text = f"{Decimal(str(hours)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# -- Calendars ------------------------------------------------------------------------


def _host() -> str:
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "portal.invalid"


def booking_uid(booking: Booking) -> str:
    return f"booking-{booking.pk}@{_host()}"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def _vevent(booking: Booking) -> VEvent:
    event = booking.event
    session = booking.session
    entry = VEvent()
    entry.add("uid", booking_uid(booking))
    entry.add("dtstamp", _utc(timezone.now()))
    entry.add("last-modified", _utc(max(event.updated_at, booking.updated_at)))
    entry.add("dtstart", _utc(event.starts_at))
    entry.add("dtend", _utc(event.ends_at))
    entry.add("summary", event.title)
    entry.add("status", "CONFIRMED")
    entry.add("transp", "OPAQUE")
    lines = [event.get_kind_display()]
    if session:
        where = f" ({session.room})" if session.room else ""
        lines.append(
            f"Your session: {session.title}{where}, {timezone.localtime(session.starts_at):%H:%M}"
            f"–{timezone.localtime(session.ends_at):%H:%M}"
        )
    if event.description:
        lines += ["", event.description]
    # The joining link is for confirmed attendees, and only confirmed bookings get here.
    if event.is_online and event.joining_link:
        lines += ["", f"Join online: {event.joining_link}"]
        entry.add("url", event.joining_link)
    if event.cpd_hours:
        lines += ["", f"CPD hours: {format_hours(event.cpd_hours)}"]
    entry.add("description", "\n".join(lines))
    location = event.venue or ("Online" if event.is_online else "")
    if location:
        entry.add("location", location)
    return entry


def booking_ics(booking: Booking) -> bytes:
    """One confirmed booking as an .ics file."""
    calendar = _calendar(booking.event.title)
    calendar.add_component(_vevent(booking))
    return calendar.to_ical()


def feed_ics(bookings: Iterable[Booking], extra: Iterable[VEvent] = ()) -> bytes:
    """A person's confirmed bookings (`feed_bookings`), for their calendar feed, with any
    `extra` entries of the same person (their academy visits: `events.visits.exporters`)."""
    calendar = _calendar(f"{settings.PORTAL_NAME}: my CPD bookings")
    calendar.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    for booking in bookings:
        calendar.add_component(_vevent(booking))
    for entry in extra:
        calendar.add_component(entry)
    return calendar.to_ical()


def feed_url(token: str) -> str:
    return settings.PORTAL_BASE_URL + reverse("events:calendar_feed", args=[token])


# -- Certificates ---------------------------------------------------------------------


def verification_url(code: str) -> str:
    return settings.PORTAL_BASE_URL + reverse("events:certificate_verify", args=[code])


def _printable(text: str) -> str:
    """`text` in Windows-1252: characters it lacks lose their accents (Ł → L), or become ?."""
    try:
        text.encode("cp1252")
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            out.append(base if base and base.isascii() else {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d"}.get(ch, "?"))
    return "".join(out)


def certificate_pdf(attendance: Attendance) -> bytes:
    """The certificate for one credited attendance, as PDF bytes (A4 landscape, one page)."""
    booking = attendance.booking
    event = booking.event
    day = timezone.localtime(event.starts_at)
    url = verification_url(attendance.verification_code)
    hours = format_hours(event.cpd_hours)

    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_title(_printable(f"Certificate of attendance: {event.title}"))
    pdf.set_author(_printable(event.network.name))
    pdf.set_subject(f"Verification code {attendance.verification_code}")
    pdf.set_creator(_printable(settings.PORTAL_NAME))
    pdf.set_lang("en-GB")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    width = pdf.w - 40

    # A double border, drawn, not an image.
    pdf.set_draw_color(30, 70, 110)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)

    def line(text, *, size, style="", height=None, colour=(0, 0, 0), space=0):
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(width, height or size * 0.5, _printable(text), align="C", new_x="LMARGIN", new_y="NEXT")
        if space:
            pdf.ln(space)

    pdf.set_y(26)
    line(event.network.name, size=16, style="B", colour=(30, 70, 110), space=6)
    line("Certificate of attendance", size=30, style="B", space=8)
    line("This is to certify that", size=13, space=3)
    line(booking.person.full_name, size=24, style="B", space=4)
    line("attended", size=13, space=3)
    # A long title gets a smaller size, so it never runs into the verification block.
    title_size = 18
    for title_size in (18, 16, 14, 12):
        pdf.set_font("Helvetica", style="B", size=title_size)
        if len(pdf.multi_cell(width, title_size * 0.5, _printable(event.title), dry_run=True, output="LINES")) <= 2:
            break
    line(event.title, size=title_size, style="B", space=3)
    line(f"on {day:%d/%m/%Y}", size=13, space=6)
    line(f"CPD hours: {hours}", size=15, style="B", space=10)

    pdf.set_y(pdf.h - 52)
    line(f"Verification code: {attendance.verification_code}", size=12, style="B", space=2)
    pdf.set_font("Helvetica", size=10)
    pdf.set_text_color(30, 70, 110)
    pdf.cell(width, 5, f"Check this certificate at {url}", align="C", link=url, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    line(
        f"Issued by {settings.PORTAL_NAME} on {timezone.localdate():%d/%m/%Y}.",
        size=9,
        colour=(90, 90, 90),
    )
    return bytes(pdf.output())


# -- The CPD record -------------------------------------------------------------------

CPD_RECORD_HEADER = (
    "Date",
    "Event",
    "Kind",
    "Network",
    "CPD hours",
    "Minutes attended",
    "Academic year",
    "Membership year",
    "Certificate code",
    "Check at",
)


def cpd_record_rows(entries: Iterable[Attendance]) -> Iterator[list]:
    """One row per credited attendance of a CPD record, under CPD_RECORD_HEADER."""
    for row in entries:
        event = row.booking.event
        day = timezone.localtime(event.starts_at).date()
        yield [
            f"{day:%d/%m/%Y}",
            event.title,
            event.get_kind_display(),
            event.network.name,
            format_hours(event.cpd_hours),
            "" if row.minutes_attended is None else row.minutes_attended,
            academic_year(day).label,
            membership_year(day).label,
            row.verification_code,
            verification_url(row.verification_code),
        ]
