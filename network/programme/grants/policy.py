"""Reads the grant services and selectors share: who may bid in a round, and the
collation of the panel's scores. No writes here."""

import datetime
from decimal import Decimal

from network.programme.membership.models import Membership

MIN_REVIEWS = 2  # every bid gets at least two reviews before it is decided


def eligible_academy_ids(grant_round, day: datetime.date) -> set[int]:
    """Academies with an active membership of the round's network in the membership
    year that includes `day` (the current members, as the round's rules say)."""
    return set(
        Membership.objects.filter(
            year__network_id=grant_round.network_id,
            year__starts_on__lte=day,
            year__ends_on__gte=day,
            status=Membership.Status.ACTIVE,
        ).values_list("academy_id", flat=True)
    )


def weighted_score(criteria, scores: dict) -> Decimal:
    """Scores (0-5 per criterion) weighted and put out of 100, to one decimal place."""
    total_weight = sum(c.weight for c in criteria)
    if not total_weight:
        return Decimal("0.0")
    points = sum(Decimal(scores[str(c.pk)]) * c.weight for c in criteria)
    return (points * 100 / (5 * total_weight)).quantize(Decimal("0.1"))


def money(amount) -> str:
    return f"£{Decimal(amount):,.2f}"
