"""Answering from the emailed link (no sign-in) and from the home page: answers saved
as the person goes (htmx, or the no-JavaScript button) and resumed; a bad, reused,
expired or closed link answers a clear page (410), never a 500."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from impact.models import Answer, Response, SurveyInvitation
from tests import factories as f
from tests.impact.helpers import survey_of_every_kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    survey, questions = survey_of_every_kind(world.network)
    event = f.EventFactory(network=world.network, title="Forces in KS3")
    invitation = f.invitation(survey, world.person_a, event=event)
    return survey, questions, invitation


def link(invitation):
    return reverse("impact:answer_by_link", args=[invitation.token])


def post(questions, **values):
    data = {"action": values.pop("action", "submit")}
    for name, value in values.items():
        data[f"q{questions[name].pk}"] = value
    return data


def test_the_link_opens_the_survey_without_signing_in(client, setup):
    survey, questions, invitation = setup
    response = client.get(link(invitation))
    assert response.status_code == 200
    assert "How useful was “Forces in KS3”?" in response.content.decode()
    assert "anonymous" in response.content.decode()


@pytest.mark.parametrize(
    "token", ["not-a-real-token", "abc.def", "", "x" * 300], ids=["made-up", "forged", "empty", "long"]
)
def test_a_bad_link_answers_a_clear_page(client, setup, token):
    response = client.get(f"/impact/s/{token}/" if token else "/impact/s/./")
    assert response.status_code in (404, 410)
    if response.status_code == 410:
        assert "not valid" in response.content.decode()


def test_a_tampered_signature_is_refused(client, setup):
    _, _, invitation = setup
    nonce, signature = invitation.token.rsplit(".", 1)
    response = client.get(reverse("impact:answer_by_link", args=[f"{nonce}.{signature[::-1]}"]))
    assert response.status_code == 410
    assert "This survey link is not valid" in response.content.decode()


def test_submitting_answers_and_reusing_the_link(client, setup):
    survey, questions, invitation = setup
    data = post(questions, likert="4", single="All", multiple=["Talk", "Q&A"], number="3", short="Useful")
    data[f"q{questions['long'].pk}"] = "Let pupils plan the method"
    response = client.post(link(invitation), data)
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    answers = {a.question_id: a for a in Answer.objects.all()}
    assert answers[questions["likert"].pk].number == 4
    assert answers[questions["multiple"].pk].choices == ["Talk", "Q&A"]
    assert answers[questions["long"].pk].text == "Let pupils plan the method"
    again = client.get(link(invitation))
    assert again.status_code == 410
    assert "already answered" in again.content.decode()
    # A second submission (the back button) stores nothing more.
    assert client.post(link(invitation), data).status_code == 410
    assert Response.objects.count() == 1


def test_a_required_answer_missing_keeps_what_was_given(client, setup):
    survey, questions, invitation = setup
    response = client.post(link(invitation), post(questions, single="Some"))
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.draft == {str(questions["single"].pk): "Some"}
    assert Response.objects.count() == 0


def test_answers_are_saved_as_the_person_goes_and_resume(client, setup):
    survey, questions, invitation = setup
    # htmx posts the form on every change: it answers a status line, and keeps the draft.
    response = client.post(
        link(invitation), post(questions, action="autosave", likert="5", number="not a number"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.content.decode().startswith("Saved at")
    invitation.refresh_from_db()
    assert invitation.draft == {str(questions["likert"].pk): 5}  # the invalid number is left out
    assert invitation.started_at is not None
    # Later (any device): the link shows the saved answer.
    page = client.get(link(invitation)).content.decode()
    assert f'name="q{questions["likert"].pk}" value="5"' in page and "checked" in page
    assert "Your earlier answers are filled in" in page


def test_the_no_javascript_button_saves_and_comes_back(client, setup):
    survey, questions, invitation = setup
    response = client.post(link(invitation), post(questions, action="save", single="Some"))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.draft == {str(questions["single"].pk): "Some"}
    assert invitation.answered_at is None


def test_an_expired_or_closed_link_says_so(client, setup):
    survey, questions, invitation = setup
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    response = client.get(link(invitation))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    invitation.expires_at = timezone.now() + timedelta(days=1)
    invitation.save()
    survey.status = "closed"
    survey.save()
    response = client.get(link(invitation))
    assert response.status_code == 410
    assert "closed" in response.content.decode()


def test_signed_in_people_answer_from_their_surveys(client, setup, world):
    survey, questions, invitation = setup
    client.force_login(world.leader_a)
    home = client.get(reverse("network:home")).content.decode()
    assert reverse("impact:answer_mine", args=[invitation.pk]) in home
    mine = client.get(reverse("impact:my_surveys")).content.decode()
    assert survey.title in mine
    response = client.post(
        reverse("impact:answer_mine", args=[invitation.pk]), post(questions, likert="3", single="All")
    )
    assert response.status_code == 200
    assert SurveyInvitation.objects.get(pk=invitation.pk).answered_at is not None
    assert (
        reverse("impact:answer_mine", args=[invitation.pk]) not in client.get(reverse("network:home")).content.decode()
    )


def test_someone_elses_invitation_is_not_found(client, setup, world):
    survey, questions, _ = setup
    theirs = f.invitation(survey, world.person_b)
    client.force_login(world.leader_a)
    assert client.get(reverse("impact:answer_mine", args=[theirs.pk])).status_code == 404
