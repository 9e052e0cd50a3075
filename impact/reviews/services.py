"""Writes of the six-lens review: open a year's review, rate it, comment on it."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from impact.dashboards import periods
from impact.dashboards.models import Measure
from impact.evidence.models import Claim
from impact.reviews.models import Lens, LensRating, LensReview, ReviewComment
from network.base.rules import ensure


@transaction.atomic
def lens_review_create(*, network, year_label: str, hub=None, by) -> LensReview:
    """Open the six-lens review of `network` (or of one of its hubs) for a membership
    year, with an empty rating for each lens. Coordinators only; one review per
    network (or hub) per year."""
    ensure(by, "impact.edit_lens_review")
    try:
        periods.year_for(periods.MEMBERSHIP, year_label)
    except ValueError as error:
        raise ValidationError({"year_label": str(error)}) from None
    if hub is not None and hub.network_id != network.pk:
        raise ValidationError({"hub": "That hub is not part of this network."})
    try:
        with transaction.atomic():
            review = LensReview.objects.create(network=network, hub=hub, year_label=year_label, created_by=by)
    except IntegrityError:
        raise ValidationError(
            {"year_label": f"There is already a review of {hub or network} for {year_label}: open it to edit it."}
        ) from None
    LensRating.objects.bulk_create([LensRating(review=review, lens=lens) for lens in Lens.values])
    return review


@transaction.atomic
def lens_review_update(*, review: LensReview, summary: str, agreed_actions: str, ratings: dict, by) -> LensReview:
    """Save the summary, the agreed actions and each lens's rating (1-4 or empty),
    commentary, evidence and the KPI measures it rests on. `ratings` maps a lens to a
    dict of those fields. Coordinators only."""
    ensure(by, "impact.edit_lens_review", review)
    known = set(Measure.values)
    # order_by(): the default ordering would join the review's hub (an outer join), which
    # PostgreSQL cannot lock.
    rows = {r.lens: r for r in review.ratings.select_for_update().order_by()}
    for lens, values in ratings.items():
        if lens not in Lens.values:
            raise ValidationError(f"'{lens}' is not one of the six lenses.")
        rating = values.get("rating")
        if rating not in (None, "") and int(rating) not in (1, 2, 3, 4):
            raise ValidationError({"rating": "A rating is 1, 2, 3 or 4."})
        row = rows.get(lens) or LensRating(review=review, lens=lens)
        row.rating = int(rating) if rating not in (None, "") else None
        row.commentary = values.get("commentary", "")
        row.evidence = values.get("evidence", "")
        row.kpis = [k for k in values.get("kpis", []) if k in known]
        row.full_clean()
        row.save()
        if "claims" in values:
            row.claims.set(_claims_of_network(review, values["claims"]))
    review.summary = summary
    review.agreed_actions = agreed_actions
    review.save(update_fields=["summary", "agreed_actions", "updated_at"])
    return review


def _claims_of_network(review: LensReview, claims) -> list:
    """The claims a rating may rest on: those at academies of the review's network (the
    form offers only these; a hand-made post naming another network's claim is refused)."""
    ids = [getattr(c, "pk", c) for c in claims]
    allowed = set(
        Claim.objects.filter(pk__in=ids, academy__trust__networks=review.network).values_list("pk", flat=True)
    )
    if set(ids) - allowed:
        raise ValidationError("A claim chosen is not at an academy of this network.")
    return ids


@transaction.atomic
def lens_review_comment(*, review: LensReview, body: str, by) -> ReviewComment:
    """A steering-group member's or coordinator's comment on a review."""
    ensure(by, "impact.comment_on_lens_review", review)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Please write your comment."})
    return ReviewComment.objects.create(review=review, author=by, body=body)
