"""Writes for the membership year: invitations and acceptance, applications with
evidence and their decisions, the mid-year "at risk" flag, invoice lines, lapsing.

Each service is keyword-only, runs in one transaction and queues its emails through the
outbox with a key per (membership, kind, recipient), so a retry never sends twice. The
annual review's own writes (run, confirm) are in `network.membership.review`.
"""

import contextlib
import datetime
import logging
import os
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from network import outbox
from network.membership import eligibility
from network.membership.models import (
    ApplicationEvidence,
    InvoiceLine,
    Membership,
    MembershipApplication,
    MembershipPolicy,
    MembershipYear,
    ReviewProposal,
    year_label,
    year_start,
)
from network.models import Network, Role, User
from trusts.models import Academy, Inspection, JobRole

logger = logging.getLogger(__name__)

# Who at an academy hears about its membership: the people who run science there and
# the head. If nobody is recorded, the trust's CEO.
CONTACT_ROLES = (JobRole.HEAD_OF_SCIENCE, JobRole.SUBJECT_LEAD, JobRole.HEADTEACHER)
# An invitation for a year not accepted this many days after the year began lapses.
INVITATION_GRACE_DAYS = 30
EVIDENCE_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".odt",
    ".txt",
    ".csv",
    ".png",
    ".jpg",
    ".jpeg",
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


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


def academy_contacts(academy: Academy) -> list[str]:
    """Email addresses for letters to an academy (uses `academy.people` if prefetched)."""
    emails = sorted({p.email.lower() for p in academy.people.all() if p.job_role in CONTACT_ROLES and p.email})
    if not emails and academy.trust_id and academy.trust.ceo_email:
        emails = [academy.trust.ceo_email.lower()]
    return emails


def membership_link(membership: Membership) -> str:
    return settings.PORTAL_BASE_URL + reverse("membership_academy", args=[membership.academy.urn])


def send_letter(*, membership: Membership, kind: str, template: str, context: dict) -> int:
    """Queue one letter to each of the academy's contacts, once per (membership, kind).
    Returns how many recipients there were."""
    recipients = academy_contacts(membership.academy)
    for email in recipients:
        outbox.enqueue(
            key=f"membership:{membership.pk}:{kind}:{email}",
            to=email,
            template=f"network/membership/email/{template}",
            context={"membership": membership, "link": membership_link(membership), **context},
        )
    return len(recipients)


def _notify_users(*, users: Iterable[User], key: str, template: str, context: dict) -> int:
    n = 0
    for user in users:
        outbox.enqueue(
            key=f"{key}:{user.pk}", to=user.email, template=f"network/membership/email/{template}", context=context
        )
        n += 1
    return n


def _coordinators():
    return User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk")


def _steering_group():
    return User.objects.filter(role=Role.STEERING, is_active=True).order_by("pk")


def fee_line_add(*, membership: Membership, by: User | None) -> InvoiceLine:
    """The year's fee, once per membership (a unique constraint holds it to one)."""
    year = membership.year
    line, _ = InvoiceLine.objects.get_or_create(
        membership=membership,
        kind=InvoiceLine.Kind.FEE,
        defaults={
            "description": f"{year.network.name} membership {year.label}",
            "net_amount": year.fee_net,
            "vat_rate": year.vat_rate,
            "created_by": by,
        },
    )
    return line


@transaction.atomic
def invoice_line_add(*, membership: Membership, description: str, net_amount: Decimal, by: User) -> InvoiceLine:
    """An extra charge (e.g. an extra visit) at the year's VAT rate. Only for a
    membership that is or was active; amounts are not negative."""
    if membership.status not in (Membership.Status.ACTIVE, Membership.Status.LEFT):
        raise ValidationError("Extra charges can only be added to an active membership.")
    line = InvoiceLine(
        membership=membership,
        kind=InvoiceLine.Kind.EXTRA,
        description=description.strip(),
        net_amount=net_amount,
        vat_rate=membership.year.vat_rate,
        created_by=by,
    )
    line.full_clean()
    line.save()
    return line


def prerequisite_met(*, policy: MembershipPolicy, academy_ids: Iterable[int], label: str) -> set[int]:
    """The academies (of `academy_ids`) that satisfy the policy's prerequisite network in
    year `label`: an active membership of the parent network that year. All of them if
    the policy has no prerequisite."""
    academy_ids = set(academy_ids)
    if not policy.prerequisite_network_id:
        return academy_ids
    return set(
        Membership.objects.filter(
            year__network_id=policy.prerequisite_network_id,
            year__label=label,
            status=Membership.Status.ACTIVE,
            academy_id__in=academy_ids,
        ).values_list("academy_id", flat=True)
    )


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
    if not by.is_coordinator:
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


def _check_evidence(files) -> None:
    for upload in files:
        ext = os.path.splitext(upload.name)[1].lower()
        if ext not in EVIDENCE_EXTENSIONS:
            raise ValidationError(
                {
                    "files": f"{upload.name}: please upload a document, spreadsheet, PDF or image ({', '.join(sorted(EVIDENCE_EXTENSIONS))})."
                }
            )
        if upload.size > EVIDENCE_MAX_BYTES:
            raise ValidationError({"files": f"{upload.name} is larger than 10 MB."})


class ApplicationAlreadySent(ValidationError):
    """The academy has already applied for the year and is waiting for a decision (a
    double-clicked submit, or a second try): `application` is the one it sent."""

    def __init__(self, application: MembershipApplication):
        membership = application.membership
        super().__init__(
            f"{membership.academy.name} has already applied for {membership.year.label} "
            f"(on {timezone.localtime(application.submitted_at):%d/%m/%Y}); here is the application."
        )
        self.application = application


def application_submit(
    *,
    academy: Academy,
    network: Network,
    label: str,
    evidence_text: str,
    files: Iterable = (),
    by: User,
    today: datetime.date | None = None,
) -> MembershipApplication:
    """An academy that was not invited applies to `network` for year `label`, with
    evidence (text and files). Rules: only for this membership year or the next (by
    the network's policy, on `today`), and the year is created, if it is new, in this
    transaction, so a refused application leaves nothing behind; one membership per
    academy per year, so an academy that already has one (invited, applied, active,
    …) cannot apply again, and one whose application is waiting for a decision is told
    so (`ApplicationAlreadySent`, naming it), however close together the two submits
    came; the prerequisite network, if any, must be met. The application is assessed
    against the policy by data: if the academy meets the criteria it waits for a
    coordinator's decision; otherwise it is referred to the steering group (status
    "under review"), whose members are told.

    Evidence files are written to storage inside the transaction; if it fails or is
    refused after that, they are deleted, so no file outlives its rolled-back row. (A
    caller that wraps this in a larger transaction which then fails must do the same.)"""
    files = list(files)
    if not evidence_text.strip() and not files:
        raise ValidationError({"evidence_text": "Please describe your evidence or attach at least one file."})
    _check_evidence(files)
    stored: list[str] = []  # names of the evidence files this call wrote to storage
    try:
        return _application_submit(
            academy=academy, network=network, label=label, evidence_text=evidence_text, files=files, by=by,
            today=today, stored=stored,
        )  # fmt: skip
    except BaseException:
        _discard_files(stored)
        raise


@transaction.atomic
def _application_submit(
    *,
    academy: Academy,
    network: Network,
    label: str,
    evidence_text: str,
    files: list,
    by: User,
    today: datetime.date | None,
    stored: list[str],
) -> MembershipApplication:
    from network.membership.review import assess_academies

    policy = policy_for(network)
    allowed = application_year_labels(policy, today)
    if label not in allowed:
        raise ValidationError(
            {"year": f"Applications are for this membership year or the next: choose {allowed[0]} or {allowed[1]}."}
        )
    year = membership_year_get_or_create(network=network, label=label)
    existing = Membership.objects.filter(year=year, academy=academy).first()
    if existing:
        _refuse_second_membership(existing)
    if academy.pk not in prerequisite_met(policy=policy, academy_ids=[academy.pk], label=year.label):
        raise ValidationError(
            f"Only active members of {policy.prerequisite_network} in {year.label} can apply to {year.network}."
        )
    assessment = assess_academies(
        network=year.network, academies=[academy], label=year.label, members=set(), policy=policy
    )[academy.pk]
    meets = assessment.eligible is True
    now = timezone.now()
    membership = Membership(
        year=year,
        academy=academy,
        trust=academy.trust,
        status=Membership.Status.APPLIED if meets else Membership.Status.UNDER_REVIEW,
        source=Membership.Source.APPLICATION,
    )
    membership._history_user = by
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        # A submit at the same moment (a double click) inserted it first: on PostgreSQL
        # this insert waited for that one to commit, so its row is visible now.
        existing = Membership.objects.filter(year=year, academy=academy).first()
        if existing:
            _refuse_second_membership(existing)
        raise
    application = MembershipApplication.objects.create(
        membership=membership,
        source=MembershipApplication.Source.APPLICATION,
        evidence_text=evidence_text.strip(),
        submitted_by=by,
        submitted_at=now,
        meets_criteria=meets,
        assessment={
            "outcome": assessment.outcome,
            "reasons": list(assessment.reasons),
            "evidence": assessment.evidence,
        },
        referred_at=None if meets else now,
    )
    for upload in files:
        evidence = ApplicationEvidence(application=application, name=upload.name[:200], uploaded_by=by)
        evidence.file.save(upload.name, upload, save=False)
        stored.append(evidence.file.name)
        evidence.save()
    context = {"application": application, "academy": academy, "year": year, "link": application_link(application)}
    if meets:
        _notify_users(
            users=_coordinators(),
            key=f"application:{application.pk}:received",
            template="application_received",
            context=context,
        )
    else:
        _notify_users(
            users=_steering_group(), key=f"application:{application.pk}:referred", template="referral", context=context
        )
    return application


def _refuse_second_membership(existing: Membership) -> None:
    """Raise the right refusal for an academy that already has a membership record for
    the year: the pending application it sent, or a plain "already has one"."""
    application = (
        MembershipApplication.objects.filter(
            membership=existing,
            source=MembershipApplication.Source.APPLICATION,
            decision=MembershipApplication.Decision.PENDING,
        )
        .select_related("membership__academy", "membership__year")
        .first()
    )
    if application is not None:
        raise ApplicationAlreadySent(application)
    raise ValidationError(f"{existing.academy.name} already has a membership record for {existing.year.label}.")


def _discard_files(names: Iterable[str]) -> None:
    """Delete files written for rows that were rolled back (and their empty folder)."""
    storage = ApplicationEvidence._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # never hide the error that rolled the transaction back
            logger.warning("Could not delete evidence file %s after a rollback", name, exc_info=True)
            continue
        # evidence_path gives each file its own folder; a storage without folders (or a
        # folder that is not empty) keeps it.
        with contextlib.suppress(NotImplementedError, OSError):
            os.rmdir(storage.path(os.path.dirname(name)))


def application_link(application: MembershipApplication) -> str:
    return settings.PORTAL_BASE_URL + reverse("membership_application_detail", args=[application.pk])


@transaction.atomic
def application_refer(*, membership: Membership, assessment: dict, by: User | None) -> MembershipApplication:
    """Refer a membership to the steering group from the annual review (status "under
    review"); the steering group is told once."""
    application, created = MembershipApplication.objects.get_or_create(
        membership=membership,
        defaults={
            "source": MembershipApplication.Source.REVIEW,
            "submitted_by": by,
            "meets_criteria": False,
            "assessment": assessment,
            "referred_at": timezone.now(),
        },
    )
    if created:
        context = {
            "application": application,
            "academy": membership.academy,
            "year": membership.year,
            "link": application_link(application),
        }
        _notify_users(
            users=_steering_group(), key=f"application:{application.pk}:referred", template="referral", context=context
        )
    return application


@transaction.atomic
def application_decide(
    *, application: MembershipApplication, approve: bool, reason: str, by: User
) -> MembershipApplication:
    """Record the decision on an application: who, when and why (a reason is required).
    Coordinators decide any application; steering-group members only referred ones.
    A decision is final: deciding twice is refused. Approved → the membership is active
    and its fee recorded; declined → "declined" (an application) or "not renewed" (a
    member referred by the review). The academy gets a decision letter."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Please give the reason for the decision; the academy will read it."})
    application = (
        MembershipApplication.objects.select_for_update(of=("self",))
        .select_related("membership__year__network", "membership__academy__trust")
        .get(pk=application.pk)
    )
    if not (by.is_coordinator or (by.role == Role.STEERING and by.is_active and application.is_referred)):
        raise ValidationError("Only coordinators, or the steering group for referred applications, can decide.")
    if application.decision != MembershipApplication.Decision.PENDING:
        raise ValidationError("This application has already been decided.")
    application.decision = (
        MembershipApplication.Decision.APPROVED if approve else MembershipApplication.Decision.DECLINED
    )
    application.decided_by = by
    application.decided_at = timezone.now()
    application.decision_reason = reason
    application.save(update_fields=["decision", "decided_by", "decided_at", "decision_reason"])
    membership = application.membership
    if approve:
        membership.status = Membership.Status.ACTIVE
        membership.accepted_at = application.decided_at
        membership.accepted_by = by
    elif application.source == MembershipApplication.Source.REVIEW:
        membership.status = Membership.Status.NOT_RENEWED
    else:
        membership.status = Membership.Status.DECLINED
    membership._history_user = by
    membership.save(update_fields=["status", "accepted_at", "accepted_by"])
    if approve:
        fee_line_add(membership=membership, by=by)
    send_letter(
        membership=membership,
        kind="decision",
        template="decision",
        context={"application": application, "approved": approve, "reason": reason, "year": membership.year},
    )
    return application


# Memberships not yet decided: a new inspection matters to whoever decides them.
PENDING_STATUSES = (Membership.Status.INVITED, Membership.Status.APPLIED, Membership.Status.UNDER_REVIEW)


@transaction.atomic
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
        return []
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
    _notify_users(
        users=_coordinators(),
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
