"""The demo's surveys and evidence (network/demo/surveys.py): past events' evaluations
answered with some non-responders, a 3-month follow-up with contribution answers, a
before/after pair with change scores, claims at every confidence level, an open survey
on the demo leader's home page; a second run creates nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from impact.evidence.selectors import claims
from impact.models import Answer, Claim, EvidenceItem, Response, Survey, SurveyInvitation
from impact.surveys import selectors
from network.base.models import User

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts():
    return [m.objects.count() for m in (Survey, SurveyInvitation, Response, Answer, Claim, EvidenceItem)]


def test_the_demo_answers_surveys_and_keeps_an_evidence_log(client):
    output = _seed()
    assert "survey answers" in output and "evidence claims" in output
    coordinator = User.objects.get(email="coordinator@demo.network")
    evaluation = Survey.objects.get(builtin=True, kind="evaluation")
    invited = evaluation.invitations.count()
    answered = evaluation.invitations.filter(answered_at__isnull=False).count()
    assert 0.55 < answered / invited < 0.85  # realistic, with non-responders
    useful = evaluation.questions.get(key="impact")
    spread = dict(Answer.objects.filter(question=useful).values_list("number").annotate(n=Count("pk")))
    assert max(spread, key=spread.get) >= 4 and min(spread) <= 2  # leans high, with a tail

    follow_up = Survey.objects.get(builtin=True, kind="follow_up", follow_up_months=3)
    assert Answer.objects.filter(question__survey=follow_up, question__key="contribution").count() >= 5

    post = Survey.objects.get(kind="post")
    results = selectors.results(coordinator, post, selectors.Filters())
    assert results.changes and all(c.change.n >= 5 for c in results.changes)
    assert any(c.change.mean_change > 0 for c in results.changes)

    levels = {c.confidence.level for c in claims(coordinator)}
    assert levels == {"none", "anecdotal", "corroborated", "triangulated"}
    assert EvidenceItem.objects.filter(survey=evaluation).count() == 1

    leader = User.objects.get(email="leader@demo.network")
    client.force_login(leader)
    home = client.get(reverse("network:home")).content.decode()
    assert "Surveys waiting for you" in home and reverse("impact:my_surveys") in home
    assert selectors.my_open_invitations(leader)
    client.force_login(User.objects.get(email="ceo@demo.network"))
    assert client.get(reverse("impact:evidence_log")).status_code == 200

    before = _counts()
    assert "Nothing to create" in _seed()
    assert _counts() == before
