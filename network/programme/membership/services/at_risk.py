"""The mid-year "at risk" flag: a grade 3 or 4 inspection marks a membership; nobody is removed mid-year."""

import datetime

from django.db import transaction
from django.utils import timezone

from network.base.models import User
from network.programme.membership import eligibility
from network.programme.membership.models import Membership
from network.programme.membership.services.applications import PENDING_STATUSES
from network.programme.membership.services.letters import coordinators, membership_link, notify_users
from trusts.models import Inspection


def membership_flag_after_inspection(
    *, inspection: Inspection, by: User | None = None, today: datetime.date | None = None
) -> list[Membership]:
    """An inspection that makes a school ineligible under the policy on its own (a grade
    3 or 4, or a report card with urgent improvement in an area or safeguarding not
    met: `eligibility.bars`):

    - a current member's active membership is marked "at risk". Nobody is removed
      mid-year: it stays active until its year ends (31 March by default), and the
      annual review then proposes "not eligible";
    - memberships not yet decided (invited, applied, under review), typically next
      year's renewal invitation confirmed by a review that ran before the inspection
      arrived, are marked "at risk" with the reason. The academy cannot accept such an
      invitation itself (`membership_accept`); the coordinators decide;
    - the coordinators get one email per inspection naming every membership flagged.

    Only the academy's latest inspection counts (an old file re-imported does not flag
    anyone), and only memberships whose year has not ended. Safe to call twice for the
    same inspection."""
    if not eligibility.bars(eligibility.inspection_fact(inspection)):
        return []  # most inspections: decided without a query (an import announces thousands)
    return _flag_after_barring_inspection(inspection=inspection, by=by, today=today)


@transaction.atomic
def _flag_after_barring_inspection(
    *, inspection: Inspection, by: User | None, today: datetime.date | None
) -> list[Membership]:
    newer = Inspection.objects.filter(academy_id=inspection.academy_id, inspection_date__gt=inspection.inspection_date)
    if newer.exists():
        return []
    today = today or timezone.localdate()
    memberships = list(
        Membership.objects.select_for_update(of=("self",))
        .select_related("year__network", "academy")
        .filter(
            academy_id=inspection.academy_id,
            status__in=(Membership.Status.ACTIVE, *PENDING_STATUSES),
            year__ends_on__gte=max(today, inspection.inspection_date),
        )
        .order_by("year__starts_on", "pk")
    )
    if not memberships:
        return []
    judgement = f"{eligibility.describe_barring(eligibility.inspection_fact(inspection))}."
    reasons = {
        Membership.Status.ACTIVE: (
            f"{judgement} The membership runs to the end of the year; the school is not eligible to renew."
        ),
        Membership.Status.INVITED: (
            f"{judgement} The school is not eligible under the network's policy, so it cannot accept this invitation "
            "itself; the network's coordinators decide."
        ),
    }
    pending_reason = (
        f"{judgement} The school is not eligible under the network's policy; whoever decides the application "
        "should take this into account."
    )
    for membership in memberships:
        reason = reasons.get(membership.status, pending_reason)
        if not (membership.at_risk and membership.at_risk_reason == reason):
            membership.at_risk = True
            membership.at_risk_since = max(inspection.inspection_date, membership.year.starts_on)
            membership.at_risk_reason = reason
            membership._history_user = by
            membership.save(update_fields=["at_risk", "at_risk_since", "at_risk_reason"])
    academy = memberships[0].academy
    notify_users(
        users=coordinators(),
        key=f"inspection:{inspection.pk}:at-risk",
        template="at_risk",
        context={
            "academy": academy,
            "memberships": memberships,
            "inspection": inspection,
            "judgement": judgement,
            "link": membership_link(memberships[0]),
        },
    )
    return memberships
