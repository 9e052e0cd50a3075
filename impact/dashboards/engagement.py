"""The tables of a dashboard that are not charts of their own: each academy's (or
trust's) engagement, sortable, and the benchmark beside the other trusts."""

import datetime

from django.utils import timezone

from impact.dashboards import benchmark, membership
from impact.dashboards.tables import Chart, Column, Suppressed, Table
from trusts.models import SupportTier

TIERS = dict(SupportTier.choices)

ACADEMY_SORTS = {
    "academy": lambda r: r[0].lower(),
    "people": lambda r: r[2],
    "attendances": lambda r: r[3],
    "hours": lambda r: r[4],
    "last": lambda r: r[5] or datetime.date.min,
    "tier": lambda r: r[9] or "",
    "membership": lambda r: r[10] or "",
}


def academy_table(academies, per_academy, statuses, found, sort, descending) -> Table:
    visits, surveys = found["visits"], found["surveys"]
    rows = []
    for academy in academies:
        figures = per_academy.get(academy.pk, {})
        academy_visits = (visits or {}).get("by_academy", {}).get(academy.pk, {})
        academy_surveys = (surveys or {}).get("by_academy", {}).get(academy.pk, {})
        rows.append(
            [
                academy.name,
                str(academy.urn),  # an identifier, not a quantity: no thousands separator
                figures.get("people", 0),
                figures.get("attendances", 0),
                figures.get("hours") or 0,
                timezone.localtime(figures["last"]).date() if figures.get("last") else None,
                academy_visits.get("hosted", 0) if visits is not None else None,
                academy_visits.get("made", 0) if visits is not None else None,
                academy_surveys.get("responses", 0) if surveys is not None else None,
                TIERS.get(academy.support_tier, ""),
                statuses.get(academy.pk, membership.NOT_MEMBER),
            ]
        )
    staff = per_academy.get(None)
    if staff:
        rows.append(
            [
                "Trust-wide staff (no academy)",
                "",
                staff["people"],
                staff["attendances"],
                staff["hours"] or 0,
                timezone.localtime(staff["last"]).date() if staff.get("last") else None,
                None,
                None,
                None,
                "",
                "",
            ]
        )
    if sort in ACADEMY_SORTS:
        rows.sort(key=ACADEMY_SORTS[sort], reverse=descending)
    else:
        sort = ""
        # Never engaged first, so the academies to call this term are at the top.
        rows.sort(key=lambda r: (r[2] > 0, r[0].lower()))
    not_yet = " (not recorded yet)"
    return Table(
        key="academies",
        title="Engagement of each academy",
        columns=[
            Column("academy", "Academy", numeric=False),
            Column("urn", "URN", numeric=False),
            Column("people", "People taking part"),
            Column("attendances", "Event attendances"),
            Column("hours", "CPD hours"),
            Column("last", "Last attended", numeric=False),
            Column("hosted", "Visits hosted" + (not_yet if visits is None else "")),
            Column("made", "Visits made" + (not_yet if visits is None else "")),
            Column("surveys", "Survey responses" + (not_yet if surveys is None else "")),
            Column("tier", "Support tier", numeric=False),
            Column("membership", "Membership", numeric=False),
        ],
        rows=rows,
        note="Academies nobody from which attended an event this year are listed first (unless you sort).",
        empty="The trust had no academies in the network in this year.",
        sortable=True,
        sort=sort,
        descending=descending,
    )


def benchmark_table(trust, per_trust: dict, sizes: dict) -> tuple[Table, Chart]:
    """The trust beside the other trusts' median and interquartile range, per measure,
    with the same figures indexed to the median (= 100) for the chart."""
    own = benchmark.trust_measures(per_trust.get(trust.pk, {}), sizes.get(trust.pk, {}))
    others = [(per_trust.get(tid, {}), size) for tid, size in sizes.items() if tid != trust.pk]
    compared = benchmark.compare(others)
    rows = []
    for key, label, *_ in benchmark.MEASURES:
        b = compared[key]
        median = b["median"]
        if isinstance(median, Suppressed):
            index = [median, median, median, median]
        else:
            index = [
                benchmark.ratio(own[key], median, 100) if own[key] is not None else None,
                benchmark.ratio(b["q1"], median, 100),
                100 if median else None,
                benchmark.ratio(b["q3"], median, 100),
            ]
        rows.append([label, own[key], b["q1"], b["median"], b["q3"], b["trusts"] or b["median"], *index])
    table = Table(
        key="benchmark",
        title="Your trust against the network",
        columns=[
            Column("measure", "Measure", numeric=False),
            Column("trust", "Your trust"),
            Column("q1", "Other trusts: lower quartile"),
            Column("median", "Other trusts: median"),
            Column("q3", "Other trusts: upper quartile"),
            Column("trusts", "Other trusts compared"),
            Column("trust_index", "Your trust (median = 100)"),
            Column("q1_index", "Lower quartile (median = 100)"),
            Column("median_index", "Median (= 100)"),
            Column("q3_index", "Upper quartile (median = 100)"),
        ],
        rows=rows,
        note=(
            "The other trusts of the network are not named. Half of them lie between the lower and upper "
            f"quartiles. A figure resting on fewer than {benchmark.MIN_PEOPLE} people or "
            f"{benchmark.MIN_TRUSTS} trusts is not shown."
        ),
    )
    chart = Chart(
        key="benchmark",
        title="Your trust against the network (median = 100)",
        table=table,
        label_column="measure",
        series=[
            ("Your trust", "trust_index"),
            ("Middle half of other trusts", ("q1_index", "q3_index")),
            ("Median of other trusts", "median_index"),
        ],
        y_title="Per cent of the median of other trusts",
        description="Bar chart: for each measure, your trust's figure as a percentage of the other trusts' median, "
        "beside the range of the middle half of the other trusts.",
    )
    return table, chart


TRUST_SORTS = {
    "trust": lambda r: r[0].lower(),
    "academies": lambda r: r[1],
    "people": lambda r: r[3],
    "hours": lambda r: r[5],
    "hours_per_academy": lambda r: r[6] or 0,
    "never": lambda r: r[9],
    "members": lambda r: r[10],
}


def trust_table(trusts, per_trust, sizes, members, sort, descending) -> Table:
    rows, ids = [], []
    for trust in trusts:
        figures, size = per_trust.get(trust.pk, {}), sizes.get(trust.pk, {"academies": 0, "pupils": 0})
        reached = figures.get("academies", 0)
        rows.append(
            [
                trust.name,
                size["academies"],
                size["pupils"],
                figures.get("people", 0),
                figures.get("attendances", 0),
                figures.get("hours") or 0,
                benchmark.ratio(figures.get("hours") or 0, size["academies"]),
                benchmark.ratio(figures.get("people", 0), size["academies"]),
                reached,
                max(size["academies"] - reached, 0),
                members.get(trust.pk, 0),
            ]
        )
        ids.append(trust.pk)
    paired = list(zip(rows, ids, strict=True))
    if sort in TRUST_SORTS:
        paired.sort(key=lambda p: TRUST_SORTS[sort](p[0]), reverse=descending)
    else:
        sort = ""
        paired.sort(key=lambda p: p[0][0].lower())
    return Table(
        key="trusts",
        title="Engagement of each trust",
        columns=[
            Column("trust", "Trust", numeric=False),
            Column("academies", "Academies"),
            Column("pupils", "Pupils"),
            Column("people", "People taking part"),
            Column("attendances", "Event attendances"),
            Column("hours", "CPD hours"),
            Column("hours_per_academy", "CPD hours per academy"),
            Column("people_per_academy", "People taking part per academy"),
            Column("reached", "Academies engaged"),
            Column("never", "Academies never engaged"),
            Column("members", "Member academies"),
        ],
        rows=[p[0] for p in paired],
        note="Coordinators see trusts by name; trust executives see only the anonymised benchmark.",
        empty="No trusts in the network yet.",
        sortable=True,
        sort=sort,
        descending=descending,
        row_ids=[p[1] for p in paired],
        link="impact:trust_dashboard",
    )


def distribution_table(per_trust, sizes) -> Table:
    compared = benchmark.compare([(per_trust.get(tid, {}), size) for tid, size in sizes.items()])
    return Table(
        key="distribution",
        title="Spread across the trusts",
        columns=[
            Column("measure", "Measure", numeric=False),
            Column("q1", "Lower quartile"),
            Column("median", "Median"),
            Column("q3", "Upper quartile"),
            Column("trusts", "Trusts"),
        ],
        rows=[
            [c["label"], c["q1"], c["median"], c["q3"], c["trusts"] or c["median"]]
            for key, c in ((m[0], compared[m[0]]) for m in benchmark.MEASURES)
        ],
        note="What trust executives see beside their own trust's figures (without their own trust).",
    )
