"""The annual report's figures: one selector, a fixed number of queries, every number
computed from the records (attendance, memberships, objectives, the six-lens review, and
visits, surveys and evidence through their panels once those are installed).

The result is plain data (dicts, lists, numbers, strings, dates) so the JSON, HTML and
PDF renderers only format it. The counting rules travel with the figures.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from events.models import Event
from impact.dashboards import panels, periods
from impact.dashboards.figures import COUNTING_RULES, academies_of, by_trust, in_year, trust_sizes
from impact.dashboards.kpis import kpis
from impact.reviews.models import Lens, LensReview
from network.base import remembered
from network.programme.membership.models import Membership, MembershipPolicy
from trusts.models import Academy, Trust

MEMBER_STATUSES = (Membership.Status.ACTIVE, Membership.Status.LEFT)
KINDS = dict(Event.Kind.choices)


def _n(value):
    return int(value or 0)


def _hours(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.1"))


def remembered_report(network, label: str, *, kind: str = periods.MEMBERSHIP) -> dict:
    """`annual_report` as the pages and downloads read it: remembered until a counted
    record changes (`network.base.remembered`), so the page, its JSON, HTML and PDF
    show the same figures and the second of them costs no aggregate."""
    today = timezone.localdate()
    periods.year_for(kind, label)  # ValueError for a malformed year, before the cache
    return remembered.remember(
        "annual-report",
        (network.pk, kind, label, today),
        lambda: annual_report(network, label, kind=kind, today=today),
    )


def annual_report(network, label: str, *, kind: str = periods.MEMBERSHIP, today: datetime.date | None = None) -> dict:
    """Every figure of `network`'s report for the year `label` ("2024-25") of `kind`
    (the membership year by default: the network's own year, in which membership
    growth and objectives are counted). Raises ValueError for a malformed year."""
    today = today or timezone.localdate()
    year = periods.year_for(kind, label)
    rows = in_year(network, year)
    online = Q(booking__event__is_online=True)
    conference = Q(booking__event__kind=Event.Kind.CONFERENCE)
    totals = rows.aggregate(
        people=Count("booking__person", distinct=True),
        attendances=Count("pk"),
        hours=Sum("booking__event__cpd_hours"),
        trusts=Count("credited_trust", distinct=True),
        online_people=Count("booking__person", distinct=True, filter=online),
        online_trusts=Count("credited_trust", distinct=True, filter=online),
        conference_people=Count("booking__person", distinct=True, filter=conference),
        conference_trusts=Count("credited_trust", distinct=True, filter=conference),
    )
    reached = Academy.objects.filter(pk__in=rows.values("booking__academy_at_booking")).aggregate(
        academies=Count("pk"), pupils=Sum("pupils_on_roll")
    )
    network_academies = academies_of(network, year).aggregate(academies=Count("pk"), pupils=Sum("pupils_on_roll"))
    by_kind = [
        {
            "kind": KINDS.get(row["booking__event__kind"], row["booking__event__kind"]),
            "events": row["events"],
            "attendances": row["attendances"],
            "people": row["people"],
            "hours": _hours(row["hours"]),
        }
        for row in rows.values("booking__event__kind")
        .annotate(
            events=Count("booking__event", distinct=True),
            attendances=Count("pk"),
            people=Count("booking__person", distinct=True),
            hours=Sum("booking__event__cpd_hours"),
        )
        .order_by("booking__event__kind")
    ]
    per_trust, sizes = by_trust(rows), trust_sizes(network, year)
    names = dict(Trust.objects.filter(pk__in=[*per_trust, *sizes]).values_list("pk", "name"))
    trusts = sorted(
        (
            {
                "trust": names.get(tid, ""),
                "academies": sizes.get(tid, {}).get("academies", 0),
                "academies_reached": per_trust.get(tid, {}).get("academies", 0),
                "people": per_trust.get(tid, {}).get("people", 0),
                "attendances": per_trust.get(tid, {}).get("attendances", 0),
                "hours": _hours(per_trust.get(tid, {}).get("hours")),
            }
            for tid in set(per_trust) | set(sizes)
        ),
        key=lambda t: t["trust"].lower(),
    )
    membership = _membership(network, label)
    visits = panels.figures("visits", network=network, starts_on=year.starts_on, ends_on=year.ends_on)
    surveys = panels.figures("surveys", network=network, starts_on=year.starts_on, ends_on=year.ends_on)
    evidence = panels.figures("evidence", network=network, starts_on=year.starts_on, ends_on=year.ends_on)
    grants = panels.figures("grants", network=network, starts_on=year.starts_on, ends_on=year.ends_on)
    figures = {
        "online_cpd": {"leaders": _n(totals["online_people"]), "trusts": _n(totals["online_trusts"])},
        "visits": {"delivered": visits["delivered"], "trusts": visits["trusts"]} if visits else None,
        "conference": {"leaders": _n(totals["conference_people"]), "trusts": _n(totals["conference_trusts"])},
        "people_taking_part": _n(totals["people"]),
        "attendances": _n(totals["attendances"]),
        "cpd_hours": _hours(totals["hours"]),
        "trusts_taking_part": _n(totals["trusts"]),
        "academies_reached": _n(reached["academies"]),
        "pupils_reached": _n(reached["pupils"]),
        "academies_in_network": _n(network_academies["academies"]),
        "pupils_in_network": _n(network_academies["pupils"]),
        "membership": membership,
        "evidence_by_confidence": evidence["by_confidence"] if evidence else None,
        "grants": (
            {
                "submitted": grants["submitted"],
                "awarded": grants["awarded"],
                "awarded_total": Decimal(grants["awarded_total"]).quantize(Decimal("0.01")),
                "trusts": sum(1 for t in grants["by_trust"].values() if t["awarded"]),
                "outcomes_published": grants["outcomes_published"],
            }
            if grants
            else None
        ),
        "surveys": (
            {k: surveys.get(k) for k in ("sent", "responses", "response_rate", "mean_impact", "headlines")}
            if surveys
            else None
        ),
    }
    return {
        "network": {"name": network.name, "slug": network.slug},
        "year": {"label": year.label, "kind": year.kind, "starts_on": year.starts_on, "ends_on": year.ends_on},
        "generated_on": today,
        "computed_at": timezone.now(),
        "under_way": periods.is_under_way(year, today),
        "headlines": _headlines(figures),
        "figures": figures,
        "by_kind": by_kind,
        "by_trust": trusts,
        "kpis": [
            {
                "measure": k.measure,
                "label": k.label,
                "value": k.value,
                "trusts": k.trusts,
                "target": k.objective.target if k.objective else None,
                "comparison": k.objective.comparison if k.objective else None,
                "min_trusts": k.objective.min_trusts if k.objective else None,
                "status": k.status or None,
            }
            for k in kpis(network, year.label, today=today)
        ],
        "six_lens": _six_lens(network, year.label),
        "counting_rules": list(COUNTING_RULES),
        "not_available": {
            name: panels.NOT_YET[name]
            for name, found in (("visits", visits), ("surveys", surveys), ("evidence", evidence), ("grants", grants))
            if found is None
        },
    }


def _membership(network, label: str) -> dict:
    previous = periods.previous(periods.year_for(periods.MEMBERSHIP, label)).label
    counts = dict(
        Membership.objects.filter(year__network=network, year__label__in=[label, previous], status__in=MEMBER_STATUSES)
        .values_list("year__label")
        .annotate(n=Count("pk"))
        .order_by()
    )
    policy = MembershipPolicy.objects.filter(network=network).only("growth_target_percent").first()
    target = (
        policy.growth_target_percent if policy else MembershipPolicy._meta.get_field("growth_target_percent").default
    )
    members, before = counts.get(label, 0), counts.get(previous, 0)
    growth = (Decimal(members - before) * 100 / before).quantize(Decimal("0.1")) if before else None
    return {
        "members": members,
        "members_last_year": before,
        "growth_percent": growth,
        "target_percent": Decimal(target),
        "met": growth is not None and growth >= Decimal(target),
    }


def _six_lens(network, label: str) -> dict | None:
    review = (
        LensReview.objects.filter(network=network, hub__isnull=True, year_label=label)
        .prefetch_related("ratings")
        .first()
    )
    if review is None:
        return None
    order = {lens: i for i, lens in enumerate(Lens.values)}
    return {
        "summary": review.summary,
        "ratings": [
            {"lens": r.get_lens_display(), "rating": r.rating, "commentary": r.commentary}
            for r in sorted(review.ratings.all(), key=lambda r: order[r.lens])
        ],
        "actions": review.action_lines,
    }


def _percent(value: Decimal) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _headlines(figures: dict) -> list[str]:
    """Sentences of the form the network publishes, from the figures above."""
    lines = [
        f"{figures['online_cpd']['leaders']:,} science leaders joined online CPD",
    ]
    if figures["visits"] is not None and figures["visits"]["delivered"]:
        lines.append(
            f"{figures['visits']['delivered']:,} academy visits were delivered across {figures['visits']['trusts']} MATs"
        )
    lines.append(
        f"{figures['conference']['leaders']:,} leaders from {figures['conference']['trusts']} trusts "
        "attended the national conference"
    )
    lines.append(
        f"{figures['academies_reached']:,} academies and {figures['pupils_reached']:,} pupils reached, "
        f"with {figures['cpd_hours']:,} CPD hours"
    )
    g = figures["grants"]
    if g is not None and g["awarded"]:
        lines.append(
            f"{g['awarded']:,} innovation {'grant was' if g['awarded'] == 1 else 'grants were'} awarded "
            f"(£{g['awarded_total']:,.2f}) to academies in {g['trusts']} {'trust' if g['trusts'] == 1 else 'trusts'}"
        )
    m = figures["membership"]
    if m["growth_percent"] is not None:
        lines.append(
            f"Membership grew by {m['growth_percent']}% ({m['members_last_year']} to {m['members']} academies), "
            f"against a target of +{_percent(m['target_percent'])}%"
            if m["growth_percent"] >= 0
            else f"Membership fell by {-m['growth_percent']}% ({m['members_last_year']} to {m['members']} academies)"
        )
    return lines
