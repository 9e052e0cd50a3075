"""Sweeps for visits, run every few minutes by beat. Each queues what is due through
the outbox with one key per (visit or action, kind, person), so a rerun, a retry or a
second worker sends nothing twice:

- reminders 7 days and 1 day before a scheduled visit, to the visitors and the host
  (only to a visit already scheduled when the reminder came due);
- the joining link an hour before an online visit;
- "report not written" the policy's days (10) after the visit, to the visitors;
- "report not agreed" the policy's days (10) after submission, to the host;
- "action overdue" once, from its due date, to its owner."""

import datetime
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from events.visits.models import Visit, VisitAction, VisitPolicy, VisitReport
from events.visits.services import notifications
from network.base.models import OutboxMessage

S = Visit.Status
REMINDERS = (("reminder-7d", timedelta(days=7)), ("reminder-1d", timedelta(days=1)))
JOINING_LINK_BEFORE = timedelta(hours=1)
DEFAULT = VisitPolicy()


def _queue(visit: Visit, kind: str, people, template: str, **context) -> int:
    """Queue to each person whose key is new; returns how many were new."""
    people = [p for p in people if p is not None]
    keys = {p.pk: f"visit:{visit.pk}:{kind}:{p.pk}" for p in people}
    have = set(OutboxMessage.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    fresh = [p for p in people if keys[p.pk] not in have]
    if fresh:
        with transaction.atomic():
            notifications.email(visit, kind=kind, people=fresh, template=template, **context)
    return len(fresh)


def _everyone(visit: Visit) -> list:
    return [*(a.person for a in visit.assignments.all()), *notifications.host_people(visit)]


def _diary():
    return (
        Visit.objects.filter(status=S.SCHEDULED)
        .select_related("kind", "host_academy", "host_contact", "network")
        .prefetch_related("assignments__person")
    )


def visits_remind(*, now: datetime.datetime | None = None) -> int:
    """Reminders and joining links before scheduled visits. Returns how many queued."""
    now = now or timezone.now()
    queued, lower = 0, timedelta(0)
    for kind, before in sorted(REMINDERS, key=lambda r: r[1]):  # shortest window first
        window = _diary().filter(starts_at__gt=now + lower, starts_at__lte=now + before)
        for visit in window:
            if visit.scheduled_at and visit.scheduled_at > visit.starts_at - before:
                continue  # scheduled inside the window: the "scheduled" email was enough
            queued += _queue(visit, kind, _everyone(visit), "reminder", before=before)
        lower = before
    links = _diary().filter(is_online=True, starts_at__lte=now + JOINING_LINK_BEFORE, ends_at__gt=now)
    for visit in links.exclude(joining_link=""):
        queued += _queue(visit, "joining-link", _everyone(visit), "joining_link")
    return queued


def reports_chase(*, now: datetime.datetime | None = None) -> int:
    """'Report not written' to visitors and 'report not agreed' to hosts, once each."""
    now = now or timezone.now()
    policies = {p.network_id: p for p in VisitPolicy.objects.all()}
    queued = 0
    shortest = min([p.report_due_days for p in policies.values()] + [DEFAULT.report_due_days])
    late = (
        Visit.objects.filter(status__in=(S.SCHEDULED, S.COMPLETED), ends_at__lte=now - timedelta(days=shortest))
        .select_related("kind", "host_academy", "network")
        .prefetch_related("assignments__person")
    )
    for visit in late:
        days = policies.get(visit.network_id, DEFAULT).report_due_days
        if visit.ends_at <= now - timedelta(days=days):
            queued += _queue(visit, "report-overdue", [a.person for a in visit.assignments.all()], "report_overdue")
    shortest = min([p.agreement_due_days for p in policies.values()] + [DEFAULT.agreement_due_days])
    waiting = VisitReport.objects.filter(
        visit__status=S.REPORT_SUBMITTED, submitted_at__lte=now - timedelta(days=shortest)
    ).select_related("visit__kind", "visit__host_academy", "visit__host_contact", "visit__network")
    for report in waiting:
        visit = report.visit
        days = policies.get(visit.network_id, DEFAULT).agreement_due_days
        if report.submitted_at <= now - timedelta(days=days):
            queued += _queue(visit, "agreement-overdue", notifications.host_people(visit), "agreement_overdue")
    return queued


def actions_chase(*, today: datetime.date | None = None) -> int:
    """'Action overdue' to each open action's owner, once, from its due date."""
    today = today or timezone.localdate()
    due = (
        VisitAction.objects.filter(due_on__lte=today, visit__status=S.REPORT_AGREED)
        .exclude(status=VisitAction.Status.CLOSED)
        .select_related("owner", "visit__host_academy", "visit__kind")
    )
    due = list(due)
    have = set(
        OutboxMessage.objects.filter(key__in=[f"visit-action:{a.pk}:overdue" for a in due]).values_list(
            "key", flat=True
        )
    )
    queued = 0
    for action in due:
        if f"visit-action:{action.pk}:overdue" in have or not action.owner.email:
            continue
        with transaction.atomic():
            notifications.email_action(action, kind="overdue", template="action_overdue")
        queued += 1
    return queued


def visits_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Every visit sweep at once (the beat task)."""
    now = now or timezone.now()
    return {
        "reminders": visits_remind(now=now),
        "reports": reports_chase(now=now),
        "actions": actions_chase(today=timezone.localdate(now)),
    }
