"""Thin, named tasks: take ids, call a service, return quietly if the row is gone."""

from celery import shared_task

from network.base import outbox
from network.base.imports import jobs as imports
from network.base.imports.jobs import run_import_job  # noqa: F401  (defined beside the jobs)
from network.base.outbox import send_outbox_message  # noqa: F401  (the outbox defines its own task)
from network.base.privacy import retention


@shared_task(name="network.sweep_outbox", acks_late=True)
def sweep_outbox() -> int:
    return outbox.sweep()


@shared_task(name="network.retention_sweep", acks_late=True)
def retention_sweep() -> dict:
    """Remove personal data past its retention period (idempotent; logged)."""
    return retention.retention_sweep()


@shared_task(name="network.sweep_import_jobs", acks_late=True)
def sweep_import_jobs() -> int:
    """Start import jobs the broker missed; close the ones whose worker died."""
    return imports.import_jobs_sweep()
