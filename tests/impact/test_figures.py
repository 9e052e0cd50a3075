"""`impact.figures.impact_figures`, the selector the dashboards call: response rate,
mean impact and contribution scores with n, claims by confidence; small numbers
suppressed for anyone but a coordinator; another trust's figures never included."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from impact.figures import impact_figures
from tests import factories as f
from tests.impact.helpers import answer

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 20)


@pytest.fixture
def world_with_figures(world):
    survey = f.SurveyFactory(network=world.network, anonymous=False)
    impact = f.question(survey, "Useful?", key="impact")
    contribution = f.question(survey, "Network's role?", key="contribution", required=False)
    now = timezone.make_aware(datetime.datetime(2026, 3, 10, 12))
    for academy, scores in ((world.academy_a, [5, 4, 4]), (world.academy_b, [1, 2, 2, 2, 3])):
        invitations = [f.invitation(survey, f.PersonFactory(academy=academy), created_at=now) for _ in scores]
        for invitation, score in zip(invitations, scores, strict=True):
            answer(invitation, {impact: score, contribution: score}, now=now)
    f.invitation(survey, f.PersonFactory(academy=world.academy_a), created_at=now)  # not answered
    levels = {
        "anecdotal": ["teacher_voice"],
        "corroborated": ["teacher_voice", "pupil_voice"],
        "triangulated": ["teacher_voice", "pupil_voice", "progress_data"],
    }
    for level, sources in levels.items():
        claim = f.ClaimFactory(academy=world.academy_a, statement=level)
        for source in sources:
            f.EvidenceItemFactory(claim=claim, source_type=source, observed_on=datetime.date(2026, 3, 1))
    f.EvidenceItemFactory(claim=f.ClaimFactory(academy=world.academy_b), observed_on=datetime.date(2026, 3, 1))
    return world


def test_the_network_for_a_coordinator(world_with_figures):
    w = world_with_figures
    figures = impact_figures(w.coordinator, start=datetime.date(2026, 3, 1), end=TODAY)
    assert (figures.invited, figures.answered, figures.response_rate) == (9, 8, "89%")
    assert (figures.impact.mean, figures.impact.n) == (Decimal("2.88"), 8)
    assert figures.contribution.n == 8
    assert figures.evidence == {"none": 0, "anecdotal": 2, "corroborated": 1, "triangulated": 1}


def test_one_trust_for_its_executive_suppressed_under_five(world_with_figures):
    w = world_with_figures
    figures = impact_figures(w.executive_a, trust=w.trust_a, start=datetime.date(2026, 3, 1), end=TODAY)
    assert figures.answered == 3
    assert figures.response_rate == "fewer than 5 answers"
    assert (figures.impact.mean, figures.impact.suppressed, str(figures.impact)) == (None, True, "fewer than 5 answers")
    assert figures.evidence == {"none": 0, "anecdotal": 1, "corroborated": 1, "triangulated": 1}
    # Asking for another trust gives nothing: the door decides, not the argument.
    other = impact_figures(w.executive_a, trust=w.trust_b, start=datetime.date(2026, 3, 1), end=TODAY)
    assert (other.invited, other.impact.n, sum(other.evidence.values())) == (0, 0, 0)


def test_dates_outside_the_range_do_not_count(world_with_figures):
    w = world_with_figures
    figures = impact_figures(w.coordinator, start=datetime.date(2026, 4, 1), end=datetime.date(2026, 6, 30))
    assert (figures.invited, figures.impact.n, sum(figures.evidence.values())) == (0, 0, 0)
