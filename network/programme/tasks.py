"""Thin named tasks of the network programme's sweeps (grants, roles, the radar), run by
Celery beat (network/celery.py). Each is safe to run twice."""

from celery import shared_task

from network.programme.grants.services.reports import report_reminders
from network.programme.radar.services import send_radar_issues  # noqa: F401  (registers the task)
from network.programme.roles.services import role_review_reminders


@shared_task(name="network.send_grant_report_reminders", acks_late=True)
def send_grant_report_reminders() -> int:
    return report_reminders()


@shared_task(name="network.send_role_review_reminders", acks_late=True)
def send_role_review_reminders() -> int:
    return role_review_reminders()
