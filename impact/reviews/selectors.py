"""Reads of the six-lens review, through the access door (coordinators and the
steering group; nobody else sees a review). A fixed number of queries per page."""

from django.db.models import Count, Prefetch, Q

from impact.dashboards.kpis import kpis
from impact.dashboards.tables import Chart, Column, Table
from impact.evidence.models import Claim
from impact.reviews import evidence
from impact.reviews.models import Lens, LensRating, LensReview, ReviewComment
from network.base import access

YEARS_COMPARED = 4


def reviews_for(user, network):
    return (
        access.scoped(user, LensReview)
        .filter(network=network)
        .select_related("hub", "created_by")
        .annotate(
            rated=Count("ratings", filter=Q(ratings__rating__isnull=False), distinct=True),
            comment_count=Count("comments", distinct=True),
        )
        .order_by("-year_label", "hub__name")
    )


def review_detail(user, pk: int) -> dict:
    """One review with its ratings and comments, the KPIs of its year, its evidence
    items (once the evidence log exists) and the year-on-year comparison of ratings
    (the radar chart and its table)."""
    review = access.get_scoped_or_404(
        user,
        access.scoped(user, LensReview)
        .select_related("network", "hub", "created_by")
        .prefetch_related(
            Prefetch("ratings", queryset=access.scoped(user, LensRating).order_by("pk")),
            Prefetch("comments", queryset=access.scoped(user, ReviewComment).select_related("author")),
        ),
        pk=pk,
    )
    order = {lens: i for i, lens in enumerate(Lens.values)}
    ratings = sorted(review.ratings.all(), key=lambda r: order[r.lens])
    year_kpis = {k.measure: k for k in kpis(review.network, review.year_label)}
    items = evidence.evidence_items(user, review)
    for rating in ratings:
        rating.kpi_figures = [year_kpis[m] for m in rating.kpis if m in year_kpis]
        rating.linked = items.get(rating.lens, {"claims": [], "hidden": 0})
    return {
        "review": review,
        "ratings": ratings,
        "comments": list(review.comments.all()),
        "evidence_items": items,
        "comparison": comparison(user, review),
    }


def claims_to_rest_on(user, review: LensReview):
    """Claims of the evidence log a rating of `review` may rest on: those the user may
    see, at academies of the review's network (of its hub, for a hub's review)."""
    claims = access.scoped(user, Claim).filter(academy__trust__networks=review.network)
    if review.hub_id:
        claims = claims.filter(academy__hubs=review.hub_id)
    return claims.select_related("academy").order_by("academy__name", "statement", "pk").distinct()


def comparison(user, review: LensReview) -> tuple[Table, Chart]:
    """Ratings of the same network (or hub) over the last few years, lens by lens: a
    radar chart, with the same numbers as a table. One query."""
    same = access.scoped(user, LensRating).filter(
        review__network_id=review.network_id, review__hub_id=review.hub_id, review__year_label__lte=review.year_label
    )
    ratings = list(same.values_list("review__year_label", "lens", "rating"))
    years = sorted({label for label, _lens, _rating in ratings})[-YEARS_COMPARED:]
    by_year = {(label, lens): rating for label, lens, rating in ratings}
    table = Table(
        key="lens-ratings",
        title=f"Ratings year on year: {review.subject}",
        columns=[Column("lens", "Lens", numeric=False), *[Column(y, y) for y in years]],
        rows=[[label, *[by_year.get((y, lens)) for y in years]] for lens, label in Lens.choices],
        note="1 emerging, 2 developing, 3 established, 4 leading; a gap is a lens not rated that year.",
    )
    chart = Chart(
        key="lens-ratings",
        title=table.title,
        table=table,
        label_column="lens",
        series=[(y, y) for y in years],
        kind="radar",
        description="Radar chart: the rating of each of the six lenses, one line per year.",
        options={"max": 4},
    )
    return table, chart
