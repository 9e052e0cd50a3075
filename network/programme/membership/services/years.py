"""Membership policy and years: which policy applies, which years are open to apply for."""

import datetime

from django.utils import timezone

from network.programme.membership.models import (
    MembershipPolicy,
    MembershipYear,
    year_label,
    year_start,
)
from network.programme.models import Network


def policy_for(network: Network) -> MembershipPolicy:
    """The network's policy; the Leading Edge defaults until a coordinator changes them."""
    policy, _ = MembershipPolicy.objects.get_or_create(network=network)
    return policy


def policy_or_default(network: Network) -> MembershipPolicy:
    """The network's policy for reading only: the defaults (unsaved) if it has none yet."""
    return MembershipPolicy.objects.filter(network=network).first() or MembershipPolicy(network=network)


def application_year_labels(policy: MembershipPolicy, today: datetime.date | None = None) -> tuple[str, str]:
    """The years an academy may apply for under `policy`: this membership year and
    the next (e.g. ("2025-26", "2026-27")), by today's date."""
    label, _starts_on, _ends_on = policy.year_containing(today or timezone.localdate())
    return label, year_label(year_start(label) + 1)


def membership_year_build(*, network: Network, label: str, policy: MembershipPolicy | None = None) -> MembershipYear:
    """An unsaved year with dates and fee from the policy (for dry runs)."""
    policy = policy or policy_for(network)
    label, starts_on, ends_on = policy.year_from_start(year_start(label))
    return MembershipYear(
        network=network,
        label=label,
        starts_on=starts_on,
        ends_on=ends_on,
        review_on=policy.review_date(starts_on),
        fee_net=policy.fee_net,
        vat_rate=policy.vat_rate,
    )


def membership_year_get_or_create(*, network: Network, label: str) -> MembershipYear:
    """The network's year `label` ("2025-26"), created from the policy the first time.
    Safe when two workers create it at once (the unique key decides)."""
    existing = MembershipYear.objects.filter(network=network, label=label).first()
    if existing:
        return existing
    built = membership_year_build(network=network, label=label)
    year, _ = MembershipYear.objects.get_or_create(
        network=network,
        label=built.label,
        defaults={
            "starts_on": built.starts_on,
            "ends_on": built.ends_on,
            "review_on": built.review_on,
            "fee_net": built.fee_net,
            "vat_rate": built.vat_rate,
        },
    )
    return year
