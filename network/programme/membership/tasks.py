"""The membership year's named tasks (found by Celery's autodiscovery, see network/celery.py)."""

from celery import shared_task

from network.programme.membership import review
from network.programme.membership import services as membership_services


@shared_task(name="network.sweep_annual_reviews", acks_late=True)
def sweep_annual_reviews() -> list[int]:
    """Run every annual review whose date has come and that has not run yet (once per
    network and year, whatever the number of workers; a missed day runs next time)."""
    return [run.pk for run in review.review_sweep()]


@shared_task(name="network.lapse_membership_invitations")
def lapse_membership_invitations() -> int:
    return membership_services.memberships_lapse()
