"""Thin, named tasks: take ids, call a service, return quietly if the row is gone."""

from celery import shared_task

from network.base import outbox, services


@shared_task(name="network.send_outbox_message", acks_late=True, max_retries=3)
def send_outbox_message(message_id: int) -> bool:
    return outbox.deliver(message_id)


@shared_task(name="network.sweep_outbox", acks_late=True)
def sweep_outbox() -> int:
    return outbox.sweep()


@shared_task(name="network.expire_invitations")
def expire_invitations() -> int:
    return services.invitations_expire()
