"""The demo's academy visits, relative to today, for the current membership year.

Written through the visit services (`by=` the demo coordinator), so the state machine,
the caps, the double-booking check and the extra visit's invoice line all hold; a past
visit is scheduled "as of" three weeks before it and its report's dates are then set
to when they would have happened, the way the events seed writes the past.

Per trust (a block of ten trusts grows with `--scale`): the annual consultant visit is
requested for every active member in one action; of each trust's members, one visit
happened with its report agreed and an action still open (some overdue), one happened
and is closed (every action done), one is scheduled ahead, one waits for its report
(written or agreed); the rest are open requests for the brokers. Every other trust asks
to see practice (an open peer request) or has had a peer visit; the first trust of each
block has a moderation visit (Framework strands rated) and the second an extra visit
(£300 + VAT on the invoice lines). Consultant headteachers (no academy) make the
consultant visits; the visitor login is one of them, so it has visits assigned.

Idempotent: visits are keyed by (kind, host academy, visiting academy) within the
membership year (annual ones by the year, a unique constraint); a second run, or a run
on a later day of the same year, creates nothing.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone

from events.visits.coverage import current_year
from events.visits.models import Visit, VisitAction, VisitLog, VisitReport, VisitVisitor
from events.visits.policy import FRAMEWORK_STRANDS, STRAND_RATINGS, policy_for
from events.visits.services import actions, kinds, reports, requests, scheduling
from events.visits.terms import term_containing
from network.base.models import User
from network.programme.membership.models import Membership
from network.programme.models import Network
from trusts.models import Academy, Designation, ExpertiseTag, JobRole, Person

CONSULTANT_HEAD = "Consultant headteacher"
CONSULTANTS_PER_BLOCK = 12
CONSULTANT_NAMES = [
    ("Helen", "Ashworth"), ("Marcus", "Okoye"), ("Judith", "Pryce"), ("Aled", "Rees"), ("Farah", "Siddiqui"),
    ("Colin", "Brennan"), ("Nadia", "Kowalczyk"), ("Peter", "Lindqvist"), ("Grace", "Oduya"), ("Simon", "Hartley"),
    ("Rachel", "Moore"), ("Imran", "Chaudhry"),
]  # fmt: skip
SEEN = (
    "Lessons in Years 8, 10 and 12 across the three sciences, a learning walk of the practical labs with the "
    "senior technician, and a conversation with the head of science about the KS3 curriculum."
)
STRENGTHS = (
    "Practical work is planned with the technicians a week ahead, so lessons start promptly; pupils explain "
    "the method and the science behind it. Teachers model scientific writing well."
)
DEVELOPMENT = (
    "Checking understanding during practicals: most questions went to volunteers. Sequencing of the KS3 "
    "forces unit so that it prepares for GCSE equations."
)
ACTIONS = (
    "Plan two hinge questions into every required practical and share them in the department.",
    "Re-sequence the Year 8 forces unit and review it at the summer department meeting.",
    "Pair each early career teacher with a colleague for one observed practical a half-term.",
)


def _school_day(day: datetime.date) -> bool:
    """A weekday outside the Christmas break (schools close from about 20 December to
    4 January): the demo never sends a consultant in on New Year's Day."""
    christmas = (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 4)
    return day.weekday() < 5 and not christmas


@dataclass
class VisitsSummary:
    created: dict[str, int] = field(default_factory=dict)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class VisitSeeder:
    def __init__(self, *, network: Network, seed: int, scale: int, today: datetime.date, coordinator: User,
                 leader: User | None, visitor: User | None):  # fmt: skip
        self.network, self.seed, self.scale, self.today = network, seed, scale, today
        self.coordinator, self.leader, self.visitor = coordinator, leader, visitor
        self.summary = VisitsSummary()
        self.now = timezone.now()

    def _count(self, what: str, n: int = 1):
        if n:
            self.summary.created[what] = self.summary.created.get(what, 0) + n

    def write(self) -> VisitsSummary:
        year = current_year(self.network, self.today)
        if year is None or self.coordinator is None:
            return self.summary
        self.year = year
        self.kinds = kinds.visit_kinds_ensure(network=self.network)
        self.tags = list(ExpertiseTag.objects.order_by("name"))
        self.consultants = self._consultants()
        self._load_diary()
        before = set(Visit.objects.filter(annual_for=year).values_list("pk", flat=True))
        made = requests.visits_create_annual(year=year, by=self.coordinator)
        self._count("visit requests (annual)", made)
        fresh = {
            v.host_academy_id: v
            for v in Visit.objects.filter(annual_for=year).exclude(pk__in=before).select_related("kind", "network")
        }
        # Natural key of the other visits: (kind, direction, the academy that asked) this year.
        self.existing = {
            (code, direction, host if direction == Visit.Direction.HOST else visiting)
            for code, direction, host, visiting in Visit.objects.filter(network=self.network, annual_for__isnull=True)
            .filter(Q(requested_at__date__gte=year.starts_on) | Q(starts_at__date__gte=year.starts_on))
            .values_list("kind__code", "direction", "host_academy_id", "visiting_academy_id")
        }
        members = (
            Membership.objects.filter(year=year, status=Membership.Status.ACTIVE)
            .select_related("academy__trust")
            .order_by("academy__trust__gias_uid", "academy__urn")
        )
        # Keyed by the trust's GIAS id, never its pk: on PostgreSQL a rolled-back run uses
        # up ids, so a pk in the random seed would draw different visits on the next run.
        by_trust: dict[str, list[Academy]] = {}
        for m in members:
            by_trust.setdefault(m.academy.trust.gias_uid, []).append(m.academy)
        leader_academy = self.leader.person.academy_id if self.leader and self.leader.person_id else None
        self.slot = 0
        for index, (trust_uid, academies) in enumerate(by_trust.items()):
            rng = random.Random(f"{self.seed}:visits:{trust_uid}")
            academies.sort(key=lambda a: (a.pk != leader_academy, a.urn))  # the demo leader's academy first
            self._trust(index, academies, fresh, rng)
        return self.summary

    # -- People --------------------------------------------------------------------

    def _consultants(self) -> list[Person]:
        designation, _ = Designation.objects.get_or_create(name=CONSULTANT_HEAD)
        people = []
        for block in range(self.scale):
            for i, (first, last) in enumerate(CONSULTANT_NAMES[:CONSULTANTS_PER_BLOCK]):
                email = f"{first}.{last}{block or ''}@consultants.demo.network".lower()
                if block == 0 and i == 0 and self.visitor is not None:
                    email = self.visitor.email  # the visitor login is the first consultant
                person, created = Person.objects.get_or_create(
                    email=email,
                    defaults={
                        "first_name": first,
                        "last_name": last,
                        "job_role": JobRole.HEADTEACHER,
                        "expertise_summary": "Consultant headteacher: school improvement visits in science.",
                    },
                )
                if created:
                    person.designations.add(designation)
                    person.expertise.set(random.Random(f"{self.seed}:consultant:{email}").sample(self.tags, 3))
                    self._count("consultants")
                people.append(person)
        if self.visitor is not None and self.visitor.person_id is None:
            self.visitor.person = people[0]
            self.visitor.full_name = people[0].full_name
            self.visitor.save(update_fields=["person", "full_name"])
        return people

    def _host_people(self, academy: Academy) -> list[Person]:
        return list(
            Person.objects.filter(
                academy=academy, job_role__in=(JobRole.HEAD_OF_SCIENCE, JobRole.SUBJECT_LEAD)
            ).order_by("job_role", "email")[:2]
        ) or list(Person.objects.filter(academy=academy).order_by("email")[:1])

    # -- One trust ------------------------------------------------------------------

    def _trust(self, index: int, academies: list[Academy], fresh: dict, rng: random.Random):
        plan = ["agreed_open", "closed", "scheduled", "submitted" if index % 2 else "unwritten"]
        for academy, step in zip(academies, plan, strict=False):
            visit = fresh.get(academy.pk)
            if visit is not None:
                self._annual(visit, step, rng)
        if len(academies) >= 6:
            seeker, host = academies[4], academies[5]
            if index % 2 == 0:
                self._peer_request(seeker, rng)
            else:
                self._peer_visit(seeker, host, rng)
        if index % 10 == 0 and len(academies) >= 7:
            self._one_off("moderation", academies[6], rng)
        if index % 10 == 1 and len(academies) >= 7:
            self._one_off("extra", academies[6], rng)

    def _days(self, rng, step: str) -> int:
        self.slot += 1
        if step == "scheduled":
            return 4 + (self.slot * 3) % 55
        return -(12 + (self.slot * 5 + rng.randrange(3)) % 70)

    def _schedule(
        self, visit: Visit, days: int, visitors_pool, *, host=None, contact=None, online=False
    ) -> Visit | None:
        day = self.today + datetime.timedelta(days=days)
        while not _school_day(day):
            day += datetime.timedelta(days=1)
        starts, ends = _at(day, 9), _at(day, 12, 30)
        as_of = min(self.now, starts - datetime.timedelta(days=21))
        for visitors in visitors_pool:
            if not self._free([*visitors, contact], day):
                continue  # skip, rather than ask the service to refuse (the seed stays fast)
            try:
                return scheduling.visit_schedule(
                    visit=visit, starts_at=starts, ends_at=ends, visitors=visitors, host_academy=host, host_contact=contact,
                    is_online=online, joining_link="https://meet.example/ssn-visit" if online else "",
                    by=self.coordinator, now=as_of,
                )  # fmt: skip
            except ValidationError:  # at the cap or on another visit that day: the next one
                continue
        return None

    def _free(self, people, day: datetime.date) -> bool:
        """Free that day and under the term's cap, from the diary kept as visits are made."""
        term = term_containing(day)
        for person in people:
            if person is None:
                continue
            days = self.diary.setdefault(person.pk, [])
            if day in days or sum(term.starts_on <= d <= term.ends_on for d in days) >= self.cap:
                return False
        for person in people:
            if person is not None:
                self.diary[person.pk].append(day)
        return True

    def _load_diary(self):
        self.cap = policy_for(self.network).visitor_cap_per_term
        self.diary: dict[int, list[datetime.date]] = {}
        on_diary = Visit.objects.filter(status__in=Visit.ON_THE_DIARY)
        rows = [
            *VisitVisitor.objects.filter(visit__in=on_diary).values_list("person_id", "visit__starts_at"),
            *on_diary.filter(host_contact__isnull=False).values_list("host_contact_id", "starts_at"),
        ]
        for person_id, starts in rows:
            self.diary.setdefault(person_id, []).append(timezone.localtime(starts).date())

    def _consultant_pools(self, rng):
        start = rng.randrange(len(self.consultants))
        ordered = self.consultants[start:] + self.consultants[:start]
        if self.visitor is not None and self.visitor.person_id and rng.random() < 0.35:
            ordered = [self.visitor.person, *ordered]
        return [[p] for p in ordered]

    def _annual(self, visit: Visit, step: str, rng):
        contact = next(iter(self._host_people(visit.host_academy)), None)
        visit.focus_areas.set(rng.sample(self.tags, 2))
        visit = self._schedule(visit, self._days(rng, step), self._consultant_pools(rng), contact=contact)
        if visit is None:
            return
        self._count("visits scheduled")
        if step == "scheduled":
            return
        self._happened(visit, step, rng)

    def _happened(self, visit: Visit, step: str, rng, *, strands: dict | None = None):
        visit = scheduling.visit_complete(visit=visit, by=self.coordinator)
        self._count("visits completed")
        if step == "unwritten":
            return self._backdate(visit)
        owners = self._host_people(visit.host_academy)
        if self.leader and self.leader.person and self.leader.person.academy_id == visit.host_academy_id:
            owners = [self.leader.person, *owners]
        day = timezone.localtime(visit.starts_at).date()
        drafts = [
            reports.ActionDraft(text, owners[i % len(owners)], day + datetime.timedelta(days=rng.choice((21, 35, 60, 90))))
            for i, text in enumerate(rng.sample(ACTIONS, 2))
        ] if owners else []  # fmt: skip
        reports.report_save(
            visit=visit, by=self.coordinator, seen=SEEN, strengths=STRENGTHS, development=DEVELOPMENT,
            strands=strands, actions=drafts, submit=True,
        )  # fmt: skip
        if step == "submitted":
            return self._backdate(visit)
        reports.report_review(visit=visit, agree=True, comment="Agreed with thanks.", by=self.coordinator)
        self._count("visit reports agreed")
        for i, action in enumerate(visit.actions.order_by("pk")):
            if step == "closed" or (i == 0 and action.due_on >= self.today):
                status = "closed" if step == "closed" else "in_progress"
                actions.action_update(action=action, status=status, note="Done in the department.", by=self.coordinator)
        self._backdate(visit)

    def _backdate(self, visit: Visit):
        """Dates the past as it would have happened: asked five weeks before, scheduled
        three, completed at the end, report a week later, agreed a week after that."""
        visit.refresh_from_db()
        start, end = visit.starts_at, visit.ends_at
        asked = min(visit.requested_at, start - datetime.timedelta(days=35))
        when = {
            "request": asked,
            "propose": start - datetime.timedelta(days=28),
            "schedule": start - datetime.timedelta(days=21),
            "complete": end,
            "submit_report": end + datetime.timedelta(days=7),
            "agree_report": end + datetime.timedelta(days=14),
        }
        for entry in VisitLog.objects.filter(visit=visit):
            moment = when.get(entry.action, end + datetime.timedelta(days=21))
            VisitLog.objects.filter(pk=entry.pk).update(at=min(moment, self.now))
        Visit.objects.filter(pk=visit.pk).update(
            requested_at=asked,
            scheduled_at=when["schedule"],
            completed_at=min(end, self.now) if visit.completed_at else None,
        )
        VisitReport.objects.filter(visit=visit, submitted_at__isnull=False).update(
            submitted_at=min(when["submit_report"], self.now)
        )
        VisitReport.objects.filter(visit=visit, agreed_at__isnull=False).update(
            agreed_at=min(when["agree_report"], self.now)
        )
        VisitAction.objects.filter(visit=visit, closed_at__isnull=False).update(
            closed_at=min(end + datetime.timedelta(days=21), self.now)
        )

    # -- Peer, moderation and extra visits -------------------------------------------

    def _new(self, code: str, academy: Academy, *, direction="host", focus=()) -> Visit | None:
        """A request by `academy`, unless it already made one of this kind this year."""
        if (code, direction, academy.pk) in self.existing:
            return None
        self.existing.add((code, direction, academy.pk))
        visit = requests.visit_request(
            academy=academy, kind=self.kinds[code], direction=direction, focus_areas=focus, by=self.coordinator,
            preferred_weeks="Any week next half-term",
        )  # fmt: skip
        self._count(f"visit requests ({code})")
        return visit

    def _peer_request(self, seeker: Academy, rng):
        self._new("peer", seeker, direction="see", focus=rng.sample(self.tags, 1))

    def _peer_visit(self, seeker: Academy, host: Academy, rng):
        visit = self._new("peer", seeker, direction="see", focus=rng.sample(self.tags, 1))
        leaders = self._host_people(seeker)
        if visit is None or not leaders:
            return
        contact = next(iter(self._host_people(host)), None)
        visit = self._schedule(visit, self._days(rng, "past"), [leaders], host=host, contact=contact)
        if visit is not None:
            self._happened(visit, "agreed_open", rng)

    def _one_off(self, code: str, academy: Academy, rng):
        visit = self._new(code, academy, focus=rng.sample(self.tags, 2))
        if visit is None:
            return
        visit = self._schedule(visit, self._days(rng, "past"), self._consultant_pools(rng),
                               contact=next(iter(self._host_people(academy)), None))  # fmt: skip
        if visit is None:
            return
        strands = None
        if code == "moderation":
            strands = {c: rng.choice(STRAND_RATINGS)[0] for c, _ in FRAMEWORK_STRANDS}
        self._happened(visit, "agreed_open", rng, strands=strands)


def counts(network: Network) -> dict[str, int]:
    """Visits by stage, for the command's summary."""
    found = Visit.objects.filter(network=network).aggregate(
        requests=Count("pk", filter=Q(status__in=Visit.OPEN_REQUEST)),
        scheduled=Count("pk", filter=Q(status=Visit.Status.SCHEDULED)),
        happened=Count("pk", filter=Q(status__in=Visit.HAPPENED)),
    )
    return {
        "Visit requests": found["requests"],
        "Visits ahead": found["scheduled"],
        "Visits done": found["happened"],
    }
