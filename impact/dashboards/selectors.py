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

from django.db.models import Count, Q
from django.utils import timezone

from impact.dashboards import benchmark, engagement, membership, periods, tiles
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
from impact.dashboards.tables import Chart, Table
from impact.dashboards.trends import trends
from network.base import remembered
from network.base.school_years import Year
from network.programme.membership.models import Membership
from trusts.models import Academy, Trust


@dataclass
class Dashboard:
    network: object
    year: Year
    previous_year: Year
    hub: object
    trust: object
    under_way: bool
    tiles: list[tiles.Tile]
    tables: dict[str, Table]
    charts: list[Chart]
    unavailable: dict[str, str] = field(default_factory=dict)
    kpis: list = field(default_factory=list)
    counting_rules: list[str] = field(default_factory=lambda: list(COUNTING_RULES))
    computed_at: datetime.datetime = field(default_factory=timezone.now)

    def table(self, key: str) -> Table | None:
        return self.tables.get(key)

    @property
    def fragment_key(self) -> str:
        """Names this computation of the figures, for the page's cached HTML (`{% cache %}`
        in the templates): a new computation (a counted record changed) is a new name."""
        hub = getattr(self.hub, "pk", None)
        trust = getattr(self.trust, "pk", None)
        return f"{self.computed_at.isoformat()}-{self.network.pk}-{trust}-{hub}-{self.year.kind}-{self.year.label}"


# -- A trust's dashboard -------------------------------------------------------------------


def trust_dashboard(
    user, trust: Trust, *, network, year: Year, hub=None, sort: str = "", descending: bool = False, today=None
) -> Dashboard:
    """A trust's dashboard for `year` (optionally one hub). `trust` comes through the
    access door; everything of other trusts is read in aggregate and anonymised.
    Remembered until a counted record changes (`network.base.remembered`)."""
    today = today or timezone.localdate()
    # An unknown column sorts nothing (engagement.academy_table): one key for all of them.
    sort = sort if sort in engagement.ACADEMY_SORTS else ""
    descending = descending and bool(sort)
    parts = (trust.pk, network.pk, year.kind, year.label, getattr(hub, "pk", None), sort, descending, today)
    return remembered.remember(
        "trust-dashboard",
        parts,
        lambda: _trust_dashboard(trust, network, year, hub, sort, descending, today),
    )


def _trust_dashboard(trust: Trust, network, year: Year, hub, sort: str, descending: bool, today) -> Dashboard:
    last = periods.previous(year)

    def mine(rows):
        return in_hub(rows.filter(credited_trust=trust.pk), hub)

    head = tiles.headline(mine(credited_attendance(network, last.bounds()[0], year.bounds()[1])), year)
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
    found, found_before = tiles.fetch_panels(network, year, last)

    def pick(figures, name):
        return (figures or {}).get("by_trust", {}).get(trust.pk, {})

    shown = [
        tiles.Tile("Leaders taking part", value=head["people"], previous=head["people_before"]),
        tiles.Tile(
            "CPD hours per academy",
            value=benchmark.ratio(head["hours"], size.get("academies")),
            previous=benchmark.ratio(head["hours_before"], size_before.get("academies")),
            detail=f"{head['hours']} CPD hours across {size.get('academies', 0)} academies",
        ),
        tiles.Tile(
            "Events attended", value=head["attendances"], previous=head["attendances_before"], detail="Attendances"
        ),
        tiles.Tile(
            "Academies engaged",
            value=sum(1 for a in academies if per_academy.get(a.pk, {}).get("people")),
            detail=f"of {len(academies)} academies",
        ),
    ]
    more, unavailable = tiles.panel_tiles(found, found_before, pick)
    shown += more
    shown.append(tiles.membership_tile(statuses, [a.pk for a in academies]))

    academy_rows = engagement.academy_table(academies, per_academy, statuses, found, sort, descending)
    bench_table, bench_chart = engagement.benchmark_table(trust, per_trust, sizes)
    cuts = fsm_cuts(academies_of(network, year))
    equity_tables, equity_charts = equity(year_rows, in_scope, cuts, scope="the trust's")
    trend_table, trend_chart = trends(network, min(today, year.ends_on), narrow=mine)
    tables = {t.key: t for t in [academy_rows, bench_table, *equity_tables, trend_table]}
    return Dashboard(
        network=network,
        year=year,
        previous_year=last,
        hub=hub,
        trust=trust,
        under_way=periods.is_under_way(year, today),
        tiles=shown,
        tables=tables,
        charts=[bench_chart, *equity_charts, trend_chart],
        unavailable=unavailable,
    )


# -- The network's dashboard (coordinators) ------------------------------------------------


def network_dashboard(user, network, *, year: Year, hub=None, sort: str = "", descending: bool = False, today=None):
    """The whole network for `year`, by named trust, with the network's KPIs. For
    coordinators (the view's rule), who see every trust. Remembered as a trust's is."""
    today = today or timezone.localdate()
    sort = sort if sort in engagement.TRUST_SORTS else ""
    descending = descending and bool(sort)
    parts = (network.pk, year.kind, year.label, getattr(hub, "pk", None), sort, descending, today)
    return remembered.remember(
        "network-dashboard",
        parts,
        lambda: _network_dashboard(network, year, hub, sort, descending, today),
    )


def _network_dashboard(network, year: Year, hub, sort: str, descending: bool, today) -> Dashboard:
    last = periods.previous(year)

    def everyone(rows):
        return in_hub(rows, hub)

    head = tiles.headline(everyone(credited_attendance(network, last.bounds()[0], year.bounds()[1])), year)
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
    found, found_before = tiles.fetch_panels(network, year, last)

    def pick(figures, name):
        return (figures or {}).get("by_confidence", {}) if name == "evidence" else (figures or {})

    academies_total = sum(s["academies"] for s in sizes.values())
    reached = sum(f.get("academies", 0) for f in per_trust.values())
    shown = [
        tiles.Tile("Leaders taking part", value=head["people"], previous=head["people_before"]),
        tiles.Tile(
            "CPD hours per academy",
            value=benchmark.ratio(head["hours"], academies_total),
            previous=benchmark.ratio(head["hours_before"], sum(s["academies"] for s in sizes_before.values())),
            detail=f"{head['hours']} CPD hours across {academies_total} academies",
        ),
        tiles.Tile(
            "Events attended", value=head["attendances"], previous=head["attendances_before"], detail="Attendances"
        ),
        tiles.Tile("Academies engaged", value=reached, detail=f"of {academies_total} academies in {len(sizes)} trusts"),
    ]
    more, unavailable = tiles.panel_tiles(found, found_before, pick, network_level=True)
    shown += more
    trust_table = engagement.trust_table(trusts, per_trust, sizes, members, sort, descending)
    distribution = engagement.distribution_table(per_trust, sizes)
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
        tiles=shown,
        tables=tables,
        charts=[chart, *equity_charts, trend_chart],
        unavailable=unavailable,
        kpis=kpis(network, year.label, today=today),
    )
