"""The review panel: a coordinator assigns reviewers (never from the bid's own trust:
refused here, and the access door hides such a review too), reviewers score each
criterion from 0 to 5 with a comment."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from network.base import outbox
from network.base.models import User
from network.base.rules import ensure
from network.programme.grants.models import SCORE_MAX, GrantBid, GrantReview
from network.programme.grants.policy import weighted_score
from network.programme.grants.services.letters import portal_url


@transaction.atomic
def review_assign(*, bid: GrantBid, reviewer: User, by: User) -> GrantReview:
    """Put a reviewer on a submitted bid, and tell them (once). Assigning the same
    reviewer twice returns the first assignment."""
    ensure(by, "network.run_grants")
    if bid.status != GrantBid.Status.SUBMITTED:
        raise ValidationError("Reviewers can only be assigned to a submitted bid that is not yet decided.")
    ensure(
        reviewer,
        "network.review_bid",
        bid,
        f"{reviewer} cannot review this bid: a reviewer is never from the bidding academy's trust "
        "(conflict of interest), nor its lead.",
    )
    review, created = GrantReview.objects.get_or_create(bid=bid, reviewer=reviewer, defaults={"assigned_by": by})
    if created:
        outbox.enqueue(
            key=f"grant-review:{review.pk}:assigned",
            to=reviewer.email,
            template="network/grants/email/review_assigned",
            context={"review": review, "bid": bid, "link": portal_url("network:grant_review", review.pk)},
        )
    return review


@transaction.atomic
def review_submit(*, review: GrantReview, scores: dict, comment: str, by: User) -> GrantReview:
    """Score every criterion (0-5) and comment. A reviewer may revise their review until
    the bid is decided. The conflict-of-interest rule is asked again: a reviewer whose
    trust changed since assignment may not score."""
    review = GrantReview.objects.select_for_update().select_related("bid__academy", "bid__round").get(pk=review.pk)
    ensure(by, "network.score_review", review, "This review is not yours, or the bid has been decided.")
    ensure(by, "network.review_bid", review.bid, "You cannot review a bid from your own trust.")
    criteria = list(review.bid.round.criteria.all())
    clean = {}
    errors = []
    for criterion in criteria:
        value = scores.get(str(criterion.pk), scores.get(criterion.pk))
        try:
            value = int(value)
        except (TypeError, ValueError):
            errors.append(f"Please score “{criterion.name}”.")
            continue
        if not 0 <= value <= SCORE_MAX:
            errors.append(f"“{criterion.name}”: a score is from 0 to {SCORE_MAX}.")
            continue
        clean[str(criterion.pk)] = value
    if not comment.strip():
        errors.append("Please add a comment the panel can read.")
    if errors:
        raise ValidationError(errors)
    review.scores = clean
    review.weighted_score = weighted_score(criteria, clean)
    review.comment = comment.strip()
    review.submitted_at = timezone.now()
    review.save(update_fields=["scores", "weighted_score", "comment", "submitted_at"])
    return review
