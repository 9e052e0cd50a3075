"""Invitations to join or renew, acceptance (barred by an inspection the review did not see), and
lapsing of invitations nobody accepted."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from network.base.models import User
from network.base.rules import has
from network.programme.membership import eligibility
from network.programme.membership.models import Membership, MembershipYear, ReviewProposal
from network.programme.membership.policy import policy_for
from network.programme.membership.services.invoices import fee_line_add
from network.programme.membership.services.letters import send_letter
from trusts.models import Academy, Inspection

# An invitation for a year not accepted this many days after the year began lapses.
INVITATION_GRACE_DAYS = 30


@transaction.atomic
def membership_invite(*, year: MembershipYear, academies: Iterable[Academy], by: User) -> list[Membership]:
    """Invite academies to the year (the coordinator picks them from the list of those
    that meet the criteria by data). An academy that already has a membership for the
    year is left as it is. Each invited academy gets one invitation email; it accepts in
    one step."""
    invited = []
    existing = set(Membership.objects.filter(year=year).values_list("academy_id", flat=True))
    now = timezone.now()
    for academy in academies:
        if academy.pk in existing:
            continue
        membership = Membership(
            year=year,
            academy=academy,
            trust=academy.trust,
            status=Membership.Status.INVITED,
            source=Membership.Source.INVITATION,
            invited_at=now,
            invited_by=by,
        )
        membership._history_user = by
        membership.save()
        send_letter(membership=membership, kind="invitation", template="invitation", context={"year": year})
        invited.append(membership)
    return invited


@transaction.atomic
def membership_accept(*, membership: Membership, by: User) -> Membership:
    """The academy accepts an invitation (or renewal invitation) in one step: the
    membership becomes active and the year's fee is recorded for finance. Rules:

    - only an invited membership can be accepted, and not after its year has ended;
    - an academy whose latest inspection makes it ineligible under the network's
      policy on its own (a grade 3 or 4, or a report card with urgent improvement or
      safeguarding not met: `eligibility.barring_inspection`) cannot
      accept by itself, e.g. a renewal invitation confirmed by the review before the
      inspection arrived. The coordinators decide: a coordinator may accept on the
      academy's behalf (recorded as accepted by them), or leave it to lapse;
    - an invitation the coordinators confirmed in the review knowing that inspection
      (they overrode "not eligible" with a reason) is accepted as usual."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("year__network", "academy")
        .get(pk=membership.pk)
    )
    if membership.status != Membership.Status.INVITED:
        raise ValidationError("This membership is not waiting for an answer to an invitation.")
    if membership.year.ends_on < timezone.localdate():
        raise ValidationError("This invitation was for a year that has ended.")
    if not has(by, "network.accept_barred_invitation"):
        barring = _barring_inspection(membership)
        if barring is not None and not _invited_knowing(membership, barring):
            raise ValidationError(
                f"{membership.academy.name} cannot accept this invitation: its latest Ofsted inspection "
                f"({eligibility.describe_barring(barring)}) makes it ineligible under the network's policy. The "
                f"network's coordinators decide whether it joins for {membership.year.label}; please contact them."
            )
    membership.status = Membership.Status.ACTIVE
    membership.accepted_at = timezone.now()
    membership.accepted_by = by
    membership._history_user = by
    membership.save(update_fields=["status", "accepted_at", "accepted_by"])
    fee_line_add(membership=membership, by=by)
    return membership


def _barring_inspection(membership: Membership) -> eligibility.InspectionFact | None:
    """The academy's inspection that makes it ineligible under its network's policy."""
    rules = eligibility.Rules.from_policy(policy_for(membership.year.network))
    facts = [
        eligibility.inspection_fact(i)
        for i in Inspection.objects.filter(academy_id=membership.academy_id).only(*eligibility.INSPECTION_FIELDS)
    ]
    return eligibility.barring_inspection(rules, facts)


def _invited_knowing(membership: Membership, inspection: eligibility.InspectionFact) -> bool:
    """Whether the coordinators confirmed this invitation in a review that had seen
    `inspection` (or a later one): then the invitation is their decision, taken
    knowing it."""
    evidences = ReviewProposal.objects.filter(next_membership=membership, confirmed_at__isnull=False).values_list(
        "evidence", flat=True
    )
    return any(eligibility.review_saw(evidence, inspection) for evidence in evidences)


@transaction.atomic
def memberships_lapse(*, today: datetime.date | None = None) -> int:
    """Invitations not accepted within INVITATION_GRACE_DAYS lapse: counted from when the
    invitation was sent, or from the start of its year if it was sent before then (so an
    invitation sent mid-year gets its full grace). Safe to run twice."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=INVITATION_GRACE_DAYS)
    cutoff_at = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    stale = Membership.objects.filter(status=Membership.Status.INVITED, year__starts_on__lt=cutoff).filter(
        Q(invited_at__isnull=True) | Q(invited_at__lt=cutoff_at)
    )
    n = 0
    for membership in stale.select_for_update():
        membership.status = Membership.Status.LAPSED
        membership.save(update_fields=["status"])
        n += 1
    return n
