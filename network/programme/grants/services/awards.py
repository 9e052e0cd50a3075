"""Decisions: the coordinator awards within the round's budget, or declines. Awards lock
the round's row first, so two coordinators awarding at the same moment cannot together
overspend (the second waits, then sees the first award in the total). Letters go
through the outbox, once each."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from network.base.models import User
from network.base.rules import ensure
from network.programme.grants.models import GrantBid, GrantRound
from network.programme.grants.policy import MIN_REVIEWS, money
from network.programme.grants.services.letters import email_bid_lead


def awarded_total(grant_round: GrantRound) -> Decimal:
    return GrantBid.objects.filter(round=grant_round, status=GrantBid.Status.AWARDED).aggregate(
        total=Sum("amount_awarded")
    )["total"] or Decimal("0")


def _decidable(bid_id: int) -> GrantBid:
    bid = GrantBid.objects.select_for_update().select_related("round", "academy", "lead").get(pk=bid_id)
    if bid.status != GrantBid.Status.SUBMITTED:
        raise ValidationError(f"This bid is {bid.get_status_display().lower()}: only a submitted bid can be decided.")
    return bid


@transaction.atomic
def bid_award(*, bid: GrantBid, by: User, amount: Decimal | None = None, note: str = "") -> GrantBid:
    """Award a submitted, endorsed bid with at least two reviews, for at most what it
    asked (default: all of it), if the round's budget still covers it."""
    ensure(by, "network.run_grants")
    # The round's row lock serialises every award in the round (see the module's docstring).
    grant_round = GrantRound.objects.select_for_update().get(pk=bid.round_id)
    bid = _decidable(bid.pk)
    if not bid.is_endorsed:
        raise ValidationError("The academy's headteacher has not endorsed this bid yet.")
    reviews = bid.reviews.filter(submitted_at__isnull=False).count()
    if reviews < MIN_REVIEWS:
        raise ValidationError(
            f"Every bid needs at least {MIN_REVIEWS} reviews before a decision; this one has {reviews}."
        )
    amount = bid.amount_requested if amount is None else Decimal(amount)
    if amount <= 0 or amount > bid.amount_requested:
        raise ValidationError(
            f"The award must be more than £0 and at most the {money(bid.amount_requested)} asked for."
        )
    left = grant_round.budget - awarded_total(grant_round)
    if amount > left:
        raise ValidationError(
            f"Awarding {money(amount)} would overspend {grant_round.name}: {money(left)} of its "
            f"{money(grant_round.budget)} budget is left."
        )
    bid.status = GrantBid.Status.AWARDED
    bid.amount_awarded = amount
    bid.decided_at = timezone.now()
    bid.decided_by = by
    bid.decision_note = note.strip()
    bid.save(update_fields=["status", "amount_awarded", "decided_at", "decided_by", "decision_note", "updated_at"])
    email_bid_lead(bid, "award-letter", "award_letter")
    return bid


@transaction.atomic
def bid_decline(*, bid: GrantBid, by: User, note: str) -> GrantBid:
    """Not funded, with a note the academy reads in its letter."""
    ensure(by, "network.run_grants")
    if not note.strip():
        raise ValidationError({"note": "Please say why, for the academy's letter."})
    bid = _decidable(bid.pk)
    bid.status = GrantBid.Status.NOT_FUNDED
    bid.decided_at = timezone.now()
    bid.decided_by = by
    bid.decision_note = note.strip()
    bid.save(update_fields=["status", "decided_at", "decided_by", "decision_note", "updated_at"])
    email_bid_lead(bid, "decision-letter", "not_funded_letter")
    return bid
