"""The grants finance CSV: one row per awarded bid (the year's grant payments). It sits
beside the membership invoice lines CSV rather than in it: invoice lines are money the
network charges academies (with VAT), grants are money it pays them (no VAT), and
finance books them to different ledgers."""

from django.utils import timezone

HEADER = ["Award date", "Network", "Round", "Academy", "URN", "Trust", "Project", "Lead", "Amount (£)"]


def finance_rows(bids):
    for bid in bids:
        yield [
            timezone.localtime(bid.decided_at).strftime("%d/%m/%Y"),
            bid.round.network.name,
            bid.round.name,
            bid.academy.name,
            bid.academy.urn,
            bid.academy.trust.name if bid.academy.trust_id else "",
            bid.title,
            bid.lead.full_name,
            f"{bid.amount_awarded:.2f}",
        ]
