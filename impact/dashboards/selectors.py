"""One selector per dashboard page: `trust_dashboard` (a trust executive's, or a
coordinator looking at one trust) and `network_dashboard` (the coordinators'). Each
answers with a fixed number of queries whatever the size of the network: every figure is
an aggregate in SQL (`impact.dashboards.figures`), and Python only arranges the rows.

Scope: the view fetches the trust through the access door (another trust's id is a
404). The benchmark must then read the other trusts' figures, which the executive may
not see: it reads them here, in aggregate, and `benchmark.compare` withholds any figure
resting on fewer than 5 people or 3 trusts before a page, chart or CSV sees it. Nothing
in a trust's dashboard names another trust.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from impact.dashboards import benchmark, membership, panels, periods
from impact.dashboards.equity import equity, fsm_cuts
from impact.dashboards.figures import (
    COUNTING_RULES,
    academies_of,
    by_academy,
    by_trust,
    credited_attendance,
    in_hub,
    in_year,
    trust_sizes,
)
from impact.dashboards.kpis import kpis
from impact.dashboards.tables import Chart, Column, Suppressed, Table
from impact.dashboards.trends import trends
from network.base.school_years import Year
from network.programme.membership.models import Membership
from trusts.models import Academy, SupportTier, Trust

TIERS = dict(SupportTier.choices)


@dataclass
class Tile:
    label: str
    value: object = None
    previous: object = None
    unit: str = ""
    detail: str = ""
    unavailable: str = ""  # why there is no figure yet

    @property
    def change(self):
        numbers = (int, float, Decimal)
        if isinstance(self.value, numbers) and isinstance(self.previous, numbers):
            return self.value - self.previous
        return None


@dataclass
class Dashboard:
    network: object
    year: Year
    previous_year: Year
    hub: object
    trust: object
    under_way: bool
    tiles: list[Tile]
    tables: dict[str, Table]
    charts: list[Chart]
    unavailable: dict[str, str] = field(default_factory=dict)
    kpis: list = field(default_factory=list)
    counting_rules: list[str] = field(default_factory=lambda: list(COUNTING_RULES))

    def table(self, key: str) -> Table | None:
        return self.tables.get(key)


def _headline(rows, year: Year) -> dict:
    """This year's and last year's people, attendances and hours in one query (`rows`
    span both years)."""
    start, _ = year.bounds()
    now, before = Q(booking__event__starts_at__gte=start), Q(booking__event__starts_at__lt=start)
    person, hours = "booking__person", "booking__event__cpd_hours"
    figures = rows.aggregate(
        people=Count(person, distinct=True, filter=now),
        people_before=Count(person, distinct=True, filter=before),
        attendances=Count("pk", filter=now),
        attendances_before=Count("pk", filter=before),
        hours=Sum(hours, filter=now),
        hours_before=Sum(hours, filter=before),
        academies=Count("booking__academy_at_booking", distinct=True, filter=now),
    )
    figures["hours"] = figures["hours"] or 0
    figures["hours_before"] = figures["hours_before"] or 0
    return figures


def _panel_tiles(found: dict, found_before: dict, pick, *, network_level: bool = False):
    """The tiles of the plug-in panels (`impact.dashboards.panels`); `pick(figures, name)`
    narrows a panel's figures to the trust (or gives the network's). A panel whose
    capability is not installed gives a tile saying so, never a zero."""
    tiles, unavailable = [], {}
    for name in ("visits", "surveys", "evidence", "grants"):
        if found[name] is None:
            unavailable[name] = panels.NOT_YET[name]
    visits, surveys, evidence = found["visits"], found["surveys"], found["evidence"]
    if visits is None:
        tiles.append(Tile("Visits hosted and received", unavailable=panels.NOT_YET["visits"]))
    elif network_level:
        tiles.append(
            Tile(
                "Academy visits delivered",
                value=visits.get("delivered", 0),
                previous=(found_before["visits"] or {}).get("delivered"),
                detail=f"across {visits.get('trusts', 0)} trusts",
            )
        )
    else:
        mine, before = pick(visits, "visits"), pick(found_before["visits"], "visits")
        tiles.append(
            Tile(
                "Visits hosted and received",
                value=mine.get("hosted", 0) + mine.get("received", 0),
                previous=before.get("hosted", 0) + before.get("received", 0),
                detail=f"{mine.get('hosted', 0)} hosted, {mine.get('received', 0)} received",
            )
        )
    if surveys is None:
        tiles.append(Tile("Survey response rate and mean impact score", unavailable=panels.NOT_YET["surveys"]))
    else:
        mine = pick(surveys, "surveys")
        tiles.append(
            Tile(
                "Survey response rate",
                value=benchmark.ratio(mine.get("responses", 0), mine.get("sent", 0), 100),
                unit="%",
                detail=f"Mean impact score {mine.get('mean_impact') or '–'} (of 5)",
            )
        )
    if evidence is None:
        tiles.append(Tile("Evidence by confidence level", unavailable=panels.NOT_YET["evidence"]))
    else:
        mine = pick(evidence, "evidence")
        tiles.append(
            Tile(
                "Evidence items",
                value=sum(mine.values()),
                detail="; ".join(f"{level}: {n}" for level, n in mine.items()) or "None recorded",
            )
        )
    return tiles, unavailable


def _membership_tile(status_by_academy: dict, academy_ids) -> Tile:
    tally = membership.counts(status_by_academy, academy_ids)
    renewing = tally[membership.RENEWING] + tally[membership.MEMBER]
    return Tile(
        "Membership of the academies",
        value=renewing + tally[membership.AT_RISK] + tally[membership.NOT_ELIGIBLE],
        detail=(
            f"{renewing} renewing or members, {tally[membership.AT_RISK]} at risk, "
            f"{tally[membership.NOT_ELIGIBLE]} not eligible next year, {tally[membership.NOT_MEMBER]} not members"
        ),
    )


# -- A trust's dashboard -------------------------------------------------------------------

ACADEMY_SORTS = {
    "academy": lambda r: r[0].lower(),
    "people": lambda r: r[2],
    "attendances": lambda r: r[3],
    "hours": lambda r: r[4],
    "last": lambda r: r[5] or datetime.date.min,
    "tier": lambda r: r[9] or "",
    "membership": lambda r: r[10] or "",
}


def trust_dashboard(
    user, trust: Trust, *, network, year: Year, hub=None, sort: str = "", descending: bool = False, today=None
) -> Dashboard:
    """A trust's dashboard for `year` (optionally one hub). `trust` comes through the
    access door; everything of other trusts is read in aggregate and anonymised."""
    today = today or timezone.localdate()
    last = periods.previous(year)

    def mine(rows):
        return in_hub(rows.filter(credited_trust=trust.pk), hub)

    head = _headline(mine(credited_attendance(network, last.bounds()[0], year.bounds()[1])), year)
    sizes, sizes_before = trust_sizes(network, year, hub=hub), trust_sizes(network, last, hub=hub)
    size, size_before = sizes.get(trust.pk, {}), sizes_before.get(trust.pk, {})
    per_trust = by_trust(in_hub(in_year(network, year), hub))
    year_rows = mine(in_year(network, year))

    in_scope = academies_of(network, year, trust=trust, hub=hub)
    academies = list(
        Academy.objects.filter(
            Q(pk__in=in_scope.values("pk")) | Q(pk__in=year_rows.values("booking__academy_at_booking"))
        )
        .only("pk", "name", "urn", "support_tier")
        .order_by("name")
    )
    per_academy = by_academy(year_rows)
    statuses = membership.statuses(network, year.label, [a.pk for a in academies])
    found = panels.all_panels(network=network, starts_on=year.starts_on, ends_on=year.ends_on)
    found_before = {
        name: (
            panels.figures(name, network=network, starts_on=last.starts_on, ends_on=last.ends_on)
            if found[name]
            else None
        )
        for name in found
    }

    def pick(figures, name):
        return (figures or {}).get("by_trust", {}).get(trust.pk, {})

    tiles = [
        Tile("Leaders taking part", value=head["people"], previous=head["people_before"]),
        Tile(
            "CPD hours per academy",
            value=benchmark.ratio(head["hours"], size.get("academies")),
            previous=benchmark.ratio(head["hours_before"], size_before.get("academies")),
            detail=f"{head['hours']} CPD hours across {size.get('academies', 0)} academies",
        ),
        Tile("Events attended", value=head["attendances"], previous=head["attendances_before"], detail="Attendances"),
        Tile(
            "Academies engaged",
            value=sum(1 for a in academies if per_academy.get(a.pk, {}).get("people")),
            detail=f"of {len(academies)} academies",
        ),
    ]
    more, unavailable = _panel_tiles(found, found_before, pick)
    tiles += more
    tiles.append(_membership_tile(statuses, [a.pk for a in academies]))

    engagement = _academy_table(academies, per_academy, statuses, found, sort, descending)
    bench_table, bench_chart = _benchmark(trust, per_trust, sizes)
    cuts = fsm_cuts(academies_of(network, year))
    equity_tables, equity_charts = equity(year_rows, in_scope, cuts, scope="the trust's")
    trend_table, trend_chart = trends(network, min(today, year.ends_on), narrow=mine)
    tables = {t.key: t for t in [engagement, bench_table, *equity_tables, trend_table]}
    return Dashboard(
        network=network,
        year=year,
        previous_year=last,
        hub=hub,
        trust=trust,
        under_way=periods.is_under_way(year, today),
        tiles=tiles,
        tables=tables,
        charts=[bench_chart, *equity_charts, trend_chart],
        unavailable=unavailable,
    )


def _academy_table(academies, per_academy, statuses, found, sort, descending) -> Table:
    visits, surveys = found["visits"], found["surveys"]
    rows = []
    for academy in academies:
        figures = per_academy.get(academy.pk, {})
        academy_visits = (visits or {}).get("by_academy", {}).get(academy.pk, {})
        academy_surveys = (surveys or {}).get("by_academy", {}).get(academy.pk, {})
        rows.append(
            [
                academy.name,
                academy.urn,
                figures.get("people", 0),
                figures.get("attendances", 0),
                figures.get("hours") or 0,
                timezone.localtime(figures["last"]).date() if figures.get("last") else None,
                academy_visits.get("hosted", 0) if visits is not None else None,
                academy_visits.get("received", 0) if visits is not None else None,
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
            Column("received", "Visits received" + (not_yet if visits is None else "")),
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


def _benchmark(trust, per_trust: dict, sizes: dict) -> tuple[Table, Chart]:
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


# -- The network's dashboard (coordinators) ------------------------------------------------

TRUST_SORTS = {
    "trust": lambda r: r[0].lower(),
    "academies": lambda r: r[1],
    "people": lambda r: r[3],
    "hours": lambda r: r[5],
    "hours_per_academy": lambda r: r[6] or 0,
    "never": lambda r: r[9],
    "members": lambda r: r[10],
}


def network_dashboard(user, network, *, year: Year, hub=None, sort: str = "", descending: bool = False, today=None):
    """The whole network for `year`, by named trust, with the network's KPIs. For
    coordinators (the view's rule), who see every trust."""
    today = today or timezone.localdate()
    last = periods.previous(year)

    def everyone(rows):
        return in_hub(rows, hub)

    head = _headline(everyone(credited_attendance(network, last.bounds()[0], year.bounds()[1])), year)
    sizes, sizes_before = trust_sizes(network, year, hub=hub), trust_sizes(network, last, hub=hub)
    per_trust = by_trust(everyone(in_year(network, year)))
    in_scope = academies_of(network, year, hub=hub)
    trusts = list(Trust.objects.filter(Q(networks=network) | Q(pk__in=list(sizes))).distinct().only("pk", "name"))
    members = dict(
        Membership.objects.filter(
            year__network=network, year__label=year.label, status=Membership.Status.ACTIVE, academy__in=in_scope
        )
        .values_list("trust")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = panels.all_panels(network=network, starts_on=year.starts_on, ends_on=year.ends_on)
    found_before = {
        name: (
            panels.figures(name, network=network, starts_on=last.starts_on, ends_on=last.ends_on)
            if found[name]
            else None
        )
        for name in found
    }

    def pick(figures, name):
        return (figures or {}).get("by_confidence", {}) if name == "evidence" else (figures or {})

    academies_total = sum(s["academies"] for s in sizes.values())
    reached = sum(f.get("academies", 0) for f in per_trust.values())
    tiles = [
        Tile("Leaders taking part", value=head["people"], previous=head["people_before"]),
        Tile(
            "CPD hours per academy",
            value=benchmark.ratio(head["hours"], academies_total),
            previous=benchmark.ratio(head["hours_before"], sum(s["academies"] for s in sizes_before.values())),
            detail=f"{head['hours']} CPD hours across {academies_total} academies",
        ),
        Tile("Events attended", value=head["attendances"], previous=head["attendances_before"], detail="Attendances"),
        Tile("Academies engaged", value=reached, detail=f"of {academies_total} academies in {len(sizes)} trusts"),
    ]
    more, unavailable = _panel_tiles(found, found_before, pick, network_level=True)
    tiles += more
    trust_table = _trust_table(trusts, per_trust, sizes, members, sort, descending)
    distribution = _distribution(per_trust, sizes)
    cuts = fsm_cuts(academies_of(network, year))
    equity_tables, equity_charts = equity(everyone(in_year(network, year)), in_scope, cuts, scope="the network's")
    trend_table, trend_chart = trends(network, min(today, year.ends_on), narrow=everyone)
    tables = {t.key: t for t in [trust_table, distribution, *equity_tables, trend_table]}
    chart = Chart(
        key="trusts",
        title="CPD hours per academy, by trust",
        table=trust_table,
        label_column="trust",
        series=[
            ("CPD hours per academy", "hours_per_academy"),
            ("People taking part per academy", "people_per_academy"),
        ],
        y_title="Per academy",
        description="Bar chart: CPD hours and people taking part per academy for each trust.",
    )
    return Dashboard(
        network=network,
        year=year,
        previous_year=last,
        hub=hub,
        trust=None,
        under_way=periods.is_under_way(year, today),
        tiles=tiles,
        tables=tables,
        charts=[chart, *equity_charts, trend_chart],
        unavailable=unavailable,
        kpis=kpis(network, year.label, today=today),
    )


def _trust_table(trusts, per_trust, sizes, members, sort, descending) -> Table:
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


def _distribution(per_trust, sizes) -> Table:
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
