"""Thin, named sweeps for events. Each runs often, does what is due and is safe to run
twice or on two workers at once: every email has an outbox key per (booking, kind)."""

from celery import shared_task

from events.services import reminders, waitlist
from events.visits.services import reminders as visit_reminders


@shared_task(name="events.send_reminders", acks_late=True)
def send_reminders() -> int:
    return reminders.reminders_send()


@shared_task(name="events.expire_offers", acks_late=True)
def expire_offers() -> int:
    return waitlist.offers_expire()


@shared_task(name="events.expire_requests", acks_late=True)
def expire_requests() -> int:
    return waitlist.requests_expire()


@shared_task(name="events.mark_surveys_due", acks_late=True)
def mark_surveys_due() -> int:
    return reminders.surveys_mark_due()


# -- Visits (events/visits) ------------------------------------------------------------


@shared_task(name="events.sweep_visits", acks_late=True)
def sweep_visits() -> dict:
    """Visit reminders, joining links, reports and actions overdue (each sent once)."""
    return visit_reminders.visits_sweep()
