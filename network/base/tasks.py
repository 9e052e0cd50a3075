"""Thin, named tasks: take ids, call a service, return quietly if the row is gone."""

from celery import shared_task

from network.base import outbox, services
from network.base.outbox import send_outbox_message  # noqa: F401  (the outbox defines its own task)


@shared_task(name="network.sweep_outbox", acks_late=True)
def sweep_outbox() -> int:
    return outbox.sweep()


@shared_task(name="network.expire_invitations")
def expire_invitations() -> int:
    return services.invitations_expire()
