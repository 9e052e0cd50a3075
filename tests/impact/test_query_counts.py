"""N+1 tests: each impact page costs the same number of queries with one row as with
several (surveys, invitations, questions, answers, claims, evidence)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.impact.helpers import answer, survey_of_every_kind

pytestmark = pytest.mark.django_db


def _answered_survey(world, n):
    survey, questions = survey_of_every_kind(world.network)
    event = f.EventFactory(network=world.network, hub=world.hub)
    invitations = [f.invitation(survey, f.PersonFactory(academy=world.academy_a), event=event) for _ in range(n)]
    for i, invitation in enumerate(invitations):
        answer(
            invitation,
            {
                questions["likert"]: 1 + i % 5,
                questions["single"]: "All",
                questions["multiple"]: ["Talk"],
                questions["number"]: i,
                questions["long"]: f"Answer {i}",
            },
        )
    return survey, questions, event


def test_survey_list(world, assert_no_n_plus_one):
    f.SurveyFactory(network=world.network)

    def grow():
        for _ in range(3):
            s, _ = survey_of_every_kind(world.network)
            f.invitation(s, f.PersonFactory())

    assert_no_n_plus_one(reverse("impact:survey_list"), grow, user=world.coordinator)


@pytest.mark.parametrize("role", ["coordinator", "executive_a"])
def test_results_page(world, assert_no_n_plus_one, role):
    survey, questions, event = _answered_survey(world, 5)

    def grow():
        for i in range(6):
            invitation = f.invitation(survey, f.PersonFactory(academy=world.academy_a), event=event)
            answer(invitation, {questions["likert"]: 3, questions["single"]: "Some", questions["long"]: f"More {i}"})
        f.question(survey, "A new question", "likert")

    assert_no_n_plus_one(reverse("impact:survey_results", args=[survey.pk]), grow, user=getattr(world, role))


def test_pre_post_results_page(world, assert_no_n_plus_one):
    from impact.surveys.services.building import survey_create, survey_open

    post = survey_create(network=world.network, starter="pre_post", title="P", by=world.coordinator)
    for s in (post.pair, post):
        survey_open(survey=s, by=world.coordinator)

    def both(person):
        for s in (post.pair, post):
            values = dict.fromkeys(s.questions.filter(kind="likert"), 3) | {s.questions.get(kind="number"): 1}
            answer(f.invitation(s, person), values)

    both(world.person_a)
    assert_no_n_plus_one(
        reverse("impact:survey_results", args=[post.pk]),
        lambda: [both(f.PersonFactory(academy=world.academy_a)) for _ in range(3)],
        user=world.coordinator,
    )


def test_builder_and_dispatch(world, assert_no_n_plus_one):
    survey, questions, event = _answered_survey(world, 1)

    def grow():
        for i in range(3):
            f.question(survey, f"Q{i}", "single", choices=["a", "b"])
            f.invitation(survey, f.PersonFactory(), event=f.EventFactory(network=world.network))

    assert_no_n_plus_one(reverse("impact:survey_builder", args=[survey.pk]), grow, user=world.coordinator)
    assert_no_n_plus_one(reverse("impact:survey_dispatch", args=[survey.pk]), grow, user=world.coordinator)


def test_my_surveys_and_the_home_page(world, assert_no_n_plus_one):
    survey, _ = survey_of_every_kind(world.network)
    f.invitation(survey, world.person_a, event=f.EventFactory(network=world.network))

    def grow():
        for _ in range(3):
            s, _ = survey_of_every_kind(world.network)
            f.invitation(s, world.person_a, event=f.EventFactory(network=world.network))

    assert_no_n_plus_one(reverse("impact:my_surveys"), grow, user=world.leader_a)
    assert_no_n_plus_one(reverse("network:home"), grow, user=world.leader_a)


@pytest.mark.parametrize("role", ["coordinator", "executive_a", "leader_a"])
def test_evidence_log_and_claim(world, assert_no_n_plus_one, role):
    claim = f.ClaimFactory(academy=world.academy_a)
    f.EvidenceItemFactory(claim=claim)

    def grow():
        for source in ("lesson_observation", "work_scrutiny", "pupil_voice"):
            f.EvidenceItemFactory(claim=claim, source_type=source)
            f.EvidenceItemFactory(claim=f.ClaimFactory(academy=world.academy_a, hub=world.hub, initiative_kind="hub"))

    user = getattr(world, role)
    assert_no_n_plus_one(reverse("impact:evidence_log"), grow, user=user)
    assert_no_n_plus_one(reverse("impact:claim_detail", args=[claim.pk]), grow, user=user)


def test_the_dashboards_survey_and_evidence_panels_cost_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    from impact.dashboards.survey_evidence import evidence_figures, survey_figures

    today = timezone.localdate()
    start = today - datetime.timedelta(days=30)
    for n in (1, 6):
        _answered_survey(world, n)
        for source in ("teacher_voice", "lesson_observation", "work_scrutiny"):
            f.EvidenceItemFactory(claim=f.ClaimFactory(academy=world.academy_a), source_type=source, observed_on=today)
        with django_assert_max_num_queries(3):
            surveys = survey_figures(network=world.network, starts_on=start, ends_on=today)
        with django_assert_max_num_queries(2):
            evidence = evidence_figures(network=world.network, starts_on=start, ends_on=today)
    assert surveys["sent"] == surveys["responses"] == 7
    assert evidence["by_confidence"]["Anecdotal"] == 6
