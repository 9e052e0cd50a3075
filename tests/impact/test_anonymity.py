"""Anonymity is real: an anonymous survey's answers cannot be joined to a person.

Schema level: the columns of the response and answer tables, read from the database
itself, lead nowhere but to the survey, its questions, the event and the trust (no
person, booking, login or invitation); their primary keys are random, not sequential;
they hold no time finer than a month. The one table that points at a response with a
person (the invitation, for named surveys) is barred from doing so for an anonymous
survey by a check constraint. Data level: after answering, nothing ties the answers to
the person who gave them."""

import uuid

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from impact.models import Answer, Response, SurveyInvitation
from tests import factories as f
from tests.impact.helpers import T0, answer, survey_of_every_kind

pytestmark = pytest.mark.django_db

ALLOWED = {
    "impact_response": {"impact_survey", "events_event", "trusts_trust"},
    "impact_answer": {"impact_response", "impact_question"},
}


def _table_relations(table: str) -> set[str]:
    with connection.cursor() as cursor:
        relations = connection.introspection.get_relations(cursor, table)
    return {target_table for _column, (_target_column, target_table) in relations.items()}


@pytest.mark.parametrize("table", sorted(ALLOWED))
def test_answer_tables_reference_no_person_booking_login_or_invitation(table):
    assert _table_relations(table) == ALLOWED[table]


def test_no_forward_path_from_an_answer_reaches_the_respondent():
    """Walk every foreign key forward from Answer, to any depth: no path passes through
    an invitation, a booking or an attendance, the only tables that name who was asked
    (a person reached further on is someone else: who built the survey or the event)."""
    seen, frontier = set(), [(Answer, ())]
    paths = []
    while frontier:
        model, path = frontier.pop()
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.ForeignKey):
                continue
            target = field.related_model
            step = (*path, f"{model._meta.label}.{field.name}")
            paths.append((target._meta.label, step))
            if target not in seen:
                seen.add(target)
                frontier.append((target, step))
    reached = {label for label, _step in paths}
    assert not reached & {"impact.SurveyInvitation", "events.Booking", "events.Attendance"}
    response_fields = {f.name for f in Response._meta.concrete_fields}
    assert response_fields == {"id", "survey", "event", "trust", "month"}
    assert {f.name for f in Answer._meta.concrete_fields} == {"id", "response", "question", "number", "text", "choices"}


def test_answers_have_random_keys_and_no_time_finer_than_a_month():
    for model in (Response, Answer):
        assert isinstance(model._meta.pk, models.UUIDField)
        assert not any(isinstance(f, models.DateTimeField) for f in model._meta.concrete_fields)


def test_only_the_invitation_points_at_a_response_and_not_for_an_anonymous_survey(world):
    pointing = sorted(
        (m._meta.label, f.name)
        for m in apps.get_models()
        for f in m._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is Response
    )
    assert pointing == [("impact.Answer", "response"), ("impact.SurveyInvitation", "response")]
    survey, questions = survey_of_every_kind(world.network)
    invitation = f.invitation(survey, world.person_a)
    response = Response.objects.create(survey=survey, month=T0.date().replace(day=1))
    invitation.response = response
    with pytest.raises(IntegrityError), transaction.atomic():
        invitation.save()


def test_after_answering_nothing_ties_the_answers_to_the_person(world):
    survey, questions = survey_of_every_kind(world.network)
    people = [f.PersonFactory(academy=world.academy_a) for _ in range(3)]
    invitations = [f.invitation(survey, p) for p in people]
    for invitation, score in zip(invitations, (2, 4, 5), strict=True):
        invitation.draft = {str(questions["likert"].pk): 1}  # a half-finished answer first
        invitation.save()
        answer(
            invitation, {questions["likert"]: score, questions["single"]: "All", questions["long"]: "More practicals"}
        )
    for invitation in SurveyInvitation.objects.filter(survey=survey):
        assert invitation.answered_at is not None
        assert invitation.response_id is None
        assert invitation.draft == {}
    response_ids = {str(r) for r in Response.objects.values_list("id", flat=True)}
    assert len(response_ids) == 3
    # No row of any other table holds a response's id.
    for model in apps.get_models():
        if model in (Response, Answer):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.UUIDField | models.CharField | models.TextField | models.JSONField):
                for value in model.objects.values_list(field.attname, flat=True):
                    assert str(value) not in response_ids, f"{model._meta.label}.{field.name}"
    # Three people from one trust is a group of fewer than 5: the trust is not stored.
    assert set(Response.objects.values_list("trust", flat=True)) == {None}
    assert all(isinstance(pk, uuid.UUID) for pk in Answer.objects.values_list("id", flat=True))


def test_the_trust_is_kept_only_for_groups_of_five_or_more(world):
    survey, questions = survey_of_every_kind(world.network)
    event = f.EventFactory(network=world.network)
    small = [f.invitation(survey, f.PersonFactory(academy=world.academy_b), event=event) for _ in range(4)]
    large = [f.invitation(survey, f.PersonFactory(academy=world.academy_a), event=event) for _ in range(5)]
    values = {questions["likert"]: 4, questions["single"]: "All"}
    answer(small[0], values)
    answer(large[0], values)
    assert sorted(Response.objects.values_list("trust", flat=True), key=str) == sorted(
        [None, world.trust_a.pk], key=str
    )


def test_a_named_survey_keeps_the_person_through_the_invitation(world):
    survey, questions = survey_of_every_kind(world.network, anonymous=False)
    invitation = f.invitation(survey, world.person_a)
    response = answer(invitation, {questions["likert"]: 3, questions["single"]: "Some"})
    invitation.refresh_from_db()
    assert invitation.response == response
    assert response.trust == world.trust_a  # named: the trust is the person's
