"""The annual eligibility review: gather each academy's data, apply the policy
(`network.programme.membership.eligibility`), store the outcomes as proposals, and, once a
coordinator confirms them, create next year's memberships and send the letters.

Exactly once: a review is a `ReviewRun` row, unique per (network, year), inserted in
the same transaction as its proposals. Two workers sweeping at once both try to insert
it; the database lets one in and the other finds the row and does nothing. A worker that
was down on the review date runs it on the next sweep, because the sweep asks "is the
review date past and is there no run yet?", not "is it the review date today?".
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from network.base.models import User
from network.base.rules import ensure
from network.programme.membership import eligibility
from network.programme.membership.assessment import PHASES, Proposed, assess_academies  # noqa: F401
from network.programme.membership.eligibility import (
    Assessment,
)
from network.programme.membership.models import (
    Membership,
    MembershipPolicy,
    MembershipYear,
    Outcome,
    ReviewProposal,
    ReviewRun,
)
from network.programme.membership.policy import policy_for
from network.programme.membership.services.applications import application_refer
from network.programme.membership.services.letters import send_letter
from network.programme.membership.services.years import membership_year_build, membership_year_get_or_create
from network.programme.models import Network
from trusts.models import Academy, Person

logger = logging.getLogger(__name__)


# Which academies a network's review considers for invitation, by the network's phase.
def candidates(*, network: Network, year: MembershipYear) -> tuple[list[Membership], list[Academy]]:
    """(this year's active memberships, academies that might be invited): open academies
    of the network's member trusts, of the network's phase, without a membership this
    year that is still in progress or active, and without one for next year already."""
    members = []
    if year.pk:
        members = list(
            Membership.objects.filter(year=year, status=Membership.Status.ACTIVE).select_related(
                "academy__trust", "trust"
            )
        )
    busy = Membership.objects.filter(year__network=network).filter(
        year__label=year.label,
        status__in=[
            Membership.Status.ACTIVE,
            Membership.Status.INVITED,
            Membership.Status.APPLIED,
            Membership.Status.UNDER_REVIEW,
        ],
    ) | Membership.objects.filter(year__network=network, year__label=year.next_label)
    others = Academy.objects.filter(is_open=True, trust__in=network.member_trusts.all()).exclude(
        pk__in=busy.values("academy_id")
    )
    if network.phase in PHASES:
        others = others.filter(phase__in=PHASES[network.phase])
    return members, list(others.select_related("trust").order_by("name"))


def review_assess(*, network: Network, year: MembershipYear, policy: MembershipPolicy | None = None) -> list[Proposed]:
    """The review's outcome for every current member, and "invite" for every other
    academy that meets the criteria. Writes nothing (the dry run prints this)."""
    policy = policy or policy_for(network)
    members, others = candidates(network=network, year=year)
    academies = [m.academy for m in members] + others
    by_academy = {m.academy_id: m for m in members}
    assessments = assess_academies(
        network=network,
        academies=academies,
        label=year.label,
        members=set(by_academy),
        policy=policy,
        memberships=by_academy,
    )
    proposed = [Proposed(academy=m.academy, membership=m, assessment=assessments[m.academy_id]) for m in members]
    proposed += [
        Proposed(academy=a, membership=None, assessment=assessments[a.pk])
        for a in others
        if assessments[a.pk].outcome == eligibility.INVITE
    ]
    return sorted(proposed, key=lambda p: (p.academy.name, p.academy.urn))


def invitable(*, network: Network, label: str) -> list[tuple[Academy, Assessment]]:
    """The coordinator's invitation list for year `label`: open academies of the
    network's member trusts and phase, without a membership that year, that meet the
    criteria by data (including the prerequisite network, if any)."""
    taken = Membership.objects.filter(year__network=network, year__label=label).values("academy_id")
    academies = Academy.objects.filter(is_open=True, trust__in=network.member_trusts.all()).exclude(pk__in=taken)
    if network.phase in PHASES:
        academies = academies.filter(phase__in=PHASES[network.phase])
    academies = list(academies.select_related("trust").order_by("name"))
    assessments = assess_academies(network=network, academies=academies, label=label, members=set())
    return [(a, assessments[a.pk]) for a in academies if assessments[a.pk].eligible is True]


def review_preview(*, network: Network, label: str) -> list[Proposed]:
    """A dry run: the outcomes the review would propose now, writing nothing (not even
    the year, if it does not exist yet)."""
    policy = policy_for(network)
    year = MembershipYear.objects.filter(network=network, label=label).first()
    year = year or membership_year_build(network=network, label=label, policy=policy)
    return review_assess(network=network, year=year, policy=policy)


def review_run(
    *, network: Network, label: str, trigger: str, by: User | None = None, today: datetime.date | None = None
) -> tuple[ReviewRun, bool]:
    """Run the review of `network`'s year `label` once: store a proposal per academy
    with its outcome, reasons and the data used. Returns (run, created); if the review
    already ran, returns that run and changes nothing. Nothing is sent until a
    coordinator confirms the proposals (`review_decide`)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        year = membership_year_get_or_create(network=network, label=label)
        run, created = ReviewRun.objects.get_or_create(
            network=network, year=year, defaults={"trigger": trigger, "started_by": by, "data_as_of": today}
        )
        if not created:
            return run, False
        ReviewProposal.objects.bulk_create(
            ReviewProposal(
                run=run,
                academy=p.academy,
                trust=p.academy.trust,
                membership=p.membership,
                outcome=p.assessment.outcome,
                reasons=list(p.assessment.reasons),
                evidence=p.assessment.evidence,
            )
            for p in review_assess(network=network, year=year)
        )
    return run, True


def review_sweep(*, today: datetime.date | None = None) -> list[ReviewRun]:
    """Run every review that is due: each network whose policy runs automatically,
    whose review date in the current year has come, and which has no run for that year
    yet. Safe to run any number of times, on any number of workers. One network's
    failure is logged and does not stop the others.

    Every network is swept, through `policy_for`: a network without a policy row follows
    the default policy (and gets the row), as it does everywhere else. Creating the row
    when a network is created would miss networks made by fixtures, data migrations or
    bulk_create, and those that already exist."""
    today = today or timezone.localdate()
    started = []
    for network in Network.objects.order_by("pk"):
        # Each network on its own: a failure (bad data, a bug) is logged and rolled back
        # to its savepoint, and the networks after it are still reviewed; the failed one
        # is tried again on the next sweep.
        try:
            with transaction.atomic():
                run = _sweep_network(network=network, today=today)
        except Exception:
            logger.exception("Annual review of %s (network %s) failed; the sweep carries on", network, network.pk)
            continue
        if run is not None:
            started.append(run)
    return started


def _sweep_network(*, network: Network, today: datetime.date) -> ReviewRun | None:
    """Run `network`'s review if it is due; the run if this call created it."""
    policy = policy_for(network)
    if not policy.review_automatically:
        return None
    label, starts_on, _ends_on = policy.year_containing(today)
    if today < policy.review_date(starts_on):
        return None
    if ReviewRun.objects.filter(network=network, year__label=label).exists():
        return None  # the cheap common case; the unique key decides races
    run, created = review_run(network=network, label=label, trigger=ReviewRun.Trigger.SWEEP, today=today)
    return run if created else None


@dataclass(frozen=True)
class ProposalDecision:
    """What a coordinator decided for one proposal: an outcome other than the proposed
    one ("" keeps the proposal) with its reason, and whether to confirm it now."""

    proposal_id: int
    outcome: str = ""
    reason: str = ""
    confirm: bool = False


@dataclass
class DecideResult:
    overridden: int = 0
    confirmed: int = 0
    letters: int = 0
    already_had_next_year: list[str] = field(default_factory=list)


LETTERS = {
    # final outcome → (status of next year's membership, letter kind, template)
    Outcome.RENEW: (Membership.Status.INVITED, "renewal-invitation", "renewal_invitation"),
    Outcome.AT_RISK: (Membership.Status.INVITED, "renewal-invitation", "renewal_invitation"),
    Outcome.INVITE: (Membership.Status.INVITED, "invitation", "invitation"),
    Outcome.NOT_ELIGIBLE: (Membership.Status.NOT_RENEWED, "not-renewed", "not_renewed"),
    Outcome.REFER: (Membership.Status.UNDER_REVIEW, "referred", "referred"),
}


def _decision_errors(decisions: list[ProposalDecision], proposals: dict) -> dict[str, str]:
    """What is wrong with each decision (by proposal id), naming the academy."""
    errors = {}
    for d in decisions:
        proposal = proposals.get(d.proposal_id)
        if proposal is None:
            errors[str(d.proposal_id)] = "This proposal is not part of this review."
            continue
        changed = _override(d, proposal) != proposal.override_outcome
        if d.outcome and d.outcome not in Outcome.values:
            errors[str(d.proposal_id)] = f"{proposal.academy.name}: unknown outcome."
        elif proposal.is_confirmed and changed:
            errors[str(d.proposal_id)] = f"{proposal.academy.name}: already confirmed, it cannot be changed."
        elif d.outcome not in ("", proposal.outcome) and not d.reason.strip():
            errors[str(d.proposal_id)] = (
                f"{proposal.academy.name}: please give a reason for changing the outcome to "
                f"“{Outcome(d.outcome).label}”."
            )
        elif d.outcome == Outcome.INVITE and proposal.membership_id:
            errors[str(d.proposal_id)] = f"{proposal.academy.name} is a member: choose renew rather than invite."
        elif d.outcome in (Outcome.RENEW, Outcome.AT_RISK) and not proposal.membership_id:
            errors[str(d.proposal_id)] = f"{proposal.academy.name} is not a member: choose invite rather than renew."
    return errors


def review_decision_problems(*, run: ReviewRun, decisions: list[ProposalDecision]) -> list[str]:
    """What `review_decide` would refuse in these decisions, without deciding anything:
    a page asks "confirm all?" only about decisions that can be saved."""
    proposals = ReviewProposal.objects.filter(run=run, pk__in=[d.proposal_id for d in decisions]).select_related(
        "academy"
    )
    return list(_decision_errors(decisions, {p.pk: p for p in proposals}).values())


def review_decide(*, run: ReviewRun, decisions: list[ProposalDecision], by: User) -> DecideResult:
    """Record a coordinator's overrides and confirmations, in one transaction. Rules:
    only coordinators decide; an outcome other than the proposed one needs a reason
    (who and when are recorded with it); a confirmed proposal is final and cannot be
    changed or confirmed again. If any row is wrong nothing is saved, and the error
    names the academy.

    Confirming creates next year's membership: renew or at risk → invited to renew
    (at risk carried over with the reasons); invite → invited; not eligible → "not
    renewed" for a member (nothing for an academy that was not one); refer → "under
    review", referred to the steering group. Each academy's contacts get one letter
    (renewal invitation, invitation or decision letter) through the outbox."""
    ensure(by, "network.run_membership_year", message="Only coordinators can confirm review outcomes.")
    result = DecideResult()
    with transaction.atomic():
        ids = [d.proposal_id for d in decisions]
        proposals = {
            p.pk: p
            for p in ReviewProposal.objects.select_for_update(of=("self",))
            .filter(run=run, pk__in=ids)
            .select_related("academy__trust", "membership", "run__year__network")
            .prefetch_related(
                Prefetch("academy__people", queryset=Person.objects.only("email", "job_role", "academy_id"))
            )
        }
        errors = _decision_errors(decisions, proposals)
        if errors:
            raise ValidationError(errors)

        now = timezone.now()
        next_year = None
        for d in decisions:
            proposal = proposals[d.proposal_id]
            if proposal.is_confirmed:
                continue
            outcome = _override(d, proposal)
            if outcome != proposal.override_outcome or (outcome and d.reason.strip() != proposal.override_reason):
                proposal.override_outcome = outcome
                proposal.override_reason = d.reason.strip() if outcome else ""
                proposal.overridden_by = by if outcome else None
                proposal.overridden_at = now if outcome else None
                proposal.save(update_fields=["override_outcome", "override_reason", "overridden_by", "overridden_at"])
                result.overridden += 1 if outcome else 0
            if d.confirm:
                next_year = next_year or membership_year_get_or_create(network=run.network, label=run.year.next_label)
                _confirm(proposal=proposal, next_year=next_year, by=by, now=now, result=result)
    return result


def _override(decision: ProposalDecision, proposal: ReviewProposal) -> str:
    """The override a decision asks for: "" when it keeps the proposed outcome."""
    return "" if decision.outcome in ("", proposal.outcome) else decision.outcome


def _confirm(*, proposal: ReviewProposal, next_year: MembershipYear, by: User, now, result: DecideResult) -> None:
    final = proposal.final_outcome
    academy = proposal.academy
    status, kind, template = LETTERS[Outcome(final)]
    membership = None
    if final == Outcome.NOT_ELIGIBLE and not proposal.membership_id:
        pass  # an academy that was never a member: nothing to create, nobody to write to
    else:
        membership = Membership.objects.filter(year=next_year, academy=academy).first()
        if membership is not None:
            result.already_had_next_year.append(academy.name)
        else:
            membership = Membership(
                year=next_year,
                academy=academy,
                trust=academy.trust,
                status=status,
                source=Membership.Source.REVIEW,
            )
            if status == Membership.Status.INVITED:
                membership.invited_at = now
                membership.invited_by = by
            if final == Outcome.AT_RISK:
                membership.at_risk = True
                membership.at_risk_since = next_year.starts_on
                membership.at_risk_reason = " ".join(proposal.reasons)
            membership._history_user = by
            membership.save()
            if final == Outcome.REFER:
                application_refer(
                    membership=membership,
                    assessment={
                        "outcome": proposal.outcome,
                        "reasons": proposal.reasons,
                        "evidence": proposal.evidence,
                    },
                    by=by,
                )
            result.letters += send_letter(
                membership=membership,
                kind=kind,
                template=template,
                context={"proposal": proposal, "year": next_year, "outcome": proposal.get_final_outcome_display()},
            )
    proposal.confirmed_by = by
    proposal.confirmed_at = now
    proposal.next_membership = membership
    proposal.save(update_fields=["confirmed_by", "confirmed_at", "next_membership"])
    result.confirmed += 1
