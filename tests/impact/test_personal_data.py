"""What the impact room gives a person's "Download my data", and what erasure does here:
invitations (and a named survey's answers) are theirs; anonymous answers name nobody,
so they are neither exported nor erased; half-finished answers are erased."""

import pytest
from django.utils import timezone

from network.base.personal_data import personal_data_for
from network.base.privacy.erasure import person_erase
from tests import factories as f
from tests.impact.helpers import answer, survey_of_every_kind

pytestmark = pytest.mark.django_db


def test_export_and_erasure(world):
    named, named_questions = survey_of_every_kind(world.network, anonymous=False)
    anonymous, anonymous_questions = survey_of_every_kind(world.network)
    answer(f.invitation(named, world.person_a), {named_questions["likert"]: 4, named_questions["single"]: "All"})
    answer(
        f.invitation(anonymous, world.person_a),
        {anonymous_questions["likert"]: 2, anonymous_questions["single"]: "Some"},
    )
    half = f.invitation(f.SurveyFactory(network=world.network), world.person_a, draft={"1": 3})

    surveys = {row["survey"]: row for row in personal_data_for(world.leader_a).as_json()["surveys"]}
    assert [a["answer"] for a in surveys[named.title]["answers"]] == [4, "All"]
    assert surveys[anonymous.title]["answers"] is None and surveys[anonymous.title]["answered_at"]
    assert surveys[half.survey.title]["answers_saved_so_far"] == {"1": 3}

    person_erase(person=world.person_a, by=world.coordinator)
    half.refresh_from_db()
    assert half.draft == {} and half.expires_at <= timezone.now()
