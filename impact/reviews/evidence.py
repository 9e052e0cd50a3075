"""The evidence a six-lens rating rests on: the claimed changes of the evidence log
linked to each lens (`LensRating.claims`), each with its confidence from the kinds of
evidence behind it (`impact.evidence.confidence`), as the reader may see them."""

from collections import defaultdict

from django.db.models import Prefetch

from impact.evidence.confidence import confidence
from impact.evidence.models import Claim, EvidenceItem
from impact.reviews.models import LensRating
from network.base import access


def evidence_items(user, review) -> dict:
    """{lens: {"claims": [claim with .confidence], "hidden": n}} for `review`: the linked
    claims `user` may see (through the access door), and how many others are linked
    (a steering-group member from one trust does not see another trust's academy).
    Three queries."""
    links = list(
        LensRating.claims.through.objects.filter(lensrating__review=review).values_list("lensrating__lens", "claim_id")
    )
    visible = {
        claim.pk: claim
        for claim in access.scoped(user, Claim)
        .filter(pk__in=[claim_id for _lens, claim_id in links])
        .select_related("academy")
        .prefetch_related(Prefetch("items", queryset=EvidenceItem.objects.only("claim_id", "source_type")))
    }
    for claim in visible.values():
        claim.confidence = confidence(item.source_type for item in claim.items.all())
    found: dict = defaultdict(lambda: {"claims": [], "hidden": 0})
    for lens, claim_id in links:
        if claim_id in visible:
            found[lens]["claims"].append(visible[claim_id])
        else:
            found[lens]["hidden"] += 1
    for entry in found.values():
        entry["claims"].sort(key=lambda c: (c.academy.name, c.statement))
    return dict(found)
