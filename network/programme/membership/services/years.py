"""Membership years: built from the network's policy, opened once per network and label."""

from network.programme.membership.models import MembershipPolicy, MembershipYear, year_start
from network.programme.membership.policy import policy_for
from network.programme.models import Network


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
