"""The grants' emails, through the outbox, once each (keys name the bid and the kind)."""

from django.conf import settings
from django.urls import reverse

from network.base import outbox


def portal_url(name: str, *args) -> str:
    return settings.PORTAL_BASE_URL + reverse(name, args=args)


def bid_key(bid, kind: str) -> str:
    return f"grant-bid:{bid.pk}:{kind}"


def email_bid_lead(bid, kind: str, template: str, **context):
    return outbox.enqueue(
        key=bid_key(bid, kind),
        to=bid.lead.email,
        template=f"network/grants/email/{template}",
        context={"bid": bid, "round": bid.round, "bid_url": portal_url("network:grant_bid_detail", bid.pk), **context},
    )
