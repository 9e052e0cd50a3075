"""The demo's impact data, relative to today: the network's objectives for last and this
membership year (the Secondary Science Network's published targets) and its six-lens
self-review for both years, so the network dashboard, the KPIs, the review's
year-on-year radar and the annual report have something to show.

Keyed by natural keys (network + year + measure; network + year for a review), written
only when missing, so a second run creates nothing and a coordinator's edits stay.
Ratings are fixed, not drawn: the review is a story (equity improving, sustainability
still the weak lens), the same at every scale.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from impact.dashboards import periods
from impact.dashboards.models import Measure, Objective
from impact.evidence.models import Claim
from impact.reviews.models import Lens, LensRating, LensReview

TARGETS = [  # measure, target, from at least N trusts, note
    (Measure.ONLINE_CPD_LEADERS, 100, None, "100+ science leaders in online CPD"),
    (Measure.VISITS, 35, 5, "35 academy visits across 5 MATs"),
    (Measure.CONFERENCE, 40, 7, "40 leaders from 7 trusts at the national conference"),
    (Measure.MEMBERSHIP_GROWTH, 20, None, "The steering group's +20% a year"),
    (Measure.NEVER_ENGAGED, 10, None, "No more than one academy in ten left out"),
]

RATINGS = {  # lens: (last year, this year, commentary this year)
    Lens.PURPOSE: (3, 3, "Clear purpose, shared by every trust's science leads."),
    Lens.CULTURE: (3, 4, "Open practice: leaders share resources across trusts unprompted."),
    Lens.STAKEHOLDERS: (2, 3, "Trust CEOs now see their dashboards; hub leads meet termly."),
    Lens.EQUITY: (2, 3, "Rural and coastal academies are better reached after the online series."),
    Lens.CAPACITY: (3, 3, "Hub leads have deputies; succession for two hubs still to plan."),
    Lens.SUSTAINABILITY: (2, 2, "Impact evidence is thin beyond attendance; surveys to follow."),
}
KPIS = {Lens.EQUITY: [Measure.NEVER_ENGAGED], Lens.SUSTAINABILITY: [Measure.MEMBERSHIP_GROWTH]}


@dataclass
class ImpactSeeder:
    network: object
    today: object
    coordinator: object
    created: dict = field(default_factory=dict)

    def write(self) -> "ImpactSeeder":
        this = periods.current(periods.MEMBERSHIP, self.today)
        last = periods.previous(this)
        for label in (last.label, this.label):
            self._objectives(label)
        self._review(last.label, 0, "Our first six-lens review: strong purpose, equity and sustainability to build.")
        self._review(this.label, 1, "Better reach across community types; evidence of impact is the next step.")
        return self

    def _count(self, what: str, n: int = 1) -> None:
        if n:
            self.created[what] = self.created.get(what, 0) + n

    def _objectives(self, label: str) -> None:
        have = set(Objective.objects.filter(network=self.network, year_label=label).values_list("measure", flat=True))
        new = [
            Objective(
                network=self.network,
                year_label=label,
                measure=measure,
                target=Decimal(target),
                min_trusts=trusts,
                note=note,
                set_by=self.coordinator,
            )
            for measure, target, trusts, note in TARGETS
            if measure not in have
        ]
        Objective.objects.bulk_create(new)
        self._count("objectives", len(new))

    def _review(self, label: str, column: int, summary: str) -> None:
        if LensReview.objects.filter(network=self.network, hub__isnull=True, year_label=label).exists():
            return
        review = LensReview.objects.create(
            network=self.network,
            year_label=label,
            summary=summary,
            agreed_actions="Run the online series again in the spring term, coordinators, by April\n"
            "Pilot a follow-up impact survey with two hubs, hub leads, by July",
            created_by=self.coordinator,
        )
        LensRating.objects.bulk_create(
            LensRating(
                review=review,
                lens=lens,
                rating=values[column],
                commentary=values[2] if column else "",
                kpis=KPIS.get(lens, []),
            )
            for lens, values in RATINGS.items()
        )
        # Each lens's evidence: a few of the evidence log's claims (seeded before this).
        claims = list(Claim.objects.filter(academy__trust__networks=self.network).order_by("pk")[:5])
        ratings = {r.lens: r for r in review.ratings.all()}
        ratings[Lens.SUSTAINABILITY].claims.set(claims[:3])
        ratings[Lens.STAKEHOLDERS].claims.set(claims[3:])
        self._count("six-lens reviews")


def counts(network) -> dict[str, int]:
    return {
        "Objectives": Objective.objects.filter(network=network).count(),
        "Six-lens reviews": LensReview.objects.filter(network=network).count(),
    }
