"""The survey builder: templates per network, sections and questions, reordering, a
preview; anonymity fixed once open; a question with answers is never deleted (archive),
nor its kind changed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from impact.models import Question, Survey
from impact.surveys.services import building
from impact.surveys.services.dispatch import surveys_sweep
from network.base.rules import NotAllowed
from tests import factories as f
from tests.impact.helpers import T0, answer, survey_of_every_kind

pytestmark = pytest.mark.django_db


def test_each_network_gets_its_builtin_evaluation_and_follow_ups_once(world):
    surveys_sweep(now=T0)
    surveys_sweep(now=T0)
    builtins = Survey.objects.filter(network=world.network, builtin=True)
    assert sorted((s.kind, s.follow_up_months) for s in builtins) == [
        ("evaluation", None),
        ("follow_up", 3),
        ("follow_up", 12),
    ]
    assert all(s.is_open for s in builtins)
    follow_up = builtins.get(follow_up_months=3)
    texts = list(follow_up.questions.values_list("text", flat=True))
    assert texts[:2] == [
        "What have you changed in your practice since {event}?",
        "What role did the network play in supporting this change?",
    ]
    contribution = follow_up.questions.get(key="contribution")
    assert contribution.labels() == ["None", "Small", "Moderate", "Large", "Essential"]
    assert follow_up.questions.filter(key="example").exists()


def test_a_pre_post_pair_is_two_named_surveys_with_the_same_questions(world):
    post = building.survey_create(network=world.network, starter="pre_post", title="Physics", by=world.coordinator)
    pre = post.pair
    assert (pre.kind, post.kind, pre.anonymous, post.anonymous) == ("pre", "post", False, False)
    assert list(pre.questions.values_list("key", "text")) == list(post.questions.values_list("key", "text"))
    with pytest.raises(ValidationError):
        building.survey_update(
            survey=post, title="x", introduction="", anonymous=True, closes_at=None, by=world.coordinator
        )


def test_only_coordinators_build(world):
    with pytest.raises(NotAllowed):
        building.survey_create(network=world.network, starter="annual", title="", by=world.executive_a)


def test_anonymity_is_fixed_once_the_survey_opens(world):
    survey = building.survey_create(network=world.network, starter="blank", title="Lab safety", by=world.coordinator)
    f.question(survey)
    building.survey_update(
        survey=survey, title="Lab safety", introduction="", anonymous=False, closes_at=None, by=world.coordinator
    )
    building.survey_open(survey=survey, by=world.coordinator)
    with pytest.raises(ValidationError, match="fixed once the survey has opened"):
        building.survey_update(
            survey=survey, title="Lab safety", introduction="", anonymous=True, closes_at=None, by=world.coordinator
        )
    survey.refresh_from_db()
    assert survey.anonymous is False


def test_the_builder_refuses_to_drop_a_question_that_has_answers(world, client):
    # Named, so the coordinator sees a single answer in the results.
    survey, questions = survey_of_every_kind(world.network, anonymous=False)
    answer(f.invitation(survey, world.person_a), {questions["likert"]: 5, questions["single"]: "All"})
    with pytest.raises(ValidationError, match="archive it instead"):
        building.question_delete(question=questions["likert"], by=world.coordinator)
    client.force_login(world.coordinator)
    response = client.post(reverse("impact:question_delete", args=[questions["likert"].pk]), follow=True)
    assert "cannot be deleted: archive it instead" in response.content.decode()
    assert Question.objects.filter(pk=questions["likert"].pk).exists()
    # A question nobody answered goes.
    client.post(reverse("impact:question_delete", args=[questions["number"].pk]))
    assert not Question.objects.filter(pk=questions["number"].pk).exists()
    # Archiving stops asking it; its answers stay in the results.
    client.post(reverse("impact:question_archive", args=[questions["likert"].pk]), {"archived": "1"})
    questions["likert"].refresh_from_db()
    assert questions["likert"].is_archived
    link = reverse("impact:answer_by_link", args=[f.invitation(survey, world.person_b).token])
    assert "How useful was" not in client.get(link).content.decode()
    results = client.get(reverse("impact:survey_results", args=[survey.pk])).content.decode()
    assert "How useful was" in results and "archived" in results


def test_a_question_with_answers_keeps_its_kind_and_options(world):
    survey, questions = survey_of_every_kind(world.network, anonymous=False)
    answer(f.invitation(survey, world.person_a), {questions["likert"]: 5, questions["single"]: "All"})
    single = questions["single"]
    data = dict(
        text="How much of it did you attend?",
        help_text="",
        kind="single",
        required=True,
        choices=["All", "Some"],
        scale_labels=[],
        key="",
    )
    building.question_update(question=single, section=single.section, by=world.coordinator, **data)
    single.refresh_from_db()
    assert single.text == "How much of it did you attend?"  # wording may be polished
    with pytest.raises(ValidationError, match="kind and options are fixed"):
        building.question_update(
            question=single, section=single.section, by=world.coordinator, **{**data, "choices": ["All", "None"]}
        )


def test_reordering_questions_and_sections(world, client):
    survey, questions = survey_of_every_kind(world.network)
    client.force_login(world.coordinator)
    client.post(reverse("impact:question_move", args=[questions["single"].pk]), {"direction": "up"})
    order = list(survey.questions.order_by("position").values_list("pk", flat=True))
    assert order[:2] == [questions["single"].pk, questions["likert"].pk]
    client.post(reverse("impact:section_add", args=[survey.pk]), {"title": "About you"})
    second = survey.sections.get(title="About you")
    client.post(reverse("impact:section_move", args=[second.pk]), {"direction": "up"})
    assert list(survey.sections.order_by("position").values_list("title", flat=True)) == ["About you", "Questions"]


def test_building_a_survey_in_the_browser(world, client):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("impact:survey_create"),
        {"network": world.network.pk, "starter": "blank", "title": "Technicians' survey"},
    )
    survey = Survey.objects.get(title="Technicians' survey")
    assert response["Location"] == reverse("impact:survey_builder", args=[survey.pk])
    section = survey.sections.get()
    response = client.post(
        reverse("impact:question_add", args=[survey.pk]),
        {
            "text": "Which kit do you lack?",
            "kind": "multiple",
            "section": section.pk,
            "required": "on",
            "choices": "Balances\nData loggers\n",
        },
    )
    assert response.status_code == 302
    q = survey.questions.get()
    assert q.choices == ["Balances", "Data loggers"]
    bad = client.post(
        reverse("impact:question_add", args=[survey.pk]),
        {"text": "Pick one", "kind": "single", "section": section.pk, "choices": "Only"},
    )
    assert "at least two options" in bad.content.decode()
    assert "Which kit do you lack?" in client.get(reverse("impact:survey_preview", args=[survey.pk])).content.decode()
    assert "Which kit do you lack?" in client.get(reverse("impact:survey_builder", args=[survey.pk])).content.decode()
    client.post(reverse("impact:survey_status", args=[survey.pk]), {"action": "open"})
    survey.refresh_from_db()
    assert survey.is_open
