"""Writes for trusts and academies. History is kept: trust moves as dated rows, other
changes through django-simple-history with who made them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trusts.models import Academy, AcademyTrustMembership, SupportTier, Trust


@transaction.atomic
def academy_move_trust(*, academy: Academy, trust: Trust | None, on: datetime.date, by=None) -> bool:
    """Record that `academy` belongs to `trust` from `on`. Closes the open membership the
    day before and opens a new one; does nothing if the academy is already there. A move
    on the day the current membership began replaces it (a correction); a move dated
    before it is refused (ValidationError), so no two trusts ever own the same day.
    `trust=None` records that it left its trust (e.g. it closed or converted)."""
    current = AcademyTrustMembership.objects.select_for_update().filter(academy=academy, left_on__isnull=True).first()
    if current and trust and current.trust_id == trust.pk:
        if academy.trust_id != trust.pk:  # repair a drifted denormalised column
            academy.trust = trust
            academy.save(update_fields=["trust"])
        return False
    if current is None and trust is None and academy.trust_id is None:
        return False
    if current and on < current.joined_on:
        # History is written forwards: a move dated before the current membership began
        # would make two trusts own the same days.
        raise ValidationError(
            f"{academy.name} joined {current.trust} on {current.joined_on:%d/%m/%Y}; a move must be dated on or after that."
        )
    if current and on == current.joined_on:
        # Corrected on the day it was recorded: the academy was never in the old trust.
        if trust:
            current.trust = trust
            current.save(update_fields=["trust"])
        else:
            current.delete()
    else:
        if current:
            current.left_on = on - datetime.timedelta(days=1)
            current.save(update_fields=["left_on"])
        if trust:
            AcademyTrustMembership.objects.create(academy=academy, trust=trust, joined_on=on)
    academy.trust = trust
    academy._history_user = by
    academy.save(update_fields=["trust", "updated_at"])
    return True


def academy_set_support_tier(*, academy: Academy, tier: str, by) -> Academy:
    """Set the support tier (Sustain / Improve / Stabilise & Repair), stamping when and by
    whom; the previous tiers stay in the academy's history."""
    if tier not in SupportTier.values and tier != "":
        raise ValueError(f"Unknown support tier {tier!r}")
    academy.support_tier = tier
    academy.support_tier_set_on = timezone.localdate()
    academy.support_tier_set_by = by
    academy._history_user = by
    academy.save(update_fields=["support_tier", "support_tier_set_on", "support_tier_set_by", "updated_at"])
    return academy


def trust_on(*, academy: Academy, day: datetime.date) -> Trust | None:
    """The trust `academy` belonged to on `day`: participation is credited to it."""
    membership = (
        AcademyTrustMembership.objects.select_related("trust")
        .filter(academy=academy, joined_on__lte=day)
        .exclude(left_on__lt=day)
        .order_by("-joined_on", "-pk")
        .first()
    )
    return membership.trust if membership else None
