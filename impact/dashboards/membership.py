"""Each academy's membership in a year, as a dashboard states it: renewing, at risk,
not eligible (the year's confirmed review said so), or not a member."""

from django.db.models import Case, F, When

from network.programme.membership.models import Membership, Outcome, ReviewProposal

RENEWING = "Member, renewing"
MEMBER = "Member"
AT_RISK = "Member, at risk"
NOT_ELIGIBLE = "Member, not eligible next year"
NOT_MEMBER = "Not a member"
CATEGORIES = (RENEWING, MEMBER, AT_RISK, NOT_ELIGIBLE, NOT_MEMBER)


def statuses(network, label: str, academy_ids) -> dict[int, str]:
    """{academy id: status} for the membership year `label` of `network`, in two queries.
    An academy without a membership row that year is "Not a member"; an invitation or
    application still open says so."""
    memberships = Membership.objects.filter(
        year__network=network, year__label=label, academy_id__in=academy_ids
    ).values_list("academy_id", "status", "at_risk")
    final = Case(When(override_outcome="", then=F("outcome")), default=F("override_outcome"))
    outcomes = dict(
        ReviewProposal.objects.filter(
            run__year__network=network, run__year__label=label, academy_id__in=academy_ids, confirmed_at__isnull=False
        )
        .annotate(final=final)
        .values_list("academy_id", "final")
    )
    labels = dict(Membership.Status.choices)
    result = {}
    for academy_id, status, at_risk in memberships:
        outcome = outcomes.get(academy_id)
        if status == Membership.Status.ACTIVE:
            if outcome == Outcome.NOT_ELIGIBLE:
                result[academy_id] = NOT_ELIGIBLE
            elif at_risk or outcome == Outcome.AT_RISK:
                result[academy_id] = AT_RISK
            elif outcome == Outcome.RENEW:
                result[academy_id] = RENEWING
            else:
                result[academy_id] = MEMBER
        else:
            result[academy_id] = labels.get(status, status)
    return result


def counts(status_by_academy: dict[int, str], academy_ids) -> dict[str, int]:
    """How many academies in each of the tile's categories (members whose status is
    something else, e.g. invited, count as not members)."""
    tally = dict.fromkeys(CATEGORIES, 0)
    for academy_id in academy_ids:
        status = status_by_academy.get(academy_id, NOT_MEMBER)
        tally[status if status in tally else NOT_MEMBER] += 1
    return tally
