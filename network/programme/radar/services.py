"""The termly radar: compose (a draft the coordinator edits and previews), send (the
issue is marked for sending), and the sweep that writes one outbox message per member
leader who has not opted out. Once per person and issue: the outbox key is
`radar:<issue>:<person>`, and the sweep locks the issue's row, so two workers sweeping
at once, or a sweep run twice, send nobody a second copy."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from network.base import outbox
from network.base.models import User
from network.base.rules import ensure
from network.programme.radar import selectors
from network.programme.radar.models import RadarIssue

logger = logging.getLogger(__name__)


@transaction.atomic
def radar_save(
    *,
    network,
    title: str,
    editorial: str,
    outcomes=(),
    resources=(),
    event_ids=(),
    issue: RadarIssue | None = None,
    by: User,
) -> RadarIssue:
    """Create or change a draft issue from the items the coordinator picked."""
    ensure(by, "network.compose_radar")
    if issue is not None and not issue.is_draft:
        raise ValidationError("This issue has been sent and can no longer be changed.")
    issue = issue or RadarIssue(network=network, created_by=by)
    issue.network = network
    issue.title = title.strip()
    issue.editorial = editorial.strip()
    issue.event_ids = sorted({int(pk) for pk in event_ids})
    issue.full_clean()
    issue.save()
    issue.outcomes.set(outcomes)
    issue.resources.set(resources)
    return issue


@transaction.atomic
def radar_send(*, issue: RadarIssue, by: User) -> RadarIssue:
    """Mark a draft for sending; the sweep (every few minutes, and straight after
    commit) writes the messages. Pressing "Send" twice sends once."""
    ensure(by, "network.compose_radar")
    issue = RadarIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.is_draft:
        issue.status = RadarIssue.Status.SENDING
        issue.send_requested_at = timezone.now()
        issue.sent_by = by
        issue.save(update_fields=["status", "send_requested_at", "sent_by"])
        transaction.on_commit(_kick)
    return issue


def _kick() -> None:
    try:
        send_radar_issues.delay()
    except Exception:  # the broker is down: the beat sweep sends it
        logger.warning("Broker unavailable; the radar is left for the sweep", exc_info=True)


def radar_deliver(issue_id: int) -> int:
    """Write the issue's messages, once. Returns how many recipients it had (0 if the
    issue was already sent, by another worker or an earlier sweep)."""
    with transaction.atomic():
        issue = RadarIssue.objects.select_for_update().filter(pk=issue_id, status=RadarIssue.Status.SENDING).first()
        if issue is None:  # sent already, by another worker or an earlier sweep
            return 0
        content = selectors.issue_content(issue)
        web_url = settings.PORTAL_BASE_URL + reverse("network:radar_detail", args=[issue.pk])
        preferences_url = settings.PORTAL_BASE_URL + reverse("network:programme_preferences")
        subject, text, html = outbox.render(
            "network/radar/email/radar",
            {"issue": issue, "web_url": web_url, "preferences_url": preferences_url, **content},
        )
        recipients = list(selectors.recipients(issue.network))
        for person_id, email in recipients:
            outbox.enqueue_rendered(
                key=f"radar:{issue.pk}:{person_id}", to=email, subject=subject, body_text=text, body_html=html
            )
        issue.status = RadarIssue.Status.SENT
        issue.sent_at = timezone.now()
        issue.recipient_count = len(recipients)
        issue.save(update_fields=["status", "sent_at", "recipient_count"])
        return len(recipients)


def radar_sweep() -> int:
    """Deliver every issue marked for sending. Safe to run twice, and at once."""
    ids = list(RadarIssue.objects.filter(status=RadarIssue.Status.SENDING).values_list("pk", flat=True))
    return sum(radar_deliver(pk) for pk in ids)


# The task is defined beside its sweep (as the outbox's is), so `radar_send` can queue
# it after commit without a services <-> tasks import cycle.
@shared_task(name="network.send_radar_issues", acks_late=True)
def send_radar_issues() -> int:
    return radar_sweep()
