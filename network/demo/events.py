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

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from events.eligibility import window_problem
from events.models import Attendance, Booking, Event, Session
from events.services.booking import booking_approve, booking_cancel, booking_create, booking_decline
from network.base.models import User
from network.base.privacy.erasure import erased_person_ids
from network.demo.event_programme import HISTORY_REASON, SCIENCE, PlannedEvent, booked_so_far, plan_window
from network.programme.models import Hub, Network
from trusts.models import AcademyTrustMembership, Person


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
