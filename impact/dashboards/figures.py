"""The SQL every dashboard, KPI and the report share: what counts as taking part, which
trust it is credited to, and which academies a trust (or the network) had in a year.

Counting rules (written on the pages and in the report's JSON, `COUNTING_RULES`):

- taking part is *attendance*: a confirmed booking marked attended, at an event of the
  network that was not cancelled, counted in the year the event starts (UK time). A
  cancelled booking, a waitlist place or a no-show (marked absent, or never marked)
  does not count;
- a person is counted once however many events they attended;
- attendance is credited to the trust the person's academy belonged to on the day of
  the event (`trusts.AcademyTrustMembership`, as `trusts.services.trust_on` reads it);
  staff employed by a trust rather than an academy count for the trust on their booking;
- a trust's (or the network's) academies in a year are the open academies that belonged
  to it at any time in that year; pupils are their numbers on roll today.

Every function returns a queryset or does one aggregate query: a page calls a fixed
number of them whatever the size of the network.
"""

import datetime

from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.models import Attendance, Booking, Event
from network.base.school_years import Year
from trusts.models import Academy, AcademyTrustMembership

COUNTING_RULES = [
    "A person takes part when they are marked as attended at an event (a confirmed booking); "
    "cancelled bookings, waitlist places and no-shows do not count.",
    "A person is counted once, however many events they attended.",
    'A leader "joined online CPD" when marked attended at one or more online events in the year.',
    "Attendance is credited to the trust the person's academy belonged to on the day of the event "
    "(an academy that changed trust counts for each trust for its time there).",
    "Events of the network that were cancelled never count; an event counts in the year it starts (UK time).",
    "A trust's academies in a year are the open academies that belonged to it at any time in the year; "
    "pupils are the academies' numbers on roll.",
    "CPD hours are the event's CPD hours for each attendance.",
    "An academy is never engaged in a year when nobody from it attended any event in that year.",
    "Cross-trust comparisons shown to a trust never name another trust, and no figure is shown that rests "
    "on fewer than 5 people or 3 trusts.",
    "Survey invitations count in the year they were sent; a score counts in the month it was given; "
    "a mean of fewer than 5 answers is withheld.",
    "A claimed change counts in a year when evidence for it was gathered in that year, rated by the kinds "
    "of evidence gathered by the year's end (one kind: anecdotal; two: corroborated; three with pupils' "
    "work or data: triangulated).",
    "Innovation grants count in the year their round opened; a bid counts for its academy's trust when it was made.",
]

PEOPLE = Count("booking__person", distinct=True)
ATTENDANCES = Count("pk")
HOURS = Sum("booking__event__cpd_hours")
ACADEMIES_REACHED = Count("booking__academy_at_booking", distinct=True)
LAST_ATTENDED = Max("booking__event__starts_at")


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _credited_trust(start: datetime.datetime, end: datetime.datetime) -> Case:
    """The trust of the person's academy on the day of the event, as a CASE.

    Most academies never change trust: for them it is the academy's trust (kept in step
    with its history by `trusts.services.academy_move_trust`). Academies whose trust
    history changes during or after the period (a spell that starts inside it or ends
    after its start) get one WHEN per spell, with the spell's days turned into UK-time
    datetimes here, so the database compares the event's start with two constants
    instead of converting every row's time to a UK date. One small query finds them.
    Outside any spell (an academy between trusts), and for trust-wide staff with no
    academy, the trust recorded on the booking counts."""
    first_day = timezone.localdate(start)
    changed = AcademyTrustMembership.objects.filter(Q(left_on__gte=first_day) | Q(joined_on__gt=first_day))
    spells = list(
        AcademyTrustMembership.objects.filter(academy_id__in=changed.values("academy_id"))
        .filter(joined_on__lt=timezone.localdate(end))
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=first_day))
        .values_list("academy_id", "trust_id", "joined_on", "left_on")
    )
    whens = [
        When(
            Q(booking__academy_at_booking_id=academy_id, booking__event__starts_at__gte=_midnight(joined_on))
            & (
                Q()
                if left_on is None
                else Q(booking__event__starts_at__lt=_midnight(left_on + datetime.timedelta(days=1)))
            ),
            then=Value(trust_id),
        )
        for academy_id, trust_id, joined_on, left_on in spells
    ]
    moved = sorted({academy_id for academy_id, *_ in spells})
    if moved:
        whens.append(When(booking__academy_at_booking_id__in=moved, then=F("booking__trust_at_booking_id")))
    whens.append(When(booking__academy_at_booking__isnull=True, then=F("booking__trust_at_booking_id")))
    return Case(
        *whens,
        default=Coalesce(F("booking__academy_at_booking__trust_id"), F("booking__trust_at_booking_id")),
        output_field=IntegerField(),
    )


def credited_attendance(network, start: datetime.datetime, end: datetime.datetime) -> QuerySet:
    """Attendance that counts, at `network`'s events starting in [start, end), each row
    annotated with `credited_trust`: the trust of the person's academy on the event's
    day (UK time), or for trust-wide staff the trust recorded on their booking."""
    return (
        Attendance.objects.filter(
            attended=True,
            booking__status=Booking.Status.CONFIRMED,
            booking__event__network=network,
            booking__event__starts_at__gte=start,
            booking__event__starts_at__lt=end,
        )
        .exclude(booking__event__status=Event.Status.CANCELLED)
        .annotate(credited_trust=_credited_trust(start, end))
        .order_by()  # Attendance's default ordering would join and sort for nothing
    )


def in_year(network, year: Year) -> QuerySet:
    return credited_attendance(network, *year.bounds())


def academy_spells(network, first_day: datetime.date, last_day: datetime.date) -> QuerySet:
    """Trust memberships of open academies, in trusts of `network`, that overlap the days
    [first_day, last_day]: which academies each trust had in the period."""
    return AcademyTrustMembership.objects.filter(
        trust__networks=network, academy__is_open=True, joined_on__lte=last_day
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=first_day))


def academies_of(network, year: Year, *, trust=None, hub=None) -> QuerySet:
    """The open academies of `network`'s trusts (or of `trust`) in `year`, optionally only
    those in `hub`."""
    spells = academy_spells(network, year.starts_on, year.ends_on)
    if trust is not None:
        spells = spells.filter(trust=trust)
    academies = Academy.objects.filter(pk__in=spells.values("academy_id"))
    if hub is not None:
        academies = academies.filter(hubs=hub)
    return academies


def in_hub(rows: QuerySet, hub) -> QuerySet:
    """Attendance rows of people whose academy (on the booking) is in `hub`."""
    return rows if hub is None else rows.filter(booking__academy_at_booking__hubs=hub)


def headline(rows: QuerySet) -> dict:
    """People, attendances, CPD hours and academies reached, in one query."""
    totals = rows.aggregate(people=PEOPLE, attendances=ATTENDANCES, hours=HOURS, academies=ACADEMIES_REACHED)
    totals["hours"] = totals["hours"] or 0
    return totals


def by_trust(rows: QuerySet) -> dict[int, dict]:
    """Figures per credited trust, in one query."""
    grouped = (
        rows.values("credited_trust")
        .annotate(people=PEOPLE, attendances=ATTENDANCES, hours=HOURS, academies=ACADEMIES_REACHED)
        .order_by()
    )
    return {row.pop("credited_trust"): row for row in grouped if row["credited_trust"] is not None}


def by_academy(rows: QuerySet) -> dict[int, dict]:
    """Figures per academy (on the booking), in one query."""
    grouped = (
        rows.values("booking__academy_at_booking")
        .annotate(people=PEOPLE, attendances=ATTENDANCES, hours=HOURS, last=LAST_ATTENDED)
        .order_by()
    )
    return {row.pop("booking__academy_at_booking"): row for row in grouped}


def trust_sizes(network, year: Year, *, hub=None) -> dict[int, dict]:
    """Academies and pupils per trust in `year` (open academies in the trust at any time
    in the year; optionally only those in `hub`), in one query."""
    spells = academy_spells(network, year.starts_on, year.ends_on)
    if hub is not None:
        spells = spells.filter(academy__hubs=hub)
    grouped = (
        spells.values("trust")
        .annotate(academies=Count("academy", distinct=True), pupils=Sum("academy__pupils_on_roll"))
        .order_by()
    )
    return {row["trust"]: {"academies": row["academies"], "pupils": row["pupils"] or 0} for row in grouped}
