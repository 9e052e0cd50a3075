"""The demo's membership year, relative to today: the network's policy, last year, this
year and next year (empty until the review in March proposes it).

Who is a member is decided per academy, not per run, so two runs on different days
agree: each academy draws a number `u` from its URN, and it is a member in the year
starting in April of Y when `u < share(Y)`, a share that grows by a quarter a year
(68 % of the academies in 2025-26, 85 % in 2026-27, of those not left out below), so
last year has fewer members than this year, the growth page shows it, and a run next
year adds a year that agrees with this one.

Consistent with the inspection data: an academy whose latest inspection makes it
ineligible on its own (a grade 3 or 4, or a report card with urgent improvement or
safeguarding not met: `eligibility.bars`) is a member only if the flag after that
inspection marks it "at risk", which the real service does
(`membership_flag_after_inspection`) for the two most recent grade 3s; the others are
not members. Since September 2024 Ofsted gives no single-word grade, so the latest
grade 3 on record is from 2023-24 at the newest.

A year's memberships are written with the year, never added to a year that has some (a
coordinator may have changed them since), the way the seed writes an academy's history
with the academy. Past memberships (accepted last spring, lapsed invitations) are written
as history, with their dates; what happens this year goes through the services: the
invitations still open, an application that meets the criteria by data, one referred to
the steering group (a short evidence text, no file), and the at-risk flags.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from network.base.models import User
from network.programme.membership.assessment import PHASES, assess_academies
from network.programme.membership.eligibility import bars, inspection_fact
from network.programme.membership.models import (
    InvoiceLine,
    Membership,
    MembershipApplication,
    MembershipPolicy,
    MembershipYear,
    year_label,
)
from network.programme.membership.services.applications import application_submit
from network.programme.membership.services.at_risk import membership_flag_after_inspection
from network.programme.membership.services.invitations import membership_invite
from network.programme.membership.services.years import membership_year_get_or_create
from network.programme.models import Network
from trusts.models import Academy, AcademyTrustMembership, Inspection

HISTORY_REASON = "Demo data (seed_demo)"
FIRST_SHARE_YEAR, FIRST_SHARE, GROWTH, MOST = 2025, 0.68, 1.25, 0.92
AT_RISK = 2
INVITED = 3
LAPSED_LAST_YEAR = 2
# Said of whichever academy the data refers (an inspection without a grade, a report
# card that falls short, no results…), so it claims nothing about the kind of inspection.
REFERRAL_EVIDENCE = (
    "Our latest inspection found science teaching strong, and our Year 11 science results rose "
    "again this summer. We lead the practical work group for our trust and would like to share "
    "it with the network."
)
APPLICATION_EVIDENCE = (
    "Our head of science leads our trust's KS3 curriculum group and would like to join the network's hubs."
)


def share(start_year: int) -> float:
    """The share of academies that are members in the year starting in April of `start_year`."""
    return min(MOST, FIRST_SHARE * GROWTH ** (start_year - FIRST_SHARE_YEAR))


@dataclass
class MembershipSummary:
    labels: tuple[str, str, str] = ("", "", "")  # previous, current, next
    created: dict[str, int] = field(default_factory=dict)


def _at(rng: random.Random, day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.choice([0, 15, 30, 45])))
    )


class MembershipSeeder:
    def __init__(self, *, network: Network, seed: int, today: datetime.date, coordinator: User, executive: User,
                 leader: User):  # fmt: skip
        self.network, self.seed, self.today = network, seed, today
        self.coordinator, self.executive, self.leader = coordinator, executive, leader
        self.summary = MembershipSummary()

    def _count(self, what: str, n: int):
        if n:
            self.summary.created[what] = self.summary.created.get(what, 0) + n

    def write(self) -> MembershipSummary:
        network = self.network
        policy, created = MembershipPolicy.objects.get_or_create(network=network)  # the Leading Edge defaults
        self._count("membership policies", int(created))
        current, starts_on, _ = policy.year_containing(self.today)
        start = starts_on.year
        labels = (year_label(start - 1), current, year_label(start + 1))
        self.summary.labels = labels
        before = set(MembershipYear.objects.filter(network=network, label__in=labels).values_list("label", flat=True))
        years = {label: membership_year_get_or_create(network=network, label=label) for label in labels}
        self._count("membership years", len(set(labels) - before))
        filled = set(
            Membership.objects.filter(year__in=years.values())
            .values("year__label")
            .annotate(n=Count("pk"))
            .values_list("year__label", flat=True)
        )

        if {labels[0], labels[1]} <= filled:
            return self.summary
        academies = list(
            Academy.objects.filter(is_open=True, trust__in=network.member_trusts.all(), phase__in=PHASES[network.phase])
            .select_related("trust")
            .order_by("urn")
        )
        self.academies = academies
        self._load_facts(academies)
        if labels[0] not in filled:
            self._write_year(years[labels[0]], start - 1, current=False)
        if labels[1] not in filled:
            self._write_year(years[labels[1]], start, current=True)
        return self.summary

    # -- Facts ---------------------------------------------------------------------

    def _load_facts(self, academies):
        ids = [a.pk for a in academies]
        self.u = {a.pk: random.Random(f"{self.seed}:membership:{a.urn}").random() for a in academies}
        latest: dict[int, Inspection] = {}
        for inspection in Inspection.objects.filter(academy_id__in=ids).order_by("academy_id", "-inspection_date"):
            latest.setdefault(inspection.academy_id, inspection)
        self.latest = latest
        self.trust_spells: dict[int, list[tuple[int, datetime.date, datetime.date | None]]] = {}
        for m in AcademyTrustMembership.objects.filter(academy_id__in=ids).order_by("joined_on"):
            self.trust_spells.setdefault(m.academy_id, []).append((m.trust_id, m.joined_on, m.left_on))
        concern = [a for a in academies if latest.get(a.pk) and bars(inspection_fact(latest[a.pk]))]
        self.excluded = {a.pk for a in concern}
        # The two most recent grade 3s, one in the demo executive's trust if it has one.
        grade3 = sorted((a for a in concern if latest[a.pk].grade == 3),
                        key=lambda a: (latest[a.pk].inspection_date, a.urn), reverse=True)  # fmt: skip
        own = set(self.executive.trusts.values_list("pk", flat=True)) if self.executive else set()
        pair = [a for a in grade3 if a.trust_id in own][:1]
        pair += [a for a in grade3 if a not in pair][: AT_RISK - len(pair)]
        self.at_risk = {a.pk for a in pair}
        leader_academy = self.leader.person.academy_id if self.leader and self.leader.person_id else None
        self.always = self.at_risk | ({leader_academy} - {None})

    def _member(self, academy_id: int, start_year: int) -> bool:
        if academy_id in self.always:
            return True
        return academy_id not in self.excluded and self.u[academy_id] < share(start_year)

    def _trust_on(self, academy: Academy, day: datetime.date) -> int | None:
        """The trust the academy belonged to on `day` (`trusts.services.trust_on`, from
        the spells loaded once)."""
        for trust_id, joined, left in reversed(self.trust_spells.get(academy.pk, [])):
            if joined <= day and (left is None or left >= day):
                return trust_id
        return academy.trust_id

    # -- Writing a year ------------------------------------------------------------

    def _write_year(self, year: MembershipYear, start_year: int, *, current: bool):
        rng = random.Random(f"{self.seed}:membership-year:{year.label}")
        members = [a for a in self.academies if self._member(a.pk, start_year)]
        memberships = []
        for a in members:
            renewing = self._member(a.pk, start_year - 1)
            if renewing:  # renewal invitation after the review on 1 March
                invited = _at(rng, datetime.date(start_year, 3, rng.randint(2, 6)))
            else:
                invited = _at(rng, year.starts_on - datetime.timedelta(days=rng.randint(20, 70)))
            accepted = invited + datetime.timedelta(days=rng.randint(1, 35), hours=rng.randint(0, 5))
            m = Membership(
                year=year,
                academy=a,
                trust_id=self._trust_on(a, max(accepted.date(), year.starts_on)),
                status=Membership.Status.ACTIVE,
                source=Membership.Source.INVITATION,
                invited_at=invited,
                invited_by=self.coordinator,
                accepted_at=accepted,
                created_at=invited,
            )
            m._history_date = accepted
            memberships.append(m)
        if not current:
            # Last year, a couple of invitations to academies that joined only this year lapsed.
            joined_now = [
                a for a in self.academies if self._member(a.pk, start_year + 1) and not self._member(a.pk, start_year)
            ]
            for a in rng.sample(joined_now, min(LAPSED_LAST_YEAR, len(joined_now))):
                invited = _at(rng, year.starts_on - datetime.timedelta(days=rng.randint(20, 40)))
                m = Membership(
                    year=year,
                    academy=a,
                    trust_id=self._trust_on(a, year.starts_on),
                    status=Membership.Status.LAPSED,
                    source=Membership.Source.INVITATION,
                    invited_at=invited,
                    invited_by=self.coordinator,
                    created_at=invited,
                )
                m._history_date = datetime.datetime.combine(
                    year.starts_on + datetime.timedelta(days=31), datetime.time(3, 25), tzinfo=invited.tzinfo
                )
                memberships.append(m)
        memberships = bulk_create_with_history(
            memberships, Membership, batch_size=500, default_user=self.coordinator, default_change_reason=HISTORY_REASON
        )
        self._count("memberships", len(memberships))
        fees = [
            InvoiceLine(
                membership=m,
                kind=InvoiceLine.Kind.FEE,
                description=f"{self.network.name} membership {year.label}",
                net_amount=year.fee_net,
                vat_rate=year.vat_rate,
                created_at=m.accepted_at,
            )
            for m in memberships
            if m.status == Membership.Status.ACTIVE
        ]
        InvoiceLine.objects.bulk_create(fees, batch_size=500)
        self._count("invoice lines", len(fees))
        if current:
            self._this_year(year, {m.academy_id: m for m in memberships})

    def _this_year(self, year: MembershipYear, memberships: dict[int, Membership]):
        """What is still happening this year, through the services."""
        for academy_id in sorted(self.at_risk):
            membership_flag_after_inspection(
                inspection=self.latest[academy_id], by=self.coordinator, today=year.starts_on
            )
        self._count("members flagged at risk", len(self.at_risk))

        others = [a for a in self.academies if a.pk not in memberships and a.pk not in self.excluded]
        others.sort(key=lambda a: (self.u[a.pk], a.urn))
        assessed = assess_academies(network=self.network, academies=others, label=year.label, members=set())
        own = set(self.executive.trusts.values_list("pk", flat=True)) if self.executive else set()
        referred = next((a for a in others if a.trust_id in own and assessed[a.pk].eligible is None), None)
        referred = referred or next((a for a in others if assessed[a.pk].eligible is None), None)
        applied = next((a for a in others if assessed[a.pk].eligible is True and a != referred), None)
        applications = 0
        if referred is not None:
            by = self.executive if referred.trust_id in own else self.coordinator
            application_submit(
                academy=referred, network=self.network, label=year.label, evidence_text=REFERRAL_EVIDENCE, by=by
            )
            applications += 1
        if applied is not None:
            application_submit(
                academy=applied,
                network=self.network,
                label=year.label,
                evidence_text=APPLICATION_EVIDENCE,
                by=self.coordinator,
            )
            applications += 1
        self._count("membership applications", applications)
        # Invitations go to academies that meet the criteria by data (the coordinator's list).
        rest = [a for a in others if a not in (referred, applied)]
        invite = (
            [a for a in rest if assessed[a.pk].eligible is True]
            + [a for a in rest if assessed[a.pk].eligible is not True]
        )[:INVITED]
        self._count(
            "memberships", len(membership_invite(year=year, academies=invite, by=self.coordinator)) + applications
        )


def counts(network: Network, labels: tuple[str, str, str]) -> dict[str, int]:
    """Members per year and this year's other states, for the command's summary."""
    previous, current, _next = labels
    rows = dict(
        Membership.objects.filter(year__network=network, year__label__in=labels, status=Membership.Status.ACTIVE)
        .values("year__label")
        .annotate(n=Count("pk"))
        .values_list("year__label", "n")
    )
    this_year = Membership.objects.filter(year__network=network, year__label=current)
    return {
        f"Members {previous}": rows.get(previous, 0),
        f"Members {current}": rows.get(current, 0),
        "  at risk": this_year.filter(status=Membership.Status.ACTIVE, at_risk=True).count(),
        "  in progress": this_year.filter(
            status__in=[Membership.Status.INVITED, Membership.Status.APPLIED, Membership.Status.UNDER_REVIEW]
        ).count(),
        "  referred": MembershipApplication.objects.filter(
            membership__year__network=network, membership__year__label=current, referred_at__isnull=False
        ).count(),
    }
