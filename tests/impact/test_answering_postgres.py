"""On PostgreSQL: the same link submitted twice at once (two tabs, a double click on a
slow line) stores one response; many answers stored at once keep the rules."""

import threading

import pytest
from django.db import connection

from impact.models import Response, SurveyInvitation
from impact.surveys.services import answering
from tests import factories as f
from tests.impact.helpers import survey_of_every_kind

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_one_link_submitted_twice_at_once_stores_one_response(postgres):
    survey, questions = survey_of_every_kind(f.NetworkFactory())
    invitation = f.invitation(survey, f.PersonFactory(), event=f.EventFactory())
    values = {questions["likert"].pk: 4, questions["single"].pk: "All"}
    barrier, outcomes = threading.Barrier(2), []

    def submit():
        try:
            barrier.wait(timeout=30)
            answering.response_submit(invitation=invitation, values=values)
            outcomes.append("stored")
        except Exception as exc:  # noqa: BLE001 - the refusal is the expected outcome
            outcomes.append(getattr(exc, "code", repr(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["answered", "stored"]
    assert Response.objects.count() == 1


def test_many_answers_at_once_keep_the_group_rule(postgres):
    survey, questions = survey_of_every_kind(f.NetworkFactory())
    event = f.EventFactory()
    academy = f.AcademyFactory()
    invitations = [f.invitation(survey, f.PersonFactory(academy=academy), event=event) for _ in range(5)]
    lonely = f.invitation(survey, f.PersonFactory(), event=event)
    values = {questions["likert"].pk: 3, questions["single"].pk: "Some"}
    entries = [(i, values, None) for i in [*invitations, lonely]]
    entries = [(i, v, i.created_at) for i, v, _ in entries]
    assert answering.responses_import(entries=entries) == 6
    assert sorted(Response.objects.values_list("trust_id", flat=True), key=str) == sorted(
        [academy.trust_id] * 5 + [None], key=str
    )
    assert not SurveyInvitation.objects.filter(answered_at__isnull=True).exists()
