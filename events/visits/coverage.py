"""Coverage of the membership year by visits, against each academy's support-tier
target, and the figures dashboards and the annual report need. Reads only.

Targets are visits a year by Carter tier (`VisitPolicy`; defaults Stabilise & Repair
termly = 3, Improve 2, Sustain 1). A visit counts when it has happened (completed, with
its report written, agreed or closed); a scheduled one counts as planned."""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, ExpressionWrapper, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from events.visits.models import Visit, VisitAction
from events.visits.policy import policy_for
from events.visits.selectors import in_range
from events.visits.terms import terms_between
from network.base import access
from network.base.school_years import Year
from network.programme.membership.models import Membership, MembershipYear
from trusts.models import Academy, SupportTier

S = Visit.Status
TIERS = [*SupportTier.choices, ("", "No tier recorded")]


def _targets(policy) -> Case:
    return Case(
        When(support_tier=SupportTier.STABILISE, then=Value(policy.target_stabilise)),
        When(support_tier=SupportTier.IMPROVE, then=Value(policy.target_improve)),
        When(support_tier=SupportTier.SUSTAIN, then=Value(policy.target_sustain)),
        default=Value(policy.target_untiered),
        output_field=IntegerField(),
    )


@dataclass
class Coverage:
    year: MembershipYear
    rows: QuerySet  # member academies with done / planned / target / shortfall, behind first
    by_tier: list[dict]  # tier, label, academies, target, met, planned_to_meet


def coverage(
    user, *, year: MembershipYear, trust=None, hub=None, tier: str | None = None, region: str = ""
) -> Coverage:
    """Every active member academy of `year` with its visits done and planned against its
    tier's target; the academies furthest behind first. Filters: trust, hub, tier ("none"
    for academies with no tier), region. A fixed number of queries (rows are paginated
    by the caller)."""
    policy = policy_for(year.network)
    start, end = _bounds(year)
    hosted = Q(visits_hosted__starts_at__gte=start, visits_hosted__starts_at__lt=end)
    rows = (
        access.scoped(user, Academy)
        .filter(memberships__year=year, memberships__status=Membership.Status.ACTIVE)
        .select_related("trust")
        .annotate(
            done=Count("visits_hosted", filter=hosted & Q(visits_hosted__status__in=Visit.HAPPENED), distinct=True),
            planned=Count("visits_hosted", filter=hosted & Q(visits_hosted__status=S.SCHEDULED), distinct=True),
            target=_targets(policy),
        )
        .annotate(shortfall=ExpressionWrapper(F("target") - F("done") - F("planned"), output_field=IntegerField()))
    )
    if trust is not None:
        rows = rows.filter(trust=trust)
    if hub is not None:
        rows = rows.filter(hubs=hub)
    if tier == "none":
        rows = rows.filter(support_tier="")
    elif tier:
        rows = rows.filter(support_tier=tier)
    if region:
        rows = rows.filter(region=region)
    summary: dict[str, dict] = {
        code: {"tier": code, "label": label, "academies": 0, "target": policy.target_for(code), "met": 0, "planned": 0}
        for code, label in TIERS
    }
    for code, done, planned, target in rows.values_list("support_tier", "done", "planned", "target"):
        entry = summary[code or ""]
        entry["academies"] += 1
        entry["met"] += int(done >= target)
        entry["planned"] += int(done < target <= done + planned)
    return Coverage(
        year=year,
        rows=rows.order_by("-shortfall", "name"),
        by_tier=[s for s in summary.values() if s["academies"]],
    )


def _bounds(year):
    return Year("membership year", year.starts_on, year.ends_on).bounds()


def current_year(network, today=None) -> MembershipYear | None:
    today = today or timezone.localdate()
    return (
        MembershipYear.objects.filter(network=network, starts_on__lte=today, ends_on__gte=today).first()
        or MembershipYear.objects.filter(network=network, starts_on__lte=today).order_by("-starts_on").first()
    )


def visit_figures(*, network, starts_on, ends_on, trust_ids=None) -> dict:
    """The visit figures for a membership year (or any range of days), and by term: the
    hook the dashboards and the annual report call (they own the presentation and any
    suppression of small numbers). `trust_ids` narrows to visits credited to those
    trusts (the trust the host belonged to when it was set) and their member academies;
    the caller decides who may see which trusts. Five queries, whatever the size.

    Returns a dict:
    - `completed`: visits that happened in the range; `completed_by_kind`: {kind: n};
    - `trusts_visited`, `academies_visited`: distinct hosts ("35 visits across 5 MATs");
    - `members`, `members_without_visit` (a count) and `members_without_visit_names`:
      active members in the membership years overlapping the range;
    - `coverage`: per tier, the academies, the target each for the range (the yearly
      target times the share of the year's three terms the range covers, rounded) and
      how many met it;
    - `median_days_to_agreed`: from the visit to its report's agreement (None if none);
    - `actions`: open, closed and overdue actions of the range's visits;
    - `by_term`: for each term in the range, completed visits, by kind, and academies.
    Agreed reports also count as impact evidence: see `selectors.agreed_reports`."""
    policy = policy_for(network)
    visits = in_range(network=network, starts_on=starts_on, ends_on=ends_on).filter(status__in=Visit.HAPPENED)
    if trust_ids is not None:
        visits = visits.filter(host_trust_id__in=trust_ids)
    rows = list(
        visits.values_list("pk", "kind__name", "starts_at", "host_academy_id", "host_trust_id", "report__agreed_at")
    )
    members_qs = Membership.objects.filter(
        year__network=network,
        year__starts_on__lte=ends_on,
        year__ends_on__gte=starts_on,
        status=Membership.Status.ACTIVE,
    )
    if trust_ids is not None:
        members_qs = members_qs.filter(trust_id__in=trust_ids)
    members = {
        academy_id: (name, tier)
        for academy_id, name, tier in members_qs.values_list("academy_id", "academy__name", "academy__support_tier")
    }
    actions = VisitAction.objects.filter(visit__in=visits).aggregate(
        open=Count("pk", filter=~Q(status=VisitAction.Status.CLOSED)),
        closed=Count("pk", filter=Q(status=VisitAction.Status.CLOSED)),
        overdue=Count("pk", filter=~Q(status=VisitAction.Status.CLOSED) & Q(due_on__lt=timezone.localdate())),
    )

    terms = terms_between(starts_on, ends_on)
    share = len(terms) / 3
    per_academy = Counter(row[3] for row in rows)
    coverage = []
    for code, label in TIERS:
        academies = [pk for pk, (_, tier) in members.items() if (tier or "") == code]
        if not academies:
            continue
        target = round(policy.target_for(code) * share)
        coverage.append(
            {
                "tier": code,
                "label": label,
                "academies": len(academies),
                "target_each": target,
                "met": sum(1 for pk in academies if per_academy[pk] >= target),
            }
        )
    delays = [
        (timezone.localtime(agreed).date() - timezone.localtime(starts).date()).days
        for _, _, starts, _, _, agreed in rows
        if agreed
    ]
    by_term = defaultdict(list)
    for row in rows:
        day = timezone.localtime(row[2]).date()
        for term in terms:
            if term.starts_on <= day <= term.ends_on:
                by_term[term].append(row)
    without = sorted(name for pk, (name, _) in members.items() if pk not in per_academy)
    return {
        "starts_on": starts_on,
        "ends_on": ends_on,
        "completed": len(rows),
        "completed_by_kind": dict(sorted(Counter(row[1] for row in rows).items())),
        "trusts_visited": len({row[4] for row in rows if row[4]}),
        "academies_visited": len(per_academy),
        "members": len(members),
        "members_without_visit": len(without),
        "members_without_visit_names": without,
        "coverage": coverage,
        "median_days_to_agreed": statistics.median(delays) if delays else None,
        "actions": actions,
        "by_term": [
            {
                "term": term.label,
                "starts_on": term.starts_on,
                "ends_on": term.ends_on,
                "completed": len(by_term[term]),
                "completed_by_kind": dict(sorted(Counter(row[1] for row in by_term[term]).items())),
                "academies_visited": len({row[3] for row in by_term[term]}),
            }
            for term in terms
        ],
    }
