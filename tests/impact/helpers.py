"""Shared set-ups for the impact tests: a past event with attendees, a survey with one
question of each kind, answers given through the service."""

import datetime

from django.utils import timezone

from events.models import Attendance
from impact.models import Survey
from impact.surveys.services import answering
from tests import factories as f

# A fixed moment the tests freeze time at (passed as `now=`): a Tuesday in term.
T0 = timezone.make_aware(datetime.datetime(2026, 3, 10, 17, 0))


def past_event(network, *, ended_at=T0, **kwargs):
    return f.EventFactory(network=network, starts_at=ended_at - datetime.timedelta(hours=2), ends_at=ended_at, **kwargs)


def attendee(event, *, academy=None, attended=True, person=None):
    person = person or f.PersonFactory(**({"academy": academy} if academy else {}))
    booking = f.BookingFactory(event=event, person=person, confirmed_at=event.starts_at - datetime.timedelta(days=9))
    if attended is not None:
        Attendance.objects.create(booking=booking, attended=attended, source=Attendance.Source.REGISTER)
    return booking


def survey_of_every_kind(network=None, *, anonymous=True, kind="custom", **kwargs):
    survey = f.SurveyFactory(anonymous=anonymous, kind=kind, **({"network": network} if network else {}), **kwargs)
    questions = {
        "likert": f.question(survey, "How useful was {event}?", "likert", key="impact"),
        "single": f.question(survey, "How much did you attend?", "single", choices=["All", "Some"]),
        "multiple": f.question(survey, "Which parts?", "multiple", choices=["Talk", "Workshop", "Q&A"], required=False),
        "number": f.question(survey, "How many practicals?", "number", required=False),
        "short": f.question(survey, "One word for it", "short_text", required=False),
        "long": f.question(survey, "What will you do differently?", "long_text", required=False),
    }
    return survey, questions


def answer(invitation, values, now=None):
    """Submit `values` ({question: value}) through the service."""
    return answering.response_submit(invitation=invitation, values={q.pk: v for q, v in values.items()}, now=now)


def builtin(network, kind, months=None) -> Survey:
    lookup = {"network": network, "builtin": True, "kind": kind}
    if months:
        lookup["follow_up_months"] = months
    return Survey.objects.get(**lookup)
