"""Thin, named tasks: take ids, call a service, return quietly if the row is gone."""

from celery import shared_task

from network import imports, outbox, retention
from network.membership import review
from network.membership import services as membership_services


@shared_task(name="network.send_outbox_message", acks_late=True, max_retries=3)
def send_outbox_message(message_id: int) -> bool:
    return outbox.deliver(message_id)


@shared_task(name="network.sweep_outbox", acks_late=True)
def sweep_outbox() -> int:
    return outbox.sweep()


@shared_task(name="network.sweep_annual_reviews", acks_late=True)
def sweep_annual_reviews() -> list[int]:
    """Run every annual review whose date has come and that has not run yet (once per
    network and year, whatever the number of workers; a missed day runs next time)."""
    return [run.pk for run in review.review_sweep()]


@shared_task(name="network.lapse_membership_invitations")
def lapse_membership_invitations() -> int:
    return membership_services.memberships_lapse()


@shared_task(name="network.retention_sweep", acks_late=True)
def retention_sweep() -> dict:
    """Remove personal data past its retention period (idempotent; logged)."""
    return retention.retention_sweep()


@shared_task(name="network.run_import_job", acks_late=True)
def run_import_job(job_id: int) -> bool:
    """Import one uploaded file (claimed once, whatever the number of workers)."""
    return imports.import_job_run(job_id)


@shared_task(name="network.sweep_import_jobs", acks_late=True)
def sweep_import_jobs() -> int:
    """Start import jobs the broker missed; close the ones whose worker died."""
    return imports.import_jobs_sweep()
