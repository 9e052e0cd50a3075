"""The demo's CPD programme, relative to today: about three months back and three ahead.

The programme is planned on the school calendar, not on today: each academic year has
its termly webinar series, a hub meeting per hub each half-term, training days and the
national conference in January, on fixed weeks of each term. The demo keeps the events
that fall in the window around today (and the next conference, wherever it falls), so a
run on another day plans the same events where the windows overlap and only adds those
that have come into view. Events are keyed by (title, start); an event's bookings and
attendance are written with the event, never added to one that exists.

Bookings of events still to come go through the services (`booking_create`,
`booking_approve`, `booking_decline`, `booking_cancel`) with `by=` a demo login, so
capacity, the per-trust cap, sessions, approval, the waitlist and its promotion, the
history and the trust credited on the day all hold; fewer people have booked an event
months away than one next week. The services refuse to book an event that has started,
and a register ticked today would be dated today, so the past is written as history, the
way the seed writes trust moves and inspections: the same rules (within capacity,
credited to the trust of the academy on the day of booking, attendance only for
confirmed bookings), each row with a history entry by the coordinator dated when it
happened.

The demo leader (`leader@demo.network`) has exactly two upcoming bookings (their hub's
next meeting and the conference) and two past events attended (their hub's last meeting
and a webinar); their academy's colleagues wait for their approval of a training day.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from events.models import Attendance, Booking, Event, Session
from events.services import booking_approve, booking_cancel, booking_create, booking_decline, window_problem
from network.erasure import erased_person_ids
from network.models import Hub, Network, User
from trusts.models import AcademyTrustMembership, JobRole, Person

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


@dataclass
class EventsSummary:
    created: dict[str, int] = field(default_factory=dict)


class EventSeeder:
    def __init__(self, *, network: Network, seed: int, today: datetime.date, coordinator: User, leader: User):
        self.network, self.seed, self.today = network, seed, today
        self.coordinator, self.leader = coordinator, leader
        self.now = timezone.now()
        self.summary = EventsSummary()

    def _count(self, what: str, n: int):
        if n:
            self.summary.created[what] = self.summary.created.get(what, 0) + n

    def write(self) -> EventsSummary:
        hubs = list(self.network.hubs.select_related("lead__academy").prefetch_related("academies").order_by("name"))
        planned = plan_window(self.today, hubs)
        existing = set(Event.objects.filter(network=self.network).values_list("title", "starts_at"))
        new = [e for e in planned if e.key not in existing]
        if not new:
            return self.summary
        self._load_people(hubs)
        events = self._write_events(new, {h.name: h for h in hubs})
        leader_plan = self._leader_plan(new)
        past, future = [], []
        for p in new:  # an event whose booking has closed was booked in the past
            (past if (p.booking_closes_at or p.starts_at) <= self.now else future).append(p)
        self._write_past(past, events, leader_plan)
        for p in future:
            self._book_future(p, events[p.key], leader_plan.get(p.key))
        return self.summary

    # -- People --------------------------------------------------------------------

    def _load_people(self, hubs):
        trusts = self.network.member_trusts.all()
        people = (
            Person.objects.filter(job_role__in=SCIENCE)
            .filter(Q(academy__trust__in=trusts) | Q(academy__isnull=True, trust__in=trusts))
            .exclude(pk__in=erased_person_ids())  # an erased person is booked on nothing new
            .select_related("academy")
            .order_by("email")
        )
        leader_person = self.leader.person_id if self.leader else None
        self.people = [p for p in people if p.pk != leader_person]
        self.hub_academies = {h.name: {a.pk for a in h.academies.all()} for h in hubs}
        self.spells: dict[int, list] = {}
        for m in AcademyTrustMembership.objects.order_by("joined_on").values_list(
            "academy_id", "trust_id", "joined_on", "left_on"
        ):
            self.spells.setdefault(m[0], []).append(m[1:])

    def _pool(self, p: PlannedEvent) -> list[Person]:
        pool = self.people
        if p.roles:
            pool = [x for x in pool if x.job_role in p.roles]
        if p.hub:
            members = self.hub_academies.get(p.hub, set())
            pool = [x for x in pool if x.academy_id in members]
        return pool

    def _trust_on(self, person: Person, day: datetime.date) -> int | None:
        """`trusts.services.trust_on`, from the trust spells loaded once."""
        if not person.academy_id:
            return person.trust_id
        for trust_id, joined, left in reversed(self.spells.get(person.academy_id, [])):
            if joined <= day and (left is None or left >= day):
                return trust_id
        return person.academy.trust_id

    # -- Events --------------------------------------------------------------------

    def _write_events(self, new: list[PlannedEvent], hubs: dict[str, Hub]) -> dict:
        previous = {}
        for series, starts_at, pk in (
            Event.objects.filter(network=self.network).exclude(series="").values_list("series", "starts_at", "pk")
        ):
            previous.setdefault(series, []).append((starts_at, pk))
        events = {}
        sessions = 0
        for p in new:
            earlier = [(s, pk) for s, pk in previous.get(p.series, []) if s < p.starts_at]
            created_at = min(self.now, p.starts_at - datetime.timedelta(days=70))
            event = Event(
                kind=p.kind,
                title=p.title,
                description=p.description,
                network=self.network,
                hub=hubs.get(p.hub),
                starts_at=p.starts_at,
                ends_at=p.ends_at,
                is_online=p.is_online,
                venue=p.venue,
                joining_link=f"https://meet.example/ssn/{slugify(p.title)[:60]}-{p.starts_at:%Y%m%d}"
                if p.is_online
                else "",
                capacity=p.capacity,
                booking_opens_at=p.booking_opens_at,
                booking_closes_at=p.booking_closes_at,
                audience_roles=[str(r) for r in p.roles],
                cpd_hours=p.cpd_hours,
                per_trust_cap=p.per_trust_cap,
                needs_approval=p.needs_approval,
                series=p.series,
                duplicated_from_id=max(earlier)[1] if earlier else None,
                created_by=self.coordinator,
                created_at=created_at,
            )
            event._history_user = self.coordinator
            event._history_date = created_at
            event._change_reason = HISTORY_REASON
            event.save()
            previous.setdefault(p.series, []).append((event.starts_at, event.pk))
            if p.sessions:
                afternoon = p.starts_at.replace(hour=13, minute=30)
                Session.objects.bulk_create(
                    Session(event=event, title=t, room=room, capacity=cap, starts_at=afternoon,
                            ends_at=afternoon + datetime.timedelta(minutes=75))
                    for t, room, cap, _weight in p.sessions
                )  # fmt: skip
                sessions += len(p.sessions)
            events[p.key] = event
        self._count("events", len(events))
        self._count("sessions", sessions)
        return events

    def _leader_plan(self, new: list[PlannedEvent]) -> dict:
        """The events the demo leader is booked on: their hub's latest past meeting and
        the latest past webinar for their role (attended), their hub's next meeting at
        least a week ahead and the conference (upcoming, so they are still upcoming when
        someone looks in the coming days). Only among the events created now."""
        if self.leader is None or not self.leader.person_id:
            return {}
        person = self.leader.person
        hub = next((name for name, ids in sorted(self.hub_academies.items()) if person.academy_id in ids), None)
        ended = [p for p in new if p.ends_at <= self.now]
        ahead = [p for p in new if p.starts_at > self.now + datetime.timedelta(days=7)]
        picks = [
            max((p for p in ended if p.hub == hub and p.kind == Event.Kind.HUB_MEETING), key=lambda p: p.starts_at,
                default=None),
            max((p for p in ended if p.kind == Event.Kind.WEBINAR and (not p.roles or person.job_role in p.roles)),
                key=lambda p: p.starts_at, default=None),
            min((p for p in ahead if p.hub == hub and p.kind == Event.Kind.HUB_MEETING), key=lambda p: p.starts_at,
                default=None),
            min((p for p in ahead if p.kind == Event.Kind.CONFERENCE), key=lambda p: p.starts_at, default=None),
        ]  # fmt: skip
        return {p.key: person for p in picks if p is not None}

    def _chosen(self, p: PlannedEvent, rng: random.Random, *, progress: float = 1.0) -> list[Person]:
        pool = self._pool(p)
        low, high = p.demand
        wanted = round(p.capacity * rng.uniform(low, high) * progress)
        if not p.fills_early:
            wanted = min(wanted, round(len(pool) * 0.6))
        return rng.sample(pool, min(len(pool), max(0, wanted)))

    # -- The past: written as history -------------------------------------------------

    def _write_past(self, past: list[PlannedEvent], events: dict, leader_plan: dict):
        bookings, cancels = [], []
        for p in past:
            rng = random.Random(f"{self.seed}:event:{p.title}:{p.starts_at.isoformat()}")
            event = events[p.key]
            people = self._chosen(p, rng)
            if p.key in leader_plan:
                people.insert(0, leader_plan[p.key])
            deadline = p.booking_closes_at or p.starts_at
            # The places were taken as the services give them: within capacity, the
            # per-trust cap and each session's places.
            free = {s.pk: s.capacity for s in event.sessions.all()}
            sessions = {s.pk: s for s in event.sessions.all()}
            weights = dict(zip(sorted(free), [w for *_rest, w in p.sessions], strict=False))
            per_trust: dict[int | None, int] = {}
            taken = 0
            for person in people:
                if taken >= p.capacity:
                    break
                created = p.starts_at - datetime.timedelta(days=rng.randint(2, 40), hours=rng.randint(0, 8))
                if created >= deadline:
                    created = deadline - datetime.timedelta(hours=rng.randint(1, 72))
                trust_id = self._trust_on(person, timezone.localdate(created))
                if p.per_trust_cap and per_trust.get(trust_id, 0) >= p.per_trust_cap:
                    continue
                session = None
                if free:
                    open_sessions = [pk for pk in sorted(free) if free[pk] > 0]
                    if not open_sessions:
                        break
                    pk = rng.choices(open_sessions, weights=[weights[pk] for pk in open_sessions])[0]
                    free[pk] -= 1
                    session = sessions[pk]
                per_trust[trust_id] = per_trust.get(trust_id, 0) + 1
                taken += 1
                by = self.leader if person == leader_plan.get(p.key) else self.coordinator
                booking = Booking(
                    event=event,
                    session=session,
                    person=person,
                    trust_at_booking_id=trust_id,
                    academy_at_booking_id=person.academy_id,
                    status=Booking.Status.CONFIRMED,
                    booked_by=by,
                    created_at=created,
                    confirmed_at=created,
                )
                booking._history_user, booking._history_date, booking._change_reason = by, created, "Booked"
                if p.needs_approval:  # approved by the coordinator the next working day
                    booking.approved_by = self.coordinator
                    booking.approved_at = booking.confirmed_at = created + datetime.timedelta(days=1)
                bookings.append(booking)
                if by == self.coordinator and rng.random() < 0.05:
                    cancels.append((booking, created + (p.starts_at - created) * rng.uniform(0.3, 0.9)))
        bookings = bulk_create_with_history(bookings, Booking, batch_size=500)
        for booking, when in cancels:
            booking.status = Booking.Status.CANCELLED
            booking.status_reason = "Can no longer attend"
            booking.cancelled_at = when
            booking.cancelled_by = self.coordinator
            booking._history_user, booking._history_date, booking._change_reason = self.coordinator, when, "Cancelled"
        if cancels:
            cancelled = [b for b, _ in cancels]
            Booking.objects.bulk_update(cancelled, ["status", "status_reason", "cancelled_at", "cancelled_by"])
            Booking.history.bulk_history_create(cancelled, update=True)
        self._count("bookings", len(bookings))
        self._write_attendance([b for b in bookings if b.status == Booking.Status.CONFIRMED], leader_plan)

    def _write_attendance(self, bookings: list[Booking], leader_plan: dict):
        rows = []
        for booking in bookings:
            event = booking.event
            if event.ends_at > self.now:
                continue  # still going on: the register is taken at the end
            rng = random.Random(f"{self.seed}:attendance:{booking.person.email}:{event.starts_at.isoformat()}")
            leader = booking.person == leader_plan.get((event.title, event.starts_at))
            duration = int((event.ends_at - event.starts_at).total_seconds() // 60)
            if event.is_online:
                attended = leader or rng.random() < 0.82
                minimum = duration * 3 // 4
                minutes = rng.randint(minimum, duration) if attended else rng.randint(3, minimum - 1)
                marked = event.ends_at + datetime.timedelta(days=1, hours=rng.randint(0, 6))
                row = Attendance(booking=booking, attended=attended, minutes_attended=minutes,
                                 source=Attendance.Source.PLATFORM_CSV, marked_by=self.coordinator, marked_at=marked)  # fmt: skip
                row._change_reason = f"Platform report: {minutes} min (minimum {minimum})"
            else:
                attended = leader or rng.random() < 0.9
                marked = event.ends_at + datetime.timedelta(minutes=rng.randint(5, 90))
                row = Attendance(booking=booking, attended=attended, source=Attendance.Source.REGISTER,
                                 marked_by=self.coordinator, marked_at=marked)  # fmt: skip
                row._change_reason = f"Register: {'attended' if attended else 'absent'}"
            row._history_user, row._history_date = self.coordinator, marked
            rows.append(row)
        bulk_create_with_history(rows, Attendance, batch_size=500)
        self._count("attendance", len(rows))

    # -- What is still to come: through the services -----------------------------------

    def _book_future(self, p: PlannedEvent, event: Event, leader: Person | None):
        if window_problem(event=event):
            return  # booking has not opened yet, or has closed: nobody could have booked
        rng = random.Random(f"{self.seed}:event:{p.title}:{p.starts_at.isoformat()}")
        progress = 1.0 if p.fills_early else booked_so_far((p.starts_at - self.now).days)
        people = self._chosen(p, rng, progress=progress)
        if p.needs_approval:  # two of the demo leader's colleagues ask them for approval
            colleagues = [x for x in self._pool(p) if x.academy_id == self._leader_academy()][:2]
            people = colleagues + [x for x in people if x not in colleagues]
        if leader is not None:
            people.insert(0, leader)
        sessions = list(event.sessions.order_by("pk"))  # in the order planned, as the weights are
        weights = [w for *_rest, w in p.sessions]
        made = []
        for person in people:
            session = rng.choices(sessions, weights=weights)[0] if sessions else None
            by = self.leader if person == leader else self.coordinator
            made.append(booking_create(event=event, person=person, by=by, session=session))
        self._count("bookings", len(made))
        if p.needs_approval:
            self._decide(made, rng)
        else:
            confirmed = [b for b in made if b.status == Booking.Status.CONFIRMED and b.person != leader]
            waiting = any(b.status == Booking.Status.WAITLISTED for b in made)
            if waiting and confirmed:  # someone drops out and the waitlist moves up
                for booking in rng.sample(confirmed, min(2 if p.kind == Event.Kind.CONFERENCE else 1, len(confirmed))):
                    booking_cancel(booking=booking, by=self.coordinator, reason="Can no longer attend")

    def _leader_academy(self) -> int | None:
        return self.leader.person.academy_id if self.leader and self.leader.person_id else None

    def _decide(self, made: list[Booking], rng: random.Random):
        """Requests for approval: the coordinator approves most, declines one; those from
        the demo leader's academy wait for the leader to decide."""
        own = self._leader_academy()
        others = [b for b in made if b.person.academy_id != own]
        declined = False
        for booking in others:
            roll = rng.random()
            if roll < 0.6:
                booking_approve(booking=booking, by=self.coordinator)
            elif not declined:
                booking_decline(booking=booking, by=self.coordinator)
                declined = True


def counts(network: Network, now: datetime.datetime) -> dict[str, int]:
    """Events, bookings and attendance, for the command's summary."""
    events = Event.objects.filter(network=network).aggregate(
        upcoming=Count("pk", filter=Q(starts_at__gt=now)), past=Count("pk", filter=Q(starts_at__lte=now))
    )
    bookings = Booking.objects.filter(event__network=network).aggregate(
        all=Count("pk"),
        confirmed=Count("pk", filter=Q(status=Booking.Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Booking.Status.WAITLISTED)),
        pending=Count("pk", filter=Q(status=Booking.Status.PENDING_APPROVAL)),
    )
    attended = Attendance.objects.filter(booking__event__network=network, attended=True).count()
    return {
        "Events ahead": events["upcoming"],
        "Events past": events["past"],
        "Bookings": bookings["all"],
        "  confirmed": bookings["confirmed"],
        "  waitlisted": bookings["waitlisted"],
        "  to approve": bookings["pending"],
        "Attended (CPD)": attended,
    }
