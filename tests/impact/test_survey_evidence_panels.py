"""The surveys and evidence panels of the report and the dashboards, from the hand-built
network (tests/impact/known_network.py) with answers and evidence whose figures are
known: the report says them, a trust's small group keeps its mean to itself."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from impact.dashboards import panels
from impact.dashboards.survey_evidence import evidence_figures, survey_figures
from impact.report.selectors import annual_report
from tests import factories as f
from tests.impact import known_network
from tests.impact.helpers import answer

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 6, 1)
START, END = datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def known():
    return known_network.build()


@pytest.fixture
def answered(known):
    """Six leaders of T1 (A1) invited in October 2024, five answer (usefulness 4, 4, 5, 3,
    4; the network's role 3, 2, 4, 5, 1); one leader of T2 (A3) invited, no answer; one
    leader of T1 invited and answering in 2023-24 (outside the year)."""
    survey = f.SurveyFactory(network=known.network, anonymous=True)
    useful = f.question(survey, "How useful was it?", key="impact")
    role = f.question(survey, "What role did the network play?", key="contribution")
    a1, a3 = known.academies["A1"], known.academies["A3"]
    october = _at(datetime.date(2024, 10, 10))
    t1 = [f.invitation(survey, f.PersonFactory(academy=a1), invited_at=october) for _ in range(6)]
    for invitation, (u, r) in zip(t1, [(4, 3), (4, 2), (5, 4), (3, 5), (4, 1)], strict=False):
        answer(invitation, {useful: u, role: r}, now=october + datetime.timedelta(days=3))
    f.invitation(survey, f.PersonFactory(academy=a3), invited_at=october)
    earlier = _at(datetime.date(2024, 2, 1))
    old = f.invitation(survey, f.PersonFactory(academy=a1), invited_at=earlier)
    answer(old, {useful: 1, role: 1}, now=earlier)
    return survey


def test_survey_figures_count_the_year_and_withhold_a_small_trust(known, answered):
    figures = survey_figures(network=known.network, starts_on=START, ends_on=END)
    t1, t2, _t3 = known.trusts
    assert (figures["sent"], figures["responses"], figures["response_rate"]) == (7, 5, Decimal("71"))
    assert (figures["mean_impact"], figures["impact_n"]) == (Decimal("4.00"), 5)
    assert figures["by_trust"][t1.pk]["sent"] == 6 and figures["by_trust"][t1.pk]["responses"] == 5
    assert figures["by_trust"][t2.pk] == {
        "sent": 1,
        "responses": 0,
        "mean_impact": None,
        "impact_n": 0,
        "response_rate": Decimal("0"),
    }
    assert figures["by_trust"][t1.pk]["response_rate"] == Decimal("83")  # 5 of 6
    assert figures["by_academy"][known.academies["A1"].pk] == {"sent": 6, "responses": 5}
    # 3 of the 5 said moderate (3) or more.
    assert any(line.startswith("60% of follow-up answers said the network played") for line in figures["headlines"])


def test_a_mean_from_fewer_than_five_answers_is_withheld(known):
    survey = f.SurveyFactory(network=known.network)
    useful = f.question(survey, "How useful was it?", key="impact")
    october = _at(datetime.date(2024, 10, 10))
    for _ in range(4):
        answer(f.invitation(survey, f.PersonFactory(academy=known.academies["A1"]), invited_at=october), {useful: 5})
    figures = survey_figures(network=known.network, starts_on=START, ends_on=datetime.date(2099, 1, 1))
    assert figures["impact_n"] == 4 and figures["mean_impact"] is None and figures["headlines"] == []


def test_evidence_figures_rate_claims_by_their_kinds_of_source_in_the_year(known):
    t1, _t2, t3 = known.trusts
    triangulated = f.ClaimFactory(academy=known.academies["A1"])
    for kind, day in [
        ("teacher_voice", (2024, 11, 1)),
        ("lesson_observation", (2024, 12, 1)),
        ("progress_data", (2025, 1, 9)),
    ]:
        f.EvidenceItemFactory(claim=triangulated, source_type=kind, observed_on=datetime.date(*day))
    f.EvidenceItemFactory(claim=f.ClaimFactory(academy=known.academies["A4"]), observed_on=datetime.date(2024, 9, 1))
    # Evidence from the year before only: not this year's claim.
    f.EvidenceItemFactory(claim=f.ClaimFactory(academy=known.academies["A3"]), observed_on=datetime.date(2023, 9, 1))
    # Gathered after the year's end: does not raise this year's rating.
    f.EvidenceItemFactory(claim=f.ClaimFactory(academy=known.academies["A2"]), observed_on=datetime.date(2025, 3, 1))
    late = f.ClaimFactory(academy=known.academies["A2"])
    f.EvidenceItemFactory(claim=late, observed_on=datetime.date(2025, 3, 1))
    f.EvidenceItemFactory(claim=late, source_type="pupil_voice", observed_on=datetime.date(2025, 5, 1))
    figures = evidence_figures(network=known.network, starts_on=START, ends_on=END)
    assert figures["by_confidence"] == {"No evidence yet": 0, "Anecdotal": 3, "Corroborated": 0, "Triangulated": 1}
    assert figures["by_trust"][t1.pk]["Triangulated"] == 1 and figures["by_trust"][t1.pk]["Anecdotal"] == 2
    assert figures["by_trust"][t3.pk]["Anecdotal"] == 1


def test_the_report_shows_surveys_and_evidence_when_they_exist(known, answered):
    f.EvidenceItemFactory(claim=f.ClaimFactory(academy=known.academies["A1"]), observed_on=datetime.date(2024, 9, 1))
    report = annual_report(known.network, known_network.YEAR, today=TODAY)
    surveys = report["figures"]["surveys"]
    assert (surveys["sent"], surveys["responses"], surveys["mean_impact"]) == (7, 5, Decimal("4.00"))
    assert report["figures"]["evidence_by_confidence"]["Anecdotal"] == 1
    assert "surveys" not in report["not_available"] and "evidence" not in report["not_available"]


def test_the_panels_reach_the_selectors_they_name():
    for name in ("visits", "surveys", "evidence", "grants"):
        assert panels.source(name) is not None, name


def test_grants_reach_the_report_with_their_headline(known):
    from network.programme.grants.models import GrantBid, GrantRound

    rnd = GrantRound.objects.create(
        network=known.network,
        name="Innovation grants 2024",
        budget=Decimal("5000"),
        opens_on=datetime.date(2024, 5, 1),
        closes_on=datetime.date(2024, 6, 30),
    )
    for academy, status, amount in [("A1", "awarded", "800"), ("A3", "awarded", "1000"), ("A4", "declined", None)]:
        a = known.academies[academy]
        GrantBid.objects.create(
            round=rnd,
            academy=a,
            trust=a.trust,
            lead=f.PersonFactory(academy=a),
            title=f"Bid of {academy}",
            status=status,
            amount_awarded=Decimal(amount) if amount else None,
        )
    report = annual_report(known.network, known_network.YEAR, today=TODAY)
    assert report["figures"]["grants"] == {
        "submitted": 3,
        "awarded": 2,
        "awarded_total": Decimal("1800.00"),
        "trusts": 2,
        "outcomes_published": 0,
    }
    assert "2 innovation grants were awarded (£1,800.00) to academies in 2 trusts" in report["headlines"]
