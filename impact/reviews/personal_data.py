"""What the six-lens review holds about a person: the comments they wrote (the review
itself is the network's). Export lists them; erasure keeps the comment (the steering
group's record) but the author's account is anonymised by the platform."""

from django.utils import timezone

from impact.reviews.models import ReviewComment
from network.base.personal_data import Section


def _comments(user, person) -> list[dict]:
    if user is None:
        return []
    comments = ReviewComment.objects.filter(author=user).select_related("review__network", "review__hub")
    return [
        {"review": str(c.review), "written_at": timezone.localtime(c.created_at), "comment": c.body}
        for c in comments.order_by("created_at")
    ]


SECTIONS = [
    Section(
        key="six_lens_review_comments",
        order=89,
        title="Your comments on the network's six-lens review",
        rows=_comments,
        links=("impact.ReviewComment.author",),
    ),
]
