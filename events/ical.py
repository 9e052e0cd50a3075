"""Calendars: an .ics file per confirmed booking, and a personal iCal feed of all of a
person's confirmed bookings behind a secret URL.

- Times are written in UTC ("Z"), which every calendar application reads and shows in
  its own time zone; nothing depends on a VTIMEZONE block being understood.
- UID is stable per booking (`booking-<pk>@<host>`), so re-downloading or a feed refresh
  updates the entry rather than adding a second one (LAST-MODIFIED says which is newer).
- A feed lists confirmed bookings only: a cancelled booking drops out of it, and
  calendar apps remove it on the next refresh.
- The feed URL cannot carry a login (calendar apps do not sign in), so its token is the
  credential: only a SHA-256 digest is stored, the person sees the URL once, and a
  revoked or unknown token answers 404.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from events.certificates import format_hours
from events.models import Booking, CalendarFeed, Event
from network.base.models import User
from trusts.models import Person

PRODID = "-//Subject Network Portal//CPD bookings//EN"
FEED_TOUCH_EVERY = datetime.timedelta(hours=1)


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


def confirmed(bookings):
    """The bookings that belong in a calendar: confirmed, for an event not cancelled."""
    return (
        bookings.filter(status=Booking.Status.CONFIRMED)
        .exclude(event__status=Event.Status.CANCELLED)
        .select_related("event", "session")
    )


def booking_ics(booking: Booking) -> bytes:
    """One confirmed booking as an .ics file."""
    calendar = _calendar(booking.event.title)
    calendar.add_component(_vevent(booking))
    return calendar.to_ical()


def feed_ics(person: Person) -> bytes:
    """All of `person`'s confirmed bookings, for their calendar feed."""
    calendar = _calendar(f"{settings.PORTAL_NAME}: my CPD bookings")
    calendar.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    bookings = confirmed(Booking.objects.filter(person=person)).order_by("event__starts_at", "pk")
    for booking in bookings:
        calendar.add_component(_vevent(booking))
    return calendar.to_ical()


def feed_url(token: str) -> str:
    return settings.PORTAL_BASE_URL + reverse("calendar_feed", args=[token])


# -- The feed's token -----------------------------------------------------------------


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


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed a token opens, or None (unknown or revoked). Records when the feed
    was last read, at most hourly, so the CPD page can say whether it is in use."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.filter(token_digest=CalendarFeed.digest(token), revoked_at__isnull=True)
        .select_related("person")
        .first()
    )
    if feed is not None:
        now = timezone.now()
        if feed.last_used_at is None or now - feed.last_used_at > FEED_TOUCH_EVERY:
            CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed
