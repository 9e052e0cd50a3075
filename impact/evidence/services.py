"""Writes for the evidence log: a claimed change, evidence for it (with an optional
file), and in one click a survey result, a grant's published outcome report or a
visit's agreed report.

Who records: coordinators (any academy), trust executives (their trust's academies),
science leaders (their academy): the rule `impact.record_evidence` on the academy or
the claim, which asks the access door. A record attached in one click keeps a foreign
key to it, and attaching it twice returns the first item.
"""

import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from events.models import Event
from impact.evidence.models import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    Claim,
    EvidenceItem,
    InitiativeKind,
    SourceType,
)
from network.base.rules import ensure

RECORD = "impact.record_evidence"
REFUSAL = "You may record evidence only for your own academy (or your trust's academies)."


def _initiative_label(kind: str, *, hub, event_series: str, initiative_ref, label: str) -> str:
    if label.strip():
        return label.strip()[:200]
    if kind == InitiativeKind.HUB and hub:
        return hub.name
    if kind == InitiativeKind.EVENT_SERIES:
        return event_series
    if initiative_ref:
        return f"{InitiativeKind(kind).label} {initiative_ref}"
    raise ValidationError({"initiative_label": "Name the visit or grant this claim relates to."})


@transaction.atomic
def claim_create(
    *,
    academy,
    statement: str,
    initiative_kind: str,
    guskey_level: int,
    by,
    hub=None,
    event_series: str = "",
    initiative_ref: int | None = None,
    initiative_label: str = "",
    cpd_on=None,
) -> Claim:
    """Record a claimed change at an academy. The date of the related CPD (for the lag
    shown beside each piece of evidence) defaults, for an event series, to the date of
    the series' first event in the academy's networks."""
    ensure(by, RECORD, academy, REFUSAL)
    if not statement.strip():
        raise ValidationError({"statement": "Say what changed, in a sentence."})
    if initiative_kind == InitiativeKind.HUB and hub is None:
        raise ValidationError({"hub": "Choose the hub this claim relates to."})
    if initiative_kind == InitiativeKind.EVENT_SERIES and not event_series:
        raise ValidationError({"event_series": "Choose the event series this claim relates to."})
    if cpd_on is None and initiative_kind == InitiativeKind.EVENT_SERIES:
        first = Event.objects.filter(series=event_series).aggregate(first=Min("starts_at"))["first"]
        cpd_on = timezone.localdate(first) if first else None
    claim = Claim(
        statement=statement.strip(),
        academy=academy,
        initiative_kind=initiative_kind,
        hub=hub if initiative_kind == InitiativeKind.HUB else None,
        event_series=event_series if initiative_kind == InitiativeKind.EVENT_SERIES else "",
        initiative_ref=initiative_ref if initiative_kind in (InitiativeKind.VISIT, InitiativeKind.GRANT) else None,
        initiative_label=_initiative_label(
            initiative_kind, hub=hub, event_series=event_series, initiative_ref=initiative_ref, label=initiative_label
        ),
        guskey_level=guskey_level,
        cpd_on=cpd_on,
        recorded_by=by,
    )
    claim.full_clean()
    claim.save()
    return claim


def check_attachment(upload) -> None:
    """Size and type limits, checked by name and by the file's first bytes where a
    type has a signature (a renamed executable is not a PDF)."""
    if upload is None:
        return
    ext = os.path.splitext(upload.name)[1].lower()
    if ext not in ATTACHMENT_TYPES:
        allowed = ", ".join(sorted(e.lstrip(".").upper() for e in ATTACHMENT_TYPES))
        raise ValidationError({"attachment": f"{upload.name} is not a file type we accept ({allowed})."})
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({"attachment": f"{upload.name} is larger than 10 MB."})
    signatures = {".pdf": b"%PDF", ".png": b"\x89PNG", ".jpg": b"\xff\xd8", ".jpeg": b"\xff\xd8"}
    signatures.update(dict.fromkeys((".docx", ".xlsx", ".pptx"), b"PK"))
    if ext in signatures:
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(signatures[ext]):
            raise ValidationError({"attachment": f"{upload.name} does not look like a {ext.lstrip('.').upper()} file."})


@transaction.atomic
def evidence_add(*, claim: Claim, source_type: str, observed_on, summary: str, by, attachment=None) -> EvidenceItem:
    """Add one piece of evidence to a claim, with an optional file (10 MB at most; PDF,
    Office, CSV, text or images)."""
    ensure(by, RECORD, claim, REFUSAL)
    if not summary.strip():
        raise ValidationError({"summary": "Summarise what the evidence shows."})
    if observed_on and observed_on > timezone.localdate():
        raise ValidationError({"observed_on": "The date cannot be in the future."})
    check_attachment(attachment)
    item = EvidenceItem(
        claim=claim,
        source_type=source_type,
        observed_on=observed_on,
        summary=summary.strip(),
        recorded_by=by,
    )
    if attachment is not None:
        item.attachment_name = os.path.basename(attachment.name)[:200]
        item.attachment = attachment
    item.full_clean(exclude=["attachment"])
    item.save()
    return item


def _attach_once(claim: Claim, source: dict, **item) -> EvidenceItem:
    """Attach the record named by `source` (e.g. {"grant_report": report}) to the claim,
    or return the item that already holds it: the claim's row is locked first, so a
    double click or two people at once attach it once."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    return claim.items.filter(**source).first() or EvidenceItem.objects.create(claim=claim, **source, **item)


def survey_summary(results) -> str:
    """A survey result written out as evidence: answers, response rate, the means."""
    parts = [f"{results.survey.title} ({results.filters.describe()}): {results.responses} answers"]
    if results.invited:
        parts.append(f"response rate {results.response_rate}")
    for r in results.questions:
        if r.mean is not None and not r.suppressed:
            parts.append(f"“{r.question.text_for(results.filters.event)}” mean {r.mean} (n={r.n})")
    for c in results.changes:
        if not c.suppressed and c.change.n:
            parts.append(
                f"“{c.question.text}” change {c.change.mean_change} on average, "
                f"{c.change.percent_improved} improved (n={c.change.n})"
            )
    return "; ".join(parts) + "."


@transaction.atomic
def survey_result_attach(*, claim: Claim, survey, results, by, now=None) -> EvidenceItem:
    """Attach a survey result (as the user sees it, filters included) to a claim, in one
    click. Too few answers to show are too few to attach. Attaching the same result
    twice returns the first."""
    ensure(by, RECORD, claim, REFUSAL)
    if results.hidden or not results.responses:
        raise ValidationError("This result has fewer than 5 answers, too few to use as evidence.")
    return _attach_once(
        claim,
        {"survey": survey, "survey_filters": results.filters.as_dict()},
        source_type=SourceType.SURVEY_RESULT,
        observed_on=timezone.localdate(now),
        summary=survey_summary(results),
        recorded_by=by,
    )


def grant_summary(report) -> str:
    bid = report.bid
    return (
        f"{bid.title}: the final report of the grant, published {timezone.localdate(report.published_at):%d/%m/%Y}. "
        f"What changed: {report.what_changed.strip()}"
        + (f" Evidence given: {report.evidence.strip()}" if report.evidence.strip() else "")
    )


@transaction.atomic
def grant_outcome_attach(*, claim: Claim, report, by) -> EvidenceItem:
    """Attach a grant's published outcome report to a claim at the same academy, in one
    click, dated when it was published. A report of another academy's project is not
    evidence of a change here; attaching the same report twice returns the first."""
    ensure(by, RECORD, claim, REFUSAL)
    if report.published_at is None or report.kind != report.Kind.FINAL:
        raise ValidationError("Only a grant's published final report can be attached as evidence.")
    if report.bid.academy_id != claim.academy_id:
        raise ValidationError(
            f"This report is about a project at {report.bid.academy.name}; the claim is about {claim.academy.name}."
        )
    return _attach_once(
        claim,
        {"grant_report": report},
        source_type=SourceType.GRANT_REPORT,
        observed_on=timezone.localdate(report.published_at),
        summary=grant_summary(report),
        recorded_by=by,
    )


def visit_summary(report) -> str:
    visit = report.visit
    parts = [
        f"{visit.kind.name} on {timezone.localdate(visit.starts_at):%d/%m/%Y}, report agreed by the host "
        f"{timezone.localdate(report.agreed_at):%d/%m/%Y}."
    ]
    if report.strengths.strip():
        parts.append(f"Strengths: {report.strengths.strip()}")
    if report.development.strip():
        parts.append(f"Areas for development: {report.development.strip()}")
    return " ".join(parts)


@transaction.atomic
def visit_report_attach(*, claim: Claim, report, by) -> EvidenceItem:
    """Attach the agreed report of a visit to the claim's academy, in one click, dated
    the day of the visit. A draft or a report awaiting the host's agreement is not yet
    evidence; attaching the same report twice returns the first."""
    ensure(by, RECORD, claim, REFUSAL)
    if report.agreed_at is None or report.status != report.Status.AGREED:
        raise ValidationError("Only a visit report its host has agreed can be attached as evidence.")
    if report.visit.host_academy_id != claim.academy_id:
        raise ValidationError(
            "This report is of a visit to another academy; the claim is about " + claim.academy.name + "."
        )
    return _attach_once(
        claim,
        {"visit_report": report},
        source_type=SourceType.VISIT_REPORT,
        observed_on=timezone.localdate(report.visit.starts_at),
        summary=visit_summary(report),
        recorded_by=by,
    )
