"""The demo's network programme (issue 13), relative to today: innovation grants, roles
with their succession risks, hub resources and join requests, connections, and a sent
radar.

Keyed by natural keys and written with their parent, like the rest of the demo: a grant
round by (network, name) with its bids, reviews, awards and reports; a role by (network,
title); a hub resource by (hub, title); a join request by (hub, person); a connection by
(asker, recipient, topic); a radar issue by (network, title). A second run finds them
and writes nothing. Choices come from `random.Random(seed)`, over people ordered by
email, so the same seed writes the same programme; the number of bids scales with the
members (and so with --scale).

- Last year's round is history (written with its dates): every bid submitted, endorsed,
  reviewed twice by people of other trusts, most awarded within the budget, with their
  midpoint and final reports (published this term, so the radar can carry them).
- This year's round is open and goes through the services: the demo leader's academy has
  a draft and a submitted bid, other academies' bids are reviewed (assigned and scored
  through `review_assign`/`review_submit`) and one is awarded with `bid_award`.
- Roles: a network lead, a role per hub lead, the trust science leads, the steering
  group, visit consultants and mentors; one person with three lead roles (two of them
  without a deputy) and one role past its review date: the succession page has something
  to say. The plan's hubs are left as they are.
- The radar of last term is composed and sent with the services; its messages stay held.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from network.base.models import User
from network.base.rules import NotAllowed
from network.base.school_years import membership_year
from network.programme.connections.models import ConnectionRequest
from network.programme.grants.models import (
    GrantBid,
    GrantBudgetLine,
    GrantCriterion,
    GrantReport,
    GrantReview,
    GrantRound,
)
from network.programme.grants.policy import weighted_score
from network.programme.grants.services import awards, bids, reviews
from network.programme.hubs.models import HubMembership, HubResource
from network.programme.membership.models import Membership
from network.programme.models import Hub, Network
from network.programme.radar.models import RadarIssue
from network.programme.radar.services import radar_deliver, radar_save, radar_send
from network.programme.roles.models import NetworkRole
from network.programme.terms import previous_term
from trusts.models import JobRole, Person

CRITERIA = [
    ("Impact on pupils' learning", "How much pupils' science learning should improve, and for whom.", 3),
    ("Evidence and measurement", "A realistic plan to know whether it worked.", 2),
    ("Value for money", "The budget buys what the project needs.", 1),
    ("Shareable with the network", "Other schools could use what it produces.", 1),
]
PROJECTS = [
    ("Practical science clubs for Year 7", "Weekly practical clubs so every Year 7 pupil handles kit with confidence."),
    ("Disciplinary literacy in KS4 chemistry", "Teach pupils to read and write like chemists, with modelled texts."),
    ("Low-cost microscopy for biology", "Phone-camera microscopes for every bench, with a shared image bank."),
    ("Retrieval quizzes for physics equations", "Ten-minute low-stakes quizzes on the physics equations sheet."),
    ("Technician-led practical CPD", "Technicians co-plan required practicals with early career teachers."),
    ("Field ecology on the school site", "A quadrat and transect programme in the school grounds for KS3."),
    ("Oracy in science explanations", "Structured talk to help pupils explain phenomena aloud before writing."),
    ("Data-logging for A-level physics", "Sensors and loggers so practical data is collected and analysed live."),
]
RESOURCES = [
    ("Required practicals planning template", "https://www.example.org/ssn/required-practicals-template"),
    ("Misconceptions in forces: a quiz bank", "https://www.example.org/ssn/forces-misconceptions"),
    ("Technician kit lists for KS3", "https://www.example.org/ssn/ks3-kit-lists"),
]
DEMO_REASON = "Demo data (seed_demo)"


@dataclass
class ProgrammeSummary:
    created: dict[str, int] = field(default_factory=dict)


class ProgrammeSeeder:
    def __init__(
        self, *, network: Network, seed: int, today: datetime.date, coordinator: User, executive: User, leader: User
    ):
        self.network, self.today = network, today
        self.coordinator, self.executive, self.leader = coordinator, executive, leader
        self.seed = seed
        self.summary = ProgrammeSummary()

    def _rng(self, part: str) -> random.Random:
        # One generator per part: a part that finds its rows already there draws
        # nothing, and must not shift what the next part draws on a later run.
        return random.Random(f"{self.seed}-programme-{part}")

    def _count(self, what: str, n: int = 1):
        if n:
            self.summary.created[what] = self.summary.created.get(what, 0) + n

    def write(self) -> ProgrammeSummary:
        if not self.coordinator:
            return self.summary
        trusts = self.network.member_trusts.all()
        self.people = list(
            Person.objects.filter(Q(academy__trust__in=trusts) | Q(academy__isnull=True, trust__in=trusts))
            .select_related("academy__trust")
            .order_by("email")
        )
        self.hubs = list(self.network.hubs.select_related("lead", "deputy_lead").order_by("name"))
        self._grants()
        self._roles()
        self._hubs()
        self._connections()
        self._radar()
        return self.summary

    # -- Grants ------------------------------------------------------------------------

    def _members(self, year) -> list:
        ids = set(
            Membership.objects.filter(
                year__network=self.network, year__starts_on=year.starts_on, status=Membership.Status.ACTIVE
            ).values_list("academy_id", flat=True)
        )
        leads = {}
        for person in self.people:
            if person.academy_id in ids and person.job_role in (JobRole.HEAD_OF_SCIENCE, JobRole.SUBJECT_LEAD):
                leads.setdefault(person.academy_id, person)
        return [leads[a] for a in sorted(leads)]

    def _round(self, year, *, opens_on, closes_on, budget_per_member) -> tuple[GrantRound, bool, list]:
        leads = self._members(year)
        grant_round, created = GrantRound.objects.get_or_create(
            network=self.network,
            name=f"Innovation grants {year.label}",
            defaults={
                "description": "Up to £1,000 for a project that tries something new in science teaching. "
                "Every member school may bid, more than once; outcomes are published to all members.",
                "budget": Decimal(max(4, len(leads) // 10)) * budget_per_member,
                "opens_on": opens_on,
                "closes_on": closes_on,
                "midpoint_report_due_on": closes_on + datetime.timedelta(days=120),
                "final_report_due_on": closes_on + datetime.timedelta(days=300),
            },
        )
        if created:
            self._count("grant rounds")
            for i, (name, description, weight) in enumerate(CRITERIA):
                GrantCriterion.objects.create(
                    round=grant_round, name=name, description=description, weight=weight, position=i
                )
        return grant_round, created, leads

    def _reviewers_for(self, bid) -> list[User]:
        trust_ids = {bid.trust_id}
        pool = []
        for user in (self.executive, self.leader, self.coordinator):
            if user is None:
                continue
            own = set(user.trusts.values_list("pk", flat=True)) if user.role == "trust_executive" else set()
            if user.person_id and user.person.academy_id:
                own.add(user.person.academy.trust_id)
            if not own & trust_ids and user.person_id != bid.lead_id:
                pool.append(user)
        return pool[:2]

    def _bid_row(self, grant_round, lead, project, *, when, amount, status="submitted"):
        bid = GrantBid.objects.create(
            round=grant_round,
            academy=lead.academy,
            trust=lead.academy.trust,
            lead=lead,
            title=project[0],
            aims=project[1],
            intended_impact="More pupils confident in practical and written science; teachers share the approach.",
            measurement="A pupil survey before and after, and a comparison of end-of-unit assessment results in July.",
            amount_requested=amount,
            status=status,
            submitted_at=when,
            endorsed_at=when + datetime.timedelta(days=2),
            endorsed_by=Person.objects.filter(academy=lead.academy, job_role=JobRole.HEADTEACHER).first(),
            created_at=when - datetime.timedelta(days=5),
        )
        GrantBudgetLine.objects.bulk_create(
            [
                GrantBudgetLine(bid=bid, description="Equipment and consumables", amount=amount - Decimal("200")),
                GrantBudgetLine(bid=bid, description="Supply cover for planning time", amount=Decimal("200")),
            ]
        )
        self._count("grant bids")
        return bid

    def _grants(self):
        this_year = membership_year(self.today)
        last_year = membership_year(this_year.starts_on - datetime.timedelta(days=1))
        self._last_round(last_year)
        self._this_round(this_year)

    def _last_round(self, year):
        grant_round, created, leads = self._round(
            year,
            opens_on=year.starts_on + datetime.timedelta(days=30),
            closes_on=year.starts_on + datetime.timedelta(days=75),
            budget_per_member=Decimal("1000"),
        )
        if not created or not leads:
            return
        rng = self._rng("last-round")
        chosen = rng.sample(leads, min(len(leads), max(4, len(leads) // 8)))
        criteria = list(grant_round.criteria.all())
        spent = Decimal("0")
        published = timezone.now() - datetime.timedelta(days=10)
        for i, lead in enumerate(chosen):
            when = timezone.make_aware(
                datetime.datetime.combine(grant_round.closes_on, datetime.time(12))
            ) - datetime.timedelta(days=3)
            amount = Decimal(rng.choice([600, 750, 900, 1000]))
            bid = self._bid_row(grant_round, lead, PROJECTS[i % len(PROJECTS)], when=when, amount=amount)
            for reviewer in self._reviewers_for(bid):
                scores = {str(c.pk): rng.randint(2, 5) for c in criteria}
                GrantReview.objects.create(
                    bid=bid, reviewer=reviewer, assigned_by=self.coordinator, scores=scores,
                    weighted_score=weighted_score(criteria, scores), comment="Clear aims and a realistic plan.",
                    submitted_at=when + datetime.timedelta(days=10),
                )  # fmt: skip
                self._count("grant reviews")
            if spent + amount <= grant_round.budget and i % 4 != 3:
                spent += amount
                GrantBid.objects.filter(pk=bid.pk).update(
                    status="awarded",
                    amount_awarded=amount,
                    decided_by=self.coordinator,
                    decided_at=when + datetime.timedelta(days=20),
                )
                GrantReport.objects.create(
                    bid=bid, kind="midpoint", what_was_done="The first half-term of the project ran as planned.",
                    what_changed="Early signs: pupils ask for the activity.", submitted_at=when + datetime.timedelta(days=120),
                )  # fmt: skip
                GrantReport.objects.create(
                    bid=bid,
                    kind="final",
                    what_was_done=f"{bid.title}: run across the year with two classes, planned with the technicians.",
                    what_changed="Pupils' confidence in the survey rose by a third; end-of-unit results improved.",
                    evidence="Pupil survey (before and after), end-of-unit assessment data, lesson observations.",
                    resources=RESOURCES[i % len(RESOURCES)][1],
                    submitted_at=published,
                    published_at=published,
                )
                self._count("grant awards")
                self._count("outcome reports", 2)
            else:
                GrantBid.objects.filter(pk=bid.pk).update(
                    status="not_funded", decided_by=self.coordinator, decided_at=when + datetime.timedelta(days=20),
                    decision_note="A strong bid; the round's budget was spent on bids the panel scored higher.",
                )  # fmt: skip

    def _this_round(self, year):
        opens_on = max(year.starts_on, self.today - datetime.timedelta(days=40))
        grant_round, created, leads = self._round(
            year,
            opens_on=opens_on,
            closes_on=self.today + datetime.timedelta(days=21),
            budget_per_member=Decimal("1000"),
        )
        if not created:
            return
        rng = self._rng("this-round")
        leader_academy = self.leader.person.academy_id if self.leader and self.leader.person_id else None
        # The demo leader's academy: a draft and a submitted bid, through the services.
        try:
            for title, submit in (("Science capital in KS3", True), ("A garden for ecology practicals", False)):
                draft = bids.bid_save(
                    grant_round=grant_round, title=title, aims="Connect science lessons to pupils' lives and families.",
                    intended_impact="More pupils choose triple science.", measurement="Option choices in March; a pupil survey.",
                    amount_requested=Decimal("800"), lines=[("Resources", Decimal("500")), ("Cover", Decimal("300"))],
                    by=self.leader, today=self.today,
                )  # fmt: skip
                self._count("grant bids")
                if submit:
                    bids.bid_submit(bid=draft, by=self.leader, today=self.today)
        except (ValidationError, NotAllowed):
            pass  # the leader's academy is not a member this year: no bid of theirs
        others = [lead for lead in leads if lead.academy_id != leader_academy]
        chosen = rng.sample(others, min(len(others), max(3, len(others) // 12)))
        criteria = list(grant_round.criteria.all())
        awarded = False
        for i, lead in enumerate(chosen):
            when = timezone.now() - datetime.timedelta(days=5 + i)
            bid = self._bid_row(grant_round, lead, PROJECTS[(i + 3) % len(PROJECTS)], when=when, amount=Decimal("900"))
            for reviewer in self._reviewers_for(bid):
                review = reviews.review_assign(bid=bid, reviewer=reviewer, by=self.coordinator)
                reviews.review_submit(
                    review=review, scores={str(c.pk): rng.randint(2, 5) for c in criteria},
                    comment="Well argued; the measurement plan could be sharper.", by=reviewer,
                )  # fmt: skip
                self._count("grant reviews")
            if not awarded and bid.reviews.count() >= 2:
                awarded = True
                awards.bid_award(bid=bid, by=self.coordinator, note="The panel liked the plan to share the resources.")
                self._count("grant awards")

    # -- Roles ------------------------------------------------------------------------

    def _roles(self):
        existing = set(NetworkRole.objects.filter(network=self.network).values_list("title", flat=True))
        review_on = self.today + datetime.timedelta(days=150)
        started = previous_term(self.today).starts_on - datetime.timedelta(days=200)
        science = [p for p in self.people if p.job_role in (JobRole.HEAD_OF_SCIENCE, JobRole.SUBJECT_LEAD)]
        if len(science) < 8:
            return
        rng = self._rng("roles")
        picks = rng.sample(science, 8)
        # The busy person leads science in the executive's trust (so the executive sees
        # the risks too); on a later run, whoever holds the network lead role already.
        held = (
            NetworkRole.objects.filter(network=self.network, title="Network lead")
            .select_related("holder__academy")
            .first()
        )
        exec_trusts = set(self.executive.trusts.values_list("pk", flat=True)) if self.executive else set()
        own_trust = [p for p in science if p.academy.trust_id in exec_trusts]
        busy = held.holder if held and held.holder else (own_trust[0] if own_trust else picks[0])
        picks = [p for p in picks if p.pk != busy.pk][:7]
        rows = [
            ("Network lead", "network_lead", None, None, busy, picks[0], "Chairs the network; sets the year's priorities.", review_on),
            ("Trust science lead (demo)", "trust_science_lead", None, busy.academy.trust, busy, None,
             "Leads science across the trust's academies; the network's contact in the trust.", review_on),
            ("Conference lead", "network_lead", None, None, busy, None,
             "Plans the national conference: programme, speakers and workshops.", review_on),
            ("Steering group chair", "steering", None, None, picks[2], picks[3],
             "Chairs the steering group; decides referred applications.", self.today - datetime.timedelta(days=12)),
            ("Visit consultant (north)", "visit_consultant", None, None, picks[4], None,
             "Makes and reports academy visits in the north.", review_on),
            ("Early career mentor", "mentor", None, None, picks[5], None,
             "Mentors early career science teachers across trusts.", review_on),
            ("Technician network mentor", "mentor", None, None, picks[6], None,
             "Mentors science technicians new to the role.", review_on),
        ]  # fmt: skip
        for hub in self.hubs:
            if hub.lead_id:
                rows.append(
                    (f"Hub lead, {hub.name}", "hub_lead", hub, None, hub.lead, hub.deputy_lead,
                     "Runs the hub's half-termly meetings and its shared resources.", review_on)
                )  # fmt: skip
        for title, kind, hub, trust, holder, deputy, duties, review in rows:
            if title in existing:
                continue
            NetworkRole.objects.create(
                network=self.network, title=title, kind=kind, hub=hub, trust=trust, holder=holder, deputy=deputy,
                responsibilities=duties, starts_on=min(started, review), review_on=review,
                hours_per_term=Decimal(rng.choice([6, 10, 15, 20])),
            )  # fmt: skip
            self._count("network roles")

    # -- Hubs ---------------------------------------------------------------------------

    def _hubs(self):
        for hub in self.hubs:
            if not hub.purpose:
                Hub.objects.filter(pk=hub.pk).update(
                    purpose=f"{hub.name} brings science leaders together each half-term to plan, share resources "
                    "and visit each other's lessons."
                )
        for hub, (title, url) in zip(self.hubs, RESOURCES, strict=False):
            _, created = HubResource.objects.get_or_create(
                hub=hub, title=title, defaults={"url": url, "added_by": hub.lead, "added_at": timezone.now() - datetime.timedelta(days=14)}
            )  # fmt: skip
            self._count("hub resources", int(created))
        hub_members = {a for h in self.hubs for a in h.academies.values_list("pk", flat=True)}
        askers = [
            p
            for p in self.people
            if p.academy_id and p.academy_id not in hub_members and p.job_role == JobRole.SUBJECT_LEAD
        ]
        for hub, person in zip(self.hubs[:3], self._rng("hubs").sample(askers, min(3, len(askers))), strict=False):
            _, created = HubMembership.objects.get_or_create(
                hub=hub, person=person, defaults={"message": "We would like to join your meetings this term."}
            )
            self._count("hub join requests", int(created))

    # -- Connections ----------------------------------------------------------------------

    def _connections(self):
        if not (self.leader and self.leader.person_id):
            return
        me = self.leader.person
        directory = [p for p in self.people if p.directory_consent and p.pk != me.pk and p.academy_id != me.academy_id]
        if len(directory) < 3:
            return
        a, b, c = self._rng("connections").sample(directory, 3)
        rows = [
            (me, a, "Running required practicals with a small budget", "accepted", "07700 900461"),
            (me, b, "Disciplinary literacy in chemistry", "open", ""),
            (c, me, "Your Year 7 practical clubs", "open", ""),
        ]
        for asker, recipient, topic, status, phone in rows:
            _, created = ConnectionRequest.objects.get_or_create(
                asker=asker, recipient=recipient, topic=topic,
                defaults={"status": status, "shared_phone": phone,
                          "responded_at": timezone.now() if status == "accepted" else None},
            )  # fmt: skip
            self._count("connection requests", int(created))

    # -- The radar -------------------------------------------------------------------------

    def _radar(self):
        term = previous_term(self.today)
        title = f"Innovation Radar, {term.label.removeprefix('the ')}"
        if RadarIssue.objects.filter(network=self.network, title=title).exists():
            return
        outcomes = GrantReport.objects.filter(
            bid__round__network=self.network, kind="final", published_at__isnull=False
        )
        issue = radar_save(
            network=self.network,
            title=title,
            editorial="Welcome to the radar: what our funded projects found, what is coming up in the hubs, "
            "and new resources to borrow. Thank you to every school that shared its work.",
            outcomes=list(outcomes[:3]),
            resources=list(HubResource.objects.filter(hub__network=self.network)[:3]),
            by=self.coordinator,
        )
        radar_send(issue=issue, by=self.coordinator)
        radar_deliver(issue.pk)
        self._count("radar issues")


def counts(network: Network) -> dict[str, int]:
    """The programme's figures, for the command's summary."""
    return {
        "Grant bids": GrantBid.objects.filter(round__network=network).exclude(status="draft").count(),
        "  awarded": GrantBid.objects.filter(round__network=network, status="awarded").count(),
        "Outcomes shared": GrantReport.objects.filter(bid__round__network=network, kind="final").count(),
        "Network roles": NetworkRole.objects.filter(network=network).count(),
        "Radar issues": RadarIssue.objects.filter(network=network, status="sent").count(),
    }
