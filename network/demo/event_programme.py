"""The demo's CPD programme, planned: webinar series, hub meetings by half-term, the
conference and its workshops, placed in real teaching weeks around today. Pure data and
dates; `network.demo.events` writes it with bookings and attendance."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from events.models import Event
from network.programme.models import Hub
from trusts.models import JobRole

HISTORY_REASON = "Demo data (seed_demo)"
WINDOW_BEFORE = datetime.timedelta(days=91)
WINDOW_AFTER = datetime.timedelta(days=92)
MON, TUE, WED, THU, FRI, SAT = range(6)

J = JobRole
SCIENCE = [J.HEAD_OF_SCIENCE, J.SUBJECT_LEAD, J.TEACHER, J.ECT, J.TRAINEE, J.TECHNICIAN, J.TRUST_SCIENCE_LEAD]
TEACHING = [J.HEAD_OF_SCIENCE, J.SUBJECT_LEAD, J.TEACHER, J.ECT, J.TRAINEE]
LEADERS = [J.HEAD_OF_SCIENCE, J.SUBJECT_LEAD, J.TEACHER]


@dataclass(frozen=True)
class Series:
    title: str
    description: str
    roles: tuple
    capacity: int
    minutes: int
    weeks: dict  # term → (teaching week, weekday)


WEBINARS = [
    Series(
        "Required practicals that work",
        "How to run the GCSE required practicals so that pupils learn the science, not only the method: "
        "planning, kit lists technicians can use, and writing up.",
        (*TEACHING, J.TECHNICIAN),
        150,
        60,
        {"autumn": (3, TUE), "spring": (3, TUE), "summer": (2, TUE)},
    ),
    Series(
        "Physics for non-specialists",
        "The core ideas of energy, forces and electricity for biologists and chemists who teach physics at "
        "KS3 and GCSE: misconceptions, demonstrations and models that work.",
        (J.SUBJECT_LEAD, J.TEACHER, J.ECT, J.TRAINEE),
        120,
        90,
        {"autumn": (5, WED), "spring": (5, WED), "summer": (4, WED)},
    ),
    Series(
        "Disciplinary literacy in science",
        "Reading, writing and talking like a scientist: vocabulary, extended writing and oracy routines for "
        "KS3 and KS4 science.",
        (),
        200,
        60,
        {"autumn": (7, THU), "spring": (8, THU), "summer": (6, THU)},
    ),
    Series(
        "Models and analogies in chemistry",
        "Particle diagrams, bonding models and their limits: choosing and sequencing the models pupils meet "
        "from Year 7 to GCSE.",
        tuple(TEACHING),
        100,
        60,
        {"autumn": (10, TUE), "spring": (9, TUE), "summer": (8, TUE)},
    ),
    Series(
        "Mentoring early career science teachers",
        "For mentors and heads of science: observing and coaching a science ECT through the Early Career "
        "Framework, with practical work and behaviour in the lab.",
        tuple(LEADERS),
        80,
        60,
        {"autumn": (12, WED), "spring": (2, WED), "summer": (10, WED)},
    ),
]
HUB_WEEKS = {"autumn": (4, 12), "spring": (3, 9), "summer": (3, 11)}
HUB_THEMES = [
    "sharing practical work",
    "KS3 curriculum sequencing",
    "moderating assessment",
    "supporting early career teachers",
    "revision that works",
    "planning next year's curriculum",
]
WORKSHOPS = [  # (title, room, places, how many choose it)
    ("Workshop: required practicals on a shoestring", "Room 1", 40, 4),
    ("Workshop: teaching electricity to non-specialists", "Room 2", 30, 3),
    ("Workshop: reading like a scientist", "Room 3", 30, 3.5),
    ("Workshop: leading a department through curriculum change", "Room 4", 20, 1.5),
]


@dataclass
class PlannedEvent:
    kind: str
    title: str
    description: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    cpd_hours: Decimal
    roles: tuple = ()
    hub: str = ""
    is_online: bool = False
    venue: str = ""
    series: str = ""
    per_trust_cap: int | None = None
    needs_approval: bool = False
    booking_opens_at: datetime.datetime | None = None
    booking_closes_at: datetime.datetime | None = None
    sessions: list = field(default_factory=list)  # (title, room, capacity, weight)
    demand: tuple[float, float] = (0.45, 0.8)  # share of the places booked in the end
    fills_early: bool = False  # popular: booked up well ahead
    flagship: bool = False  # the demo always shows the next one that can still be booked

    @property
    def key(self):
        return (self.title, self.starts_at)


# -- The school calendar ------------------------------------------------------------


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _next_monday(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> datetime.date:
    day = datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)
    return _monday(day)


def teaching_weeks(start_year: int) -> dict[str, list[datetime.date]]:
    """The Monday of each teaching week, per term, of the academic year starting in
    September of `start_year` (a typical English calendar; half-terms left out)."""
    y = start_year
    terms = {
        "autumn": (_monday(datetime.date(y, 9, 3)), datetime.date(y, 12, 14), _last_monday(y, 10)),
        "spring": (_next_monday(datetime.date(y + 1, 1, 4)), datetime.date(y + 1, 3, 22),
                   _next_monday(datetime.date(y + 1, 2, 15))),
        "summer": (_next_monday(datetime.date(y + 1, 4, 12)), datetime.date(y + 1, 7, 13), _last_monday(y + 1, 5)),
    }  # fmt: skip
    weeks = {}
    for term, (first, last, half_term) in terms.items():
        mondays, day = [], first
        while day <= last:
            if day != half_term:
                mondays.append(day)
            day += datetime.timedelta(days=7)
        weeks[term] = mondays
    return weeks


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _day(weeks, term: str, week: int, weekday: int) -> datetime.date:
    mondays = weeks[term]
    return mondays[min(week, len(mondays)) - 1] + datetime.timedelta(days=weekday)


def plan_year(start_year: int, hubs: list[Hub]) -> list[PlannedEvent]:
    """Every event of the academic year starting in September of `start_year`."""
    weeks = teaching_weeks(start_year)
    events = []
    for series in WEBINARS:
        for term, (week, weekday) in series.weeks.items():
            day = _day(weeks, term, week, weekday)
            starts = _at(day, 16) if series.minutes == 60 else _at(day, 15, 45)
            events.append(
                PlannedEvent(
                    kind=Event.Kind.WEBINAR,
                    title=series.title,
                    description=series.description,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(minutes=series.minutes),
                    capacity=series.capacity,
                    cpd_hours=Decimal(series.minutes) / 60,
                    roles=series.roles,
                    is_online=True,
                    series=series.title,
                )
            )
    for i, hub in enumerate(hubs):
        weekday = (TUE, WED, THU)[i % 3]
        cluster = hub.kind == Hub.Kind.CLUSTER
        host = hub.lead.academy if hub.lead_id and hub.lead.academy_id else None
        half_terms = [(term, week) for term, pair in HUB_WEEKS.items() for week in pair]
        for n, (term, week) in enumerate(half_terms):
            day = _day(weeks, term, week, weekday)
            starts = _at(day, 16)
            events.append(
                PlannedEvent(
                    kind=Event.Kind.HUB_MEETING,
                    title=f"{hub.name} meeting: {HUB_THEMES[n]}",
                    description=f"The {hub.name}'s half-termly meeting, on {HUB_THEMES[n]}: bring an example "
                    "from your own department.",
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(minutes=120 if cluster else 90),
                    capacity=30 if cluster else 40,
                    cpd_hours=Decimal("2") if cluster else Decimal("1.5"),
                    hub=hub.name,
                    is_online=not cluster,
                    venue=f"{host.name}, {host.local_authority}" if cluster and host else "",
                    series=f"{hub.name} meetings",
                    demand=(0.55, 0.9),
                )
            )
    conference_day = datetime.date(start_year + 1, 1, 31)
    while conference_day.weekday() != SAT:  # the last Saturday of January
        conference_day -= datetime.timedelta(days=1)
    starts = _at(conference_day, 9, 30)
    events.append(
        PlannedEvent(
            kind=Event.Kind.CONFERENCE,
            title=f"Secondary Science Network National Conference {start_year + 1}",
            description="Our national day together: a keynote on the science curriculum, then a workshop of your "
            "choice, and time to meet colleagues from other trusts. Lunch is provided.",
            starts_at=starts,
            ends_at=_at(conference_day, 16),
            capacity=sum(w[2] for w in WORKSHOPS),
            cpd_hours=Decimal("5"),
            venue="Conference centre, Birmingham",
            per_trust_cap=15,
            booking_closes_at=starts - datetime.timedelta(days=7),
            sessions=[(t, room, cap, weight) for t, room, cap, weight in WORKSHOPS],
            demand=(1.1, 1.15),
            series="Secondary Science Network National Conference",
            fills_early=True,
            flagship=True,
        )
    )
    by_name = {h.name: h for h in hubs}
    physics = by_name.get("Physics Curriculum Hub")
    physics_host = physics.lead.academy if physics and physics.lead_id and physics.lead.academy_id else None
    # Training days: (title, description, places, roles, {term: (week, weekday)}, options). The
    # practical day (small, oversubscribed) and the leaders' day (needs approval) run every
    # term and are flagships: the demo always has the next one that can still be booked.
    training = [
        ("Separate sciences at KS4: a training day",
         "Planning and teaching triple science at GCSE: timetabling, practical work and the extra content.",
         40, tuple(LEADERS), {"autumn": (8, THU)}, {}),
        ("Physics for non-specialists: a hands-on practical day",
         "A day at the bench with the physics required practicals, for teachers whose degree was not physics. "
         "Small numbers, so everyone gets hands-on time.",
         24, (J.SUBJECT_LEAD, J.TEACHER, J.ECT, J.TRAINEE), {"autumn": (14, WED), "spring": (10, WED), "summer": (9, WED)},
         {"hub": physics.name if physics else "", "demand": (1.35, 1.45), "fills_early": True, "flagship": True,
          "venue": f"{physics_host.name}, {physics_host.local_authority}" if physics_host else ""}),
        ("Leading practical science: a training day for science leaders",
         "For heads of science and subject leads: a whole-department approach to practical work, technicians and "
         "budgets. Your headteacher or head of science approves the place (supply cover).",
         30, tuple(LEADERS), {"autumn": (6, THU), "spring": (6, THU), "summer": (6, THU)},
         {"needs_approval": True, "demand": (0.8, 0.9), "closes_days": 10, "flagship": True}),
        ("Science technicians' training day",
         "Safe preparation of the required practicals, CLEAPSS updates and managing a prep room.",
         30, (J.TECHNICIAN,), {"summer": (5, THU)}, {}),
    ]  # fmt: skip
    for title, description, capacity, roles, when, options in training:
        for term, (week, weekday) in when.items():
            extra = dict(options)
            day = _day(weeks, term, week, weekday)
            starts = _at(day, 9, 30)
            closes = extra.pop("closes_days", None)
            events.append(
                PlannedEvent(
                    kind=Event.Kind.TRAINING_DAY,
                    title=title,
                    description=description,
                    starts_at=starts,
                    ends_at=_at(day, 15, 30),
                    capacity=capacity,
                    cpd_hours=Decimal("5"),
                    roles=roles,
                    venue=extra.pop("venue", "") or "Network training centre, Leeds",
                    booking_closes_at=starts - datetime.timedelta(days=closes) if closes else None,
                    series=title if len(when) > 1 else "",
                    **{"demand": (0.75, 0.95), **extra},
                )
            )
    return events


def plan_window(today: datetime.date, hubs: list[Hub]) -> list[PlannedEvent]:
    """The events within the window around `today`, and, of each flagship (the
    conference, the practical day, the leaders' day), the next one whose booking is
    open for more than a week yet, wherever it falls."""
    now_year = today.year if today.month >= 9 else today.year - 1
    planned = [e for y in (now_year - 1, now_year, now_year + 1) for e in plan_year(y, hubs)]
    low = _at(today, 0) - WINDOW_BEFORE
    high = _at(today, 0) + WINDOW_AFTER
    chosen = [e for e in planned if low <= e.starts_at < high]
    open_from = _at(today, 0) + datetime.timedelta(days=8)
    for series in sorted({e.series for e in planned if e.flagship}):
        following = [e for e in planned if e.series == series and (e.booking_closes_at or e.starts_at) > open_from]
        nearest = min(following, key=lambda e: e.starts_at, default=None)
        if nearest is not None and nearest not in chosen:
            chosen.append(nearest)
    return sorted(chosen, key=lambda e: (e.starts_at, e.title))


def booked_so_far(days_ahead: int) -> float:
    """The share of an event's final bookings made `days_ahead` days before it: most
    people book in the last fortnight (a third of them a month or more ahead)."""
    if days_ahead <= 7:
        return 1.0
    if days_ahead <= 30:
        return 1.0 - 0.7 * (days_ahead - 7) / 23
    return 0.3


# -- Writing ------------------------------------------------------------------------
