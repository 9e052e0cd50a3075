"""Gathering the facts the eligibility policy judges (inspections, performance, trust
moves) for many academies at once, in a fixed number of queries, and asking the pure
policy (`eligibility.assess`). Used by the annual review and by an application's
referral check."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace

from django.utils import timezone

from network.programme.membership import eligibility
from network.programme.membership.eligibility import (
    Assessment,
    Facts,
    PerformanceFact,
    Rules,
    TrustMove,
)
from network.programme.membership.measures import performance_window
from network.programme.membership.models import Membership, MembershipPolicy
from network.programme.membership.policy import policy_for
from network.programme.models import Network
from trusts.models import Academy, AcademyTrustMembership, Inspection, PerformanceResult, Phase

logger = logging.getLogger(__name__)


# Which academies a network's review considers for invitation, by the network's phase.
def prerequisite_met(*, policy: MembershipPolicy, academy_ids: Iterable[int], label: str) -> set[int]:
    """The academies (of `academy_ids`) that satisfy the policy's prerequisite network in
    year `label`: an active membership of the parent network that year. All of them if
    the policy has no prerequisite."""
    academy_ids = set(academy_ids)
    if not policy.prerequisite_network_id:
        return academy_ids
    return set(
        Membership.objects.filter(
            year__network_id=policy.prerequisite_network_id,
            year__label=label,
            status=Membership.Status.ACTIVE,
            academy_id__in=academy_ids,
        ).values_list("academy_id", flat=True)
    )


PHASES = {
    "secondary": (Phase.SECONDARY, Phase.ALL_THROUGH, Phase.MIDDLE_SECONDARY),
    "primary": (Phase.PRIMARY, Phase.ALL_THROUGH, Phase.MIDDLE_PRIMARY),
}


PERFORMANCE_FIELDS = (
    "academy_id",
    "academic_year",
    "progress8",
    "percentile",
    "suppressed",
    "attainment8",
    "attainment8_percentile",
    "attainment8_suppressed",
)


@dataclass(frozen=True)
class Proposed:
    academy: Academy
    membership: Membership | None
    assessment: Assessment


def assess_academies(
    *,
    network: Network,
    academies: list[Academy],
    label: str,
    members: set[int],
    policy: MembershipPolicy | None = None,
    memberships: dict[int, Membership] | None = None,
) -> dict[int, Assessment]:
    """Assess `academies` (academy id → Assessment) in year `label`, with a fixed
    number of queries whatever their number. `members` are the ids reviewed as current
    members; `memberships` (academy id → this year's membership) tell a trust move."""
    policy = policy or policy_for(network)
    rules = Rules.from_policy(policy)
    ids = [a.pk for a in academies]
    inspections = defaultdict(list)
    # Newest first within each academy, as the model orders them, without its sort by
    # academy name (a join with every academy the lists do not need).
    # Plain rows, not model instances: the review reads every inspection of every academy.
    newest_first = Inspection.objects.filter(academy_id__in=ids).order_by("-inspection_date")
    for row in newest_first.values(*eligibility.INSPECTION_FIELDS):
        inspections[row["academy_id"]].append(eligibility.inspection_fact(SimpleNamespace(**row)))
    # The years the nation has each measure for (a percentile is computed only from a
    # national file), and from them the years and measures this policy judges. Without
    # the model's ordering (by academy name), which DISTINCT would otherwise take in: a
    # row per result and a join with every academy instead of one row per year.
    with_data = PerformanceResult.objects.order_by().values_list("academic_year", flat=True).distinct()
    years, measures, passed_over = performance_window(
        progress8_years=with_data.filter(percentile__isnull=False),
        attainment8_years=with_data.filter(attainment8_percentile__isnull=False),
        up_to=label,
        count=policy.performance_years,
        fallback=policy.fallback_measure,
    )
    performance = defaultdict(list)
    results = PerformanceResult.objects.filter(academy_id__in=ids, academic_year__in=years)
    for r in results.order_by("-academic_year").values(*PERFORMANCE_FIELDS):
        performance[r["academy_id"]].append(
            PerformanceFact(
                year=r["academic_year"],
                progress8=r["progress8"],
                percentile=r["percentile"],
                suppressed=r["suppressed"],
                attainment8=r["attainment8"],
                attainment8_percentile=r["attainment8_percentile"],
                attainment8_suppressed=r["attainment8_suppressed"],
            )
        )
    allowed = prerequisite_met(policy=policy, academy_ids=ids, label=label)
    memberships = memberships or {}
    moved = {a.pk for a in academies if a.pk in memberships and memberships[a.pk].trust_id not in (None, a.trust_id)}
    moved_on = dict(
        AcademyTrustMembership.objects.filter(academy_id__in=moved, left_on__isnull=True).values_list(
            "academy_id", "joined_on"
        )
    )
    results = {}
    for academy in academies:
        move = None
        if academy.pk in moved:
            old = memberships[academy.pk].trust
            move = TrustMove(
                from_trust=old.name,
                to_trust=academy.trust.name if academy.trust else "no trust",
                on=moved_on.get(academy.pk) or timezone.localdate(),
            )
        facts = Facts(
            inspections=tuple(inspections[academy.pk]),
            performance=tuple(performance[academy.pk]),
            window=years,
            measures=measures,
            passed_over=passed_over,
            is_member=academy.pk in members,
            prerequisite=str(policy.prerequisite_network) if policy.prerequisite_network_id else "",
            meets_prerequisite=academy.pk in allowed,
            trust_move=move,
        )
        results[academy.pk] = eligibility.assess(rules, facts)
    return results
