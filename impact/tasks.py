"""Thin, named sweeps of the impact room. Safe to run twice or on two workers at once:
invitations are unique per (survey, person, event) and every email has an outbox key
per invitation and kind."""

from celery import shared_task

from impact.surveys.services import dispatch


@shared_task(name="impact.sweep_surveys", acks_late=True)
def sweep_surveys() -> dict:
    return dispatch.surveys_sweep()
