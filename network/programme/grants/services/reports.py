"""Outcome reports of funded projects (midpoint, final) and the reminder sweep. A final
report is published to the outcomes library when filed, and `grant_outcome_published`
is sent after commit for the impact room's evidence log."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from network.base.models import OutboxMessage, User
from network.base.rules import ensure
from network.programme.grants.models import GrantBid, GrantReport
from network.programme.grants.services.letters import bid_key, email_bid_lead, portal_url
from network.programme.grants.signals import grant_outcome_published

REMIND_DAYS_BEFORE = 14


@transaction.atomic
def report_file(
    *,
    bid: GrantBid,
    kind: str,
    what_was_done: str,
    what_changed: str,
    evidence: str = "",
    resources: str = "",
    by: User,
) -> GrantReport:
    """File (or revise) the midpoint or final report of an awarded bid. A final report
    is published to the outcomes library the first time it is filed."""
    ensure(by, "network.file_grant_report", bid, "Only the leaders of a funded project file its reports.")
    if kind not in GrantReport.Kind.values:
        raise ValidationError("Unknown kind of report.")
    if not what_was_done.strip() or not what_changed.strip():
        raise ValidationError("Please say what was done and what changed.")
    report, _ = GrantReport.objects.select_for_update().get_or_create(
        bid=bid,
        kind=kind,
        defaults={"what_was_done": what_was_done, "what_changed": what_changed, "submitted_by": by},
    )
    report.what_was_done = what_was_done.strip()
    report.what_changed = what_changed.strip()
    report.evidence = evidence.strip()
    report.resources = resources.strip()
    report.submitted_by = by
    newly_published = kind == GrantReport.Kind.FINAL and report.published_at is None
    if newly_published:
        report.published_at = timezone.now()
    report.save()
    if newly_published:
        transaction.on_commit(lambda: grant_outcome_published.send(sender=GrantReport, report=report))
    return report


def report_reminders(*, today: datetime.date | None = None) -> int:
    """Remind the lead of each funded project whose midpoint or final report is due
    within two weeks (or overdue) and not filed: once per bid and kind. Safe to run
    twice. Returns how many reminders were queued now."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    sent = 0
    for kind, due_field in ((GrantReport.Kind.MIDPOINT, "midpoint"), (GrantReport.Kind.FINAL, "final")):
        due = f"round__{due_field}_report_due_on"
        bids = (
            GrantBid.objects.filter(status=GrantBid.Status.AWARDED, **{f"{due}__lte": horizon})
            .exclude(reports__kind=kind)
            .select_related("round", "lead")
        )
        for bid in bids:
            kind_key = f"report-reminder:{kind}"
            if OutboxMessage.objects.filter(key=bid_key(bid, kind_key)).exists():
                continue
            with transaction.atomic():
                email_bid_lead(
                    bid,
                    kind_key,
                    "report_reminder",
                    kind_label=GrantReport.Kind(kind).label.lower(),
                    due_on=getattr(bid.round, f"{due_field}_report_due_on"),
                    report_url=portal_url("network:grant_report", bid.pk, kind),
                )
            sent += 1
    return sent
