"""The visitor's report: drafts, submission, and the host's answer (agree, or ask for
changes with a comment: the conversation is kept in the visit's log).

An agreed report is evidence of impact: the impact room reads agreed reports through
`events.visits.selectors.agreed_reports` (events never imports impact)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from events.visits.models import Visit, VisitAction, VisitReport
from events.visits.policy import FRAMEWORK_STRANDS, STRAND_RATINGS
from events.visits.services import notifications
from events.visits.services.history import lock, move
from network.base.models import User
from network.base.rules import ensure
from trusts.models import Person

S = Visit.Status


@dataclass
class ActionDraft:
    """One agreed action as the visitor writes it."""

    description: str
    owner: Person
    due_on: datetime.date


def _not_writable(visit: Visit) -> str:
    if visit.status in (S.REQUESTED, S.PROPOSED, S.SCHEDULED):
        return "The report can be written once the visit has taken place and is marked as completed."
    if visit.status == S.REPORT_SUBMITTED:
        return "The report has been submitted: it can be changed again if the host asks for changes."
    return "This visit's report has been agreed and can no longer be changed."


@transaction.atomic
def report_save(
    *,
    visit: Visit,
    by: User,
    seen: str = "",
    strengths: str = "",
    development: str = "",
    strands: dict | None = None,
    focus_areas=None,
    actions: list[ActionDraft] = (),
    submit: bool = False,
) -> VisitReport:
    """Save the report as a draft, or submit it to the host. A draft may be partial; a
    submitted report needs what was seen, strengths and areas for development, every
    Framework strand rated (moderation visits), and each action's owner at the host
    academy with a due date on or after the visit. The actions written replace the
    draft's (they are the visitor's until the host agrees them)."""
    ensure(by, "events.write_visit_report", visit, "Only the people who made the visit can write its report.")
    visit = lock(visit)
    if visit.status != S.COMPLETED:
        raise ValidationError(_not_writable(visit))
    report, _ = VisitReport.objects.get_or_create(visit=visit)
    report.seen, report.strengths, report.development = seen.strip(), strengths.strip(), development.strip()
    report.strands = _strands(visit, strands or {}, complete=submit)
    report.written_by = by
    errors: dict[str, list[str]] = {}
    if submit:
        for field, label in (
            ("seen", "what was seen"),
            ("strengths", "strengths"),
            ("development", "areas for development"),
        ):
            if not getattr(report, field):
                errors.setdefault(field, []).append(f"Write {label} before you submit the report.")
    day = timezone.localtime(visit.starts_at).date()
    for i, a in enumerate(actions, start=1):
        if not a.description.strip():
            errors.setdefault("actions", []).append(f"Action {i} needs a description.")
        if a.owner.academy_id != visit.host_academy_id:
            errors.setdefault("actions", []).append(
                f"Action {i}: {a.owner.full_name} does not work at {visit.host_academy.name}; an action's owner is at the host academy."
            )
        if a.due_on < day:
            errors.setdefault("actions", []).append(f"Action {i} is due before the visit took place.")
    if errors:
        raise ValidationError(errors)
    if focus_areas is not None:
        visit.focus_areas.set(focus_areas)
    visit.actions.all().delete()
    VisitAction.objects.bulk_create(
        [VisitAction(visit=visit, description=a.description.strip(), owner=a.owner, due_on=a.due_on) for a in actions]
    )
    if submit:
        report.status, report.submitted_at = VisitReport.Status.SUBMITTED, timezone.now()
        report.save()
        entry = move(visit, action="submit_report", by=by)
        notifications.email(
            visit,
            kind="report-submitted",
            people=notifications.host_people(visit),
            template="report_submitted",
            log=entry,
        )
    else:
        report.save()
    return report


def _strands(visit: Visit, strands: dict, *, complete: bool) -> dict:
    if not visit.kind.uses_framework:
        return {}
    codes, ratings = dict(FRAMEWORK_STRANDS), dict(STRAND_RATINGS)
    clean = {k: v for k, v in strands.items() if k in codes and v in ratings}
    if complete and len(clean) < len(codes):
        missing = ", ".join(label for code, label in FRAMEWORK_STRANDS if code not in clean)
        raise ValidationError({"strands": f"Rate every Framework strand before you submit: {missing}."})
    return clean


@transaction.atomic
def report_review(*, visit: Visit, agree: bool, by: User, comment: str = "") -> Visit:
    """The host academy's answer to a submitted report. Agreeing fixes the report and its
    actions (the visit closes at once if it has none open); asking for changes needs a
    comment and hands the report back to the visitor. Both are kept in the log."""
    ensure(by, "events.review_visit_report", visit, "Only the host academy's leaders can agree this report.")
    visit = lock(visit)
    report = VisitReport.objects.select_for_update().filter(visit=visit).first()
    if agree:
        entry = move(visit, action="agree_report", by=by, text=comment)
        report.status, report.agreed_at, report.agreed_by = VisitReport.Status.AGREED, timezone.now(), by
        report.save(update_fields=["status", "agreed_at", "agreed_by", "updated_at"])
        notifications.email(
            visit, kind="report-agreed", people=notifications.visitor_people(visit), template="report_agreed", log=entry
        )
        close_if_done(visit, by=by)
    else:
        if not comment.strip():
            raise ValidationError({"comment": "Say what should change, so the visitor can put it right."})
        entry = move(visit, action="request_changes", by=by, text=comment)
        report.status = VisitReport.Status.CHANGES_REQUESTED
        report.save(update_fields=["status", "updated_at"])
        notifications.email(
            visit,
            kind="report-changes",
            people=notifications.visitor_people(visit),
            template="report_changes",
            log=entry,
        )
    return visit


def close_if_done(visit: Visit, *, by: User | None) -> bool:
    """Close an agreed visit whose actions are all closed (or that has none)."""
    if visit.status != S.REPORT_AGREED or visit.actions.exclude(status=VisitAction.Status.CLOSED).exists():
        return False
    move(visit, action="close", by=by, text="Every agreed action is closed.")
    return True
