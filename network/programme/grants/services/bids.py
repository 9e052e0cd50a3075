"""Bids: drafts saved as often as the leader likes, submission before the close date
(budget lines must add up), and the head's endorsement by a signed link."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from network.base import access, outbox
from network.base.models import User
from network.base.rules import ensure
from network.programme.grants.models import GrantBid, GrantBudgetLine, GrantRound
from network.programme.grants.policy import eligible_academy_ids, money
from network.programme.grants.services.letters import portal_url
from trusts.models import Academy, JobRole, Person

ENDORSEMENT_SALT = "grants.bid-endorsement"
ENDORSEMENT_MAX_AGE = 60 * 60 * 24 * 60  # seconds: two months, longer than any round is open


def _refuse_if_closed(grant_round: GrantRound, today: datetime.date) -> None:
    if today > grant_round.closes_on:
        raise ValidationError(
            f"{grant_round.name} closed on {grant_round.closes_on:%d/%m/%Y}: bids are no longer accepted."
        )
    if today < grant_round.opens_on:
        raise ValidationError(f"{grant_round.name} opens on {grant_round.opens_on:%d/%m/%Y}.")


@transaction.atomic
def bid_save(
    *,
    grant_round: GrantRound,
    by: User,
    bid: GrantBid | None = None,
    title: str,
    aims: str = "",
    intended_impact: str = "",
    measurement: str = "",
    amount_requested: Decimal = Decimal("0"),
    lines: Iterable[tuple[str, Decimal]] = (),
    today: datetime.date | None = None,
) -> GrantBid:
    """Save a draft (new, or one the leader's academy is working on). Drafts may be
    incomplete; the round must be open and the academy a current member. Several bids
    per academy are allowed. The budget lines are replaced by those given."""
    today = today or timezone.localdate()
    if bid is None:
        ensure(by, "network.bid_for_grants")
        academy = Academy.objects.select_related("trust").get(pk=access.leader_academy_id(by))
        if academy.pk not in eligible_academy_ids(grant_round, today):
            raise ValidationError(
                f"{academy.name} is not a member of {grant_round.network.name} this year, so it cannot bid."
            )
        bid = GrantBid(round=grant_round, academy=academy, trust=academy.trust, lead_id=by.person_id, created_by=by)
    else:
        ensure(by, "network.edit_bid", bid, "Only a draft can be changed, by the bidding academy's leaders.")
    _refuse_if_closed(grant_round, today)
    bid.title = title.strip()
    bid.aims = aims.strip()
    bid.intended_impact = intended_impact.strip()
    bid.measurement = measurement.strip()
    bid.amount_requested = amount_requested or Decimal("0")
    bid.full_clean(exclude=["lead"])
    bid.save()
    bid.budget_lines.all().delete()
    GrantBudgetLine.objects.bulk_create(
        [GrantBudgetLine(bid=bid, description=d.strip(), amount=a) for d, a in lines if d.strip() and a]
    )
    return bid


def _check_complete(bid: GrantBid) -> None:
    errors = {}
    for field, label in (
        ("aims", "the project's aims"),
        ("intended_impact", "the intended impact"),
        ("measurement", "how and when the impact will be measured"),
    ):
        if not getattr(bid, field):
            errors[field] = f"Please describe {label} before submitting."
    lines_total = sum((line.amount for line in bid.budget_lines.all()), Decimal("0"))
    if not bid.budget_lines.exists():
        errors["amount_requested"] = "Please add the budget lines the grant would pay for."
    elif lines_total != bid.amount_requested:
        errors["amount_requested"] = (
            f"The budget lines add up to {money(lines_total)}, not the {money(bid.amount_requested)} requested: "
            "please make them agree."
        )
    if bid.amount_requested > bid.round.max_per_bid:
        errors["amount_requested"] = f"A bid may ask for at most {money(bid.round.max_per_bid)}."
    if errors:
        raise ValidationError(errors)


def heads_of(academy: Academy):
    """Who endorses an academy's bids: its headteacher(s)."""
    return Person.objects.filter(academy=academy, job_role=JobRole.HEADTEACHER).order_by("pk")


@transaction.atomic
def bid_submit(*, bid: GrantBid, by: User, today: datetime.date | None = None) -> GrantBid:
    """Submit a draft: refused after the close date (with the date), if incomplete, if
    the budget lines do not add up to the amount, or over the round's maximum. The
    academy's headteacher is sent a signed link to endorse it (once)."""
    today = today or timezone.localdate()
    bid = GrantBid.objects.select_for_update().select_related("round__network", "academy", "lead").get(pk=bid.pk)
    ensure(by, "network.edit_bid", bid, "This bid has already been submitted.")
    _refuse_if_closed(bid.round, today)
    _check_complete(bid)
    heads = list(heads_of(bid.academy))
    if not heads:
        raise ValidationError(
            f"No headteacher is recorded for {bid.academy.name}, so nobody can endorse the bid. "
            "Please ask the network coordinators to add them."
        )
    bid.status = GrantBid.Status.SUBMITTED
    bid.submitted_at = timezone.now()
    bid.save(update_fields=["status", "submitted_at", "updated_at"])
    for head in heads:
        outbox.enqueue(
            key=f"grant-bid:{bid.pk}:endorsement-request:{head.pk}",
            to=head.email,
            template="network/grants/email/endorsement_request",
            context={
                "bid": bid,
                "head": head,
                "link": portal_url("network:grant_endorse", endorsement_token(bid, head)),
            },
        )
    return bid


def endorsement_token(bid: GrantBid, head: Person) -> str:
    return signing.dumps({"b": bid.pk, "p": head.pk}, salt=ENDORSEMENT_SALT, compress=True)


def endorsement_from_token(token: str) -> tuple[GrantBid, Person] | None:
    """The bid and head a signed link names, or None if forged, old, or the person is
    no longer a headteacher of the bidding academy."""
    try:
        data = signing.loads(token, salt=ENDORSEMENT_SALT, max_age=ENDORSEMENT_MAX_AGE)
    except signing.BadSignature:
        return None
    bid = GrantBid.objects.select_related("round", "academy", "lead").filter(pk=data.get("b")).first()
    if bid is None:
        return None
    head = heads_of(bid.academy).filter(pk=data.get("p")).first()
    return (bid, head) if head else None


@transaction.atomic
def bid_endorse(*, bid: GrantBid, head: Person) -> GrantBid:
    """The head endorses a submitted bid (the signed link is the credential). Endorsing
    twice changes nothing."""
    bid = GrantBid.objects.select_for_update().get(pk=bid.pk)
    if bid.status == GrantBid.Status.DRAFT:
        raise ValidationError("This bid has not been submitted yet.")
    if bid.endorsed_at is None:
        bid.endorsed_by = head
        bid.endorsed_at = timezone.now()
        bid.save(update_fields=["endorsed_by", "endorsed_at", "updated_at"])
    return bid
