"""Reads for attendance, CPD records, certificates and the trust executive's CPD view.
Each starts from `network.base.access.scoped` and costs a fixed number of queries.

CPD hours are credited only for attendance: a confirmed booking whose attendance says
attended. Years are counted by the event's start, in UK time:

- the academic year runs 1 September to 31 August;
- the membership year runs 1 April to 31 March (the network's default).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from events.models import Attendance, Booking, CalendarFeed, Event
from network.base import access, remembered
from network.base.rules import has
from network.base.school_years import Year, academic_year, academic_year_starting, membership_year  # noqa: F401
from trusts.models import Academy, Person, Trust

ZERO = Decimal("0")
FEED_TOUCH_EVERY = datetime.timedelta(hours=1)


# -- Years -----------------------------------------------------------------------------


# -- Attendance that credits CPD hours ----------------------------------------------


def credited(attendance: QuerySet) -> QuerySet:
    """Attendance that earns CPD hours: attended, on a confirmed booking."""
    return attendance.filter(attended=True, booking__status=Booking.Status.CONFIRMED)


def cpd_hours(user, *, person_id: int, year: Year | None = None) -> Decimal:
    """CPD hours credited to a person (within `year`, if given), as `user` may see them."""
    rows = credited(access.scoped(user, Attendance).filter(booking__person_id=person_id))
    if year is not None:
        rows = rows.filter(year.q("booking__event__starts_at"))
    return rows.aggregate(hours=Sum("booking__event__cpd_hours"))["hours"] or ZERO


# -- The register ------------------------------------------------------------------


def register_event(user, pk: int) -> Event:
    """The event whose register `user` may take; 404 for everyone else, like any page
    outside their scope."""
    event = access.get_scoped_or_404(user, Event.objects.select_related("network", "hub"), pk=pk)
    if not has(user, "events.take_register", event):
        raise Http404
    return event


def register_bookings(event: Event) -> QuerySet:
    """Confirmed bookings of an event with their attendance, for the register. The
    caller has checked `events.take_register` (the hub lead of a hub meeting sees every
    attendee's booking, whichever trust they are from: they run the meeting)."""
    return (
        Booking.objects.filter(event=event, status=Booking.Status.CONFIRMED)
        .select_related(
            "person",
            "session",
            "academy_at_booking",
            "trust_at_booking",
            "attendance",
            "attendance__marked_by",
            "attendance__overridden_by",
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )


def register_summary(event: Event) -> dict:
    return Booking.objects.filter(event=event, status=Booking.Status.CONFIRMED).aggregate(
        confirmed=Count("pk"),
        attended=Count("pk", filter=Q(attendance__attended=True)),
        absent=Count("pk", filter=Q(attendance__attended=False)),
        unmarked=Count("pk", filter=Q(attendance__isnull=True)),
    )


def register_booking(event: Event, booking_pk: int) -> Booking:
    try:
        return register_bookings(event).get(pk=booking_pk)
    except Booking.DoesNotExist:
        raise Http404 from None


# -- A person's CPD record --------------------------------------------------------------


@dataclass
class CpdRecord:
    entries: QuerySet  # credited attendance, newest first
    academic_year: Year
    membership_year: Year
    totals: dict  # hours/events: all, academic, membership
    upcoming: QuerySet  # confirmed bookings still to come (calendar downloads)
    feed: CalendarFeed | None

    def page_entries(self) -> QuerySet:
        """The entries as the page lists them: only the columns its table shows (date,
        event, session, kind, hours, the certificate's booking), without the network the
        CSV adds. Compiling every column of the four-table join was most of the page's
        cost (issue 14)."""
        return (
            self.entries.select_related(None)
            .select_related("booking__event", "booking__session")
            .only(
                "booking_id",
                "booking__session_id",
                "booking__event__title",
                "booking__event__starts_at",
                "booking__event__kind",
                "booking__event__cpd_hours",
                "booking__session__title",
            )
        )


def cpd_record(user, *, today: datetime.date | None = None) -> CpdRecord | None:
    """The signed-in person's CPD record: attended events with hours, totals for the
    current academic and membership years and overall, upcoming confirmed bookings and
    their live calendar feed. None when the account is not linked to a person. Each is
    read as the person's own rows (`access.own`), not through their whole scope."""
    if not user.person_id:
        return None
    today = today or timezone.localdate()
    academic, membership = academic_year(today), membership_year(today)
    entries = (
        credited(access.own(user, Attendance))
        .select_related("booking", "booking__event", "booking__event__network", "booking__session")
        .order_by("-booking__event__starts_at", "-pk")
    )
    hours = "booking__event__cpd_hours"

    def add_up():
        totals = entries.order_by().aggregate(
            hours=Sum(hours),
            events=Count("pk"),
            academic_hours=Sum(hours, filter=academic.q("booking__event__starts_at")),
            academic_events=Count("pk", filter=academic.q("booking__event__starts_at")),
            membership_hours=Sum(hours, filter=membership.q("booking__event__starts_at")),
            membership_events=Count("pk", filter=membership.q("booking__event__starts_at")),
        )
        return {key: value or (ZERO if key.endswith("hours") else 0) for key, value in totals.items()}

    # Credited attendance changes only when a register is taken or corrected (a counted
    # write) and the years' totals with the years: remembered for the person until then.
    totals = remembered.remember("cpd-totals", ("person", user.person_id, academic.label, membership.label), add_up)
    upcoming = (
        access.own(user, Booking)
        .filter(status=Booking.Status.CONFIRMED, event__ends_at__gte=timezone.now())
        .exclude(event__status=Event.Status.CANCELLED)
        .select_related("event")
        .only("event__title", "event__starts_at")
        .order_by("event__starts_at")
    )
    feed = access.own(user, CalendarFeed).filter(revoked_at__isnull=True).first()
    return CpdRecord(
        entries=entries,
        academic_year=academic,
        membership_year=membership,
        totals=totals,
        upcoming=upcoming,
        feed=feed,
    )


# -- Calendars and certificates --------------------------------------------------------


def confirmed(bookings: QuerySet) -> QuerySet:
    """The bookings that belong in a calendar: confirmed, for an event not cancelled."""
    return (
        bookings.filter(status=Booking.Status.CONFIRMED)
        .exclude(event__status=Event.Status.CANCELLED)
        .select_related("event", "session")
    )


def calendar_booking(user, pk: int) -> Booking:
    """A confirmed booking for an .ics download: a person's own, or any for a
    coordinator; 404 otherwise (including cancelled and waitlisted bookings)."""
    bookings = confirmed(access.scoped(user, Booking))
    if not has(user, "events.download_others_documents"):
        bookings = bookings.filter(person_id=user.person_id) if user.person_id else bookings.none()
    return access.get_scoped_or_404(user, bookings, pk=pk)


def certificate_attendance(user, booking_pk: int) -> Attendance:
    """The credited attendance behind a certificate download: a person's own, or any for
    a coordinator (to send one on). Absent, unattended or someone else's: 404."""
    rows = credited(access.scoped(user, Attendance)).select_related(
        "booking__person", "booking__event", "booking__event__network"
    )
    if not has(user, "events.download_others_documents"):
        rows = rows.filter(booking__person_id=user.person_id) if user.person_id else rows.none()
    return access.get_scoped_or_404(user, rows, booking_id=booking_pk)


def verified_certificate(code: str) -> Attendance | None:
    """The certificate a verification code belongs to, if it is genuine and stands: the
    attendance still says attended, on a confirmed booking of an event not cancelled.
    The public verification page has no user, so this is the one read outside the
    access door: the code itself (79 random bits) is the credential, and the page
    shows only the name, event, date and hours printed on the certificate."""
    if not code:
        return None
    return (
        credited(Attendance.objects.filter(verification_code=code))
        .exclude(booking__event__status=Event.Status.CANCELLED)
        .select_related("booking__person", "booking__event", "booking__event__network")
        .first()
    )


def feed_bookings(person: Person) -> QuerySet:
    """All of `person`'s confirmed bookings, soonest first, for their calendar feed."""
    return confirmed(Booking.objects.filter(person=person)).order_by("event__starts_at", "pk")


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed a token opens, or None (unknown or revoked). The feed URL cannot
    carry a login (calendar apps do not sign in), so its token is the credential, and
    this is a read outside the access door: only a SHA-256 digest is stored, the person
    sees the URL once, and a revoked or unknown token answers 404. Records when the feed
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


# -- The trust executive's view ----------------------------------------------------------


def trust_cpd_trust(user, pk: int) -> Trust:
    """The trust of a CPD participation page, through the door: a coordinator any, an
    executive their own; 404 otherwise. Who may open the page at all (not leaders, whose
    trust is visible to them but whose colleagues' participation is not theirs to browse)
    is the rule `events.open_trust_cpd`, which the view checks first."""
    return access.get_scoped_or_404(user, Trust, pk=pk)


def trust_cpd(user, trust: Trust, *, year: Year) -> dict:
    """One trust's CPD participation in `year`, by academy and by event, and which of its
    open academies had nobody attend. Participation is credited to the trust on the day
    (`Booking.trust_at_booking`), so an academy that has since left still counts here
    for what it did while in the trust, and one that has just joined does not bring its
    earlier bookings. Counts are not suppressed: it is the executive's own trust.

    Remembered between readers until a counted record changes, like the dashboards
    (`network.base.remembered`; `computed_at` says when): three aggregates over a
    trust's year of bookings were most of the page. Read through the user's scope, so
    the key names the user as well as the trust."""
    return remembered.remember(
        "trust-cpd",
        (user.pk, trust.pk, year.kind, year.starts_on),
        lambda: {**_trust_cpd(user, trust, year), "computed_at": timezone.now()},
    )


def _trust_cpd(user, trust: Trust, year: Year) -> dict:
    bookings = access.scoped(user, Booking).filter(
        trust_at_booking=trust, status=Booking.Status.CONFIRMED, **_year_kwargs(year)
    )
    attended = Q(attendance__attended=True)
    figures = {
        "booked": Count("pk"),
        "attended": Count("pk", filter=attended),
        "absent": Count("pk", filter=Q(attendance__attended=False)),
        "people": Count("person", filter=attended, distinct=True),
        "hours": Sum("event__cpd_hours", filter=attended),
    }
    # Each academy's row also counts its bookings for events still to come, so the list of
    # academies with nobody at any CPD is read from these rows: two EXISTS subqueries per
    # academy over the trust's bookings were the page's slowest query (issue 14).
    by_academy = list(
        bookings.values("academy_at_booking", "academy_at_booking__name", "academy_at_booking__urn")
        .annotate(**figures, upcoming=Count("pk", filter=Q(event__starts_at__gte=timezone.now())))
        .order_by("academy_at_booking__name")
    )
    by_event = list(
        bookings.values("event", "event__title", "event__starts_at", "event__kind")
        .annotate(**figures)
        .order_by("event__starts_at", "event__title")
    )
    totals = bookings.aggregate(**figures)
    totals["hours"] = totals["hours"] or ZERO
    rows = {row["academy_at_booking"]: row for row in by_academy}
    without = []
    for academy in access.scoped(user, Academy).filter(trust=trust, is_open=True).only("name", "urn").order_by("name"):
        row = rows.get(academy.pk)
        if not (row and row["attended"]):
            academy.has_upcoming = bool(row and row["upcoming"])
            without.append(academy)
    return {"by_academy": by_academy, "by_event": by_event, "totals": totals, "without_attendance": without}


def _year_kwargs(year: Year) -> dict:
    start, end = year.bounds()
    return {"event__starts_at__gte": start, "event__starts_at__lt": end}
