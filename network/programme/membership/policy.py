"""The network's membership policy, and the years it opens to applications (reads)."""

import datetime

from django.utils import timezone

from network.programme.membership.models import MembershipPolicy, year_label, year_start
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
