"""The contribution ledger: what each academy (and trust) gave the network in a
membership year, against what it took. Computed, never stored.

    gave: sessions led (hub meetings it ran), visits hosted, grant outcomes shared,
          mentoring (mentor roles held), connections accepted
    took: CPD places, visits received, grants awarded (count and £)

Visits land in parallel (events/visits/): they plug in through `LEDGER_SOURCES`, a list
of functions `(start, end) -> {academy_id: {"visits_hosted": n, "visits_received": n}}`
that the visits part appends to in its AppConfig.ready(), so the programme never
imports the events room. CPD places and sessions led are read by label
(`network.programme.event_reads`)."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from network.base.school_years import Year
from network.programme import event_reads
from network.programme.connections.models import ConnectionRequest
from network.programme.grants.models import GrantBid, GrantReport
from network.programme.roles.models import NetworkRole

GAVE = ("sessions_led", "visits_hosted", "outcomes_shared", "mentoring", "connections_accepted")
TOOK = ("cpd_places", "visits_received", "grants")
LABELS = {
    "sessions_led": "Sessions led",
    "visits_hosted": "Visits hosted",
    "outcomes_shared": "Grant outcomes shared",
    "mentoring": "Mentoring",
    "connections_accepted": "Connections accepted",
    "cpd_places": "CPD places",
    "visits_received": "Visits received",
    "grants": "Grants",
}

# The plug point for other parts (visits): see the module's docstring.
LEDGER_SOURCES: list[Callable] = []


@dataclass
class Line:
    name: str
    trust_name: str = ""
    figures: dict = field(default_factory=lambda: dict.fromkeys(GAVE + TOOK, 0))
    grant_money: Decimal = Decimal("0")

    @property
    def gave_values(self) -> list[int]:
        return [self.figures[k] for k in GAVE]

    @property
    def took_values(self) -> list[int]:
        return [self.figures[k] for k in TOOK]

    @property
    def gave(self) -> int:
        return sum(self.figures[k] for k in GAVE)

    @property
    def took(self) -> int:
        return sum(self.figures[k] for k in TOOK)

    def add(self, other: "Line") -> None:
        for k in GAVE + TOOK:
            self.figures[k] += other.figures[k]
        self.grant_money += other.grant_money


def _by(rows, key: str, value: str = "n") -> dict:
    return {r[key]: r[value] for r in rows if r[key]}


def figures(year: Year, academy_ids=None) -> dict[int, dict]:
    """{academy_id: {figure: n}} for the year, for every academy with any figure (or only
    `academy_ids`). A fixed number of queries, however many academies."""
    start, end = year.bounds()
    within = Q(decided_at__gte=start, decided_at__lt=end)
    grants = (
        GrantBid.objects.filter(within, status=GrantBid.Status.AWARDED)
        .values("academy_id")
        .annotate(n=Count("pk"), money=Sum("amount_awarded"))
    )
    sources = {
        "sessions_led": event_reads.sessions_led_by_academy(start, end),
        "cpd_places": event_reads.cpd_places_by_academy(start, end),
        "outcomes_shared": _by(
            GrantReport.objects.filter(kind="final", published_at__gte=start, published_at__lt=end)
            .values("bid__academy_id")
            .annotate(n=Count("pk")),
            "bid__academy_id",
        ),
        "mentoring": _by(
            NetworkRole.objects.filter(kind=NetworkRole.Kind.MENTOR, starts_on__lte=year.ends_on, holder__isnull=False)
            .values("holder__academy_id")
            .annotate(n=Count("pk")),
            "holder__academy_id",
        ),
        "connections_accepted": _by(
            ConnectionRequest.objects.filter(status="accepted", responded_at__gte=start, responded_at__lt=end)
            .values("recipient__academy_id")
            .annotate(n=Count("pk")),
            "recipient__academy_id",
        ),
    }
    result = defaultdict(lambda: {**dict.fromkeys(GAVE + TOOK, 0), "grant_money": Decimal("0")})
    for name, per_academy in sources.items():
        for academy_id, n in per_academy.items():
            result[academy_id][name] += n
    for row in grants:
        result[row["academy_id"]]["grants"] += row["n"]
        result[row["academy_id"]]["grant_money"] += row["money"] or 0
    for source in LEDGER_SOURCES:
        for academy_id, values in source(start, end).items():
            for name, n in values.items():
                if name in LABELS:
                    result[academy_id][name] += n
    if academy_ids is not None:
        wanted = set(academy_ids)
        return {a: v for a, v in result.items() if a in wanted}
    return dict(result)
