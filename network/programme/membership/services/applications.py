"""Applications with evidence, referral to the steering group and decisions."""

import contextlib
import datetime
import logging
import os
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from network.base.models import User
from network.base.rules import ensure
from network.programme.membership.assessment import prerequisite_met
from network.programme.membership.models import ApplicationEvidence, Membership, MembershipApplication
from network.programme.membership.policy import application_year_labels, policy_for
from network.programme.membership.services.invoices import fee_line_add
from network.programme.membership.services.letters import coordinators, notify_users, send_letter, steering_group
from network.programme.membership.services.years import membership_year_get_or_create
from network.programme.models import Network
from trusts.models import Academy

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
logger = logging.getLogger(__name__)


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
    from network.programme.membership.assessment import assess_academies

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
        notify_users(
            users=coordinators(),
            key=f"application:{application.pk}:received",
            template="application_received",
            context=context,
        )
    else:
        notify_users(
            users=steering_group(), key=f"application:{application.pk}:referred", template="referral", context=context
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
    return settings.PORTAL_BASE_URL + reverse("network:membership_application_detail", args=[application.pk])


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
        notify_users(
            users=steering_group(), key=f"application:{application.pk}:referred", template="referral", context=context
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
    if application.decision != MembershipApplication.Decision.PENDING:
        raise ValidationError("This application has already been decided.")
    ensure(
        by,
        "network.decide_application",
        application,
        "Only coordinators, or the steering group for referred applications, can decide.",
    )
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
