"""Years without Progress 8 (the DfE published none for 2024-25 and 2025-26): the
policy's fallback measure, the window of years it gives, and the reasons that say which
measure and which years were used, through the pure function and the review."""

import datetime
from decimal import Decimal

import pytest

from network.programme.membership import eligibility
from network.programme.membership.eligibility import Facts, InspectionFact, PerformanceFact, Rules
from network.programme.membership.measures import performance_window
from network.programme.membership.models import ReviewProposal
from network.programme.membership.review import review_run
from tests import factories as f

P8_YEARS = ("2021-22", "2022-23", "2023-24")
A8_YEARS = ("2021-22", "2022-23", "2023-24", "2024-25", "2025-26")


@pytest.mark.parametrize(
    ("fallback", "up_to", "years", "measures", "passed_over"),
    [
        ("none", "2025-26", ("2023-24", "2022-23", "2021-22"), "ppp", ("2025-26", "2024-25")),
        ("attainment8", "2025-26", ("2025-26", "2024-25", "2023-24"), "aap", ()),
        ("attainment8", "2024-25", ("2024-25", "2023-24", "2022-23"), "app", ()),
        ("none", "2023-24", ("2023-24", "2022-23", "2021-22"), "ppp", ()),  # nothing newer to pass over
        ("attainment8", "2023-24", ("2023-24", "2022-23", "2021-22"), "ppp", ()),  # Progress 8 wherever it exists
    ],
)
def test_performance_window(fallback, up_to, years, measures, passed_over):
    got_years, got_measures, got_passed = performance_window(
        progress8_years=P8_YEARS, attainment8_years=A8_YEARS, up_to=up_to, count=3, fallback=fallback
    )
    assert got_years == years
    assert "".join(got_measures[y][0] for y in got_years) == measures
    assert got_passed == passed_over


GOOD = (InspectionFact(date=datetime.date(2023, 3, 14), grade=2),)


def result(year, p8=None, a8=None, *, p8_code="", a8_code=""):
    return PerformanceFact(
        year=year,
        progress8=Decimal("0.4") if p8 is not None else None,
        percentile=Decimal(p8) if p8 is not None else None,
        suppressed=p8_code,
        attainment8=Decimal("55.2") if a8 is not None else None,
        attainment8_percentile=Decimal(a8) if a8 is not None else None,
        attainment8_suppressed=a8_code,
    )


def mixed_facts(performance, **kwargs):
    return Facts(
        inspections=GOOD,
        performance=tuple(performance),
        window=("2024-25", "2023-24", "2022-23"),
        measures={"2024-25": "attainment8", "2023-24": "progress8", "2022-23": "progress8"},
        **kwargs,
    )


def test_a_year_without_progress8_is_judged_on_attainment8_and_said_so():
    facts = mixed_facts([result("2024-25", a8=80), result("2023-24", p8=60, a8=95), result("2022-23", p8=85)])
    assessment = eligibility.assess(Rules(fallback_measure="attainment8"), facts)

    assert assessment.outcome == "renew", assessment.reasons
    assert assessment.reasons[1] == (
        "Progress 8 or Attainment 8 at or above the 75th percentile in 2 of 3 years with a score (2024-25: Attainment "
        "8 55.2, 80th percentile, 2023-24: Progress 8 +0.4, 60th percentile, 2022-23: Progress 8 +0.4, 85th "
        "percentile); the policy needs 2 of the last 3: meets it."
    )
    assert assessment.reasons[2] == (
        "Measure used: the Progress 8 national percentile for 2023-24 and 2022-23; the Attainment 8 national "
        "percentile for 2024-25, a year without Progress 8 (the policy's fallback measure)."
    )
    assert [(p["year"], p["measure"]) for p in assessment.evidence["performance"]] == [
        ("2024-25", "attainment8"),
        ("2023-24", "progress8"),
        ("2022-23", "progress8"),
    ]


def test_a_schools_suppressed_progress8_is_not_swapped_for_its_attainment8():
    # 2023-24 has Progress 8 nationally: the school's own SUPP stays "no score" even
    # though its Attainment 8 percentile that year is high.
    facts = mixed_facts([result("2024-25", a8=80), result("2023-24", a8=99, p8_code="SUPP"), result("2022-23", p8=60)])
    assessment = eligibility.assess(Rules(fallback_measure="attainment8"), facts)
    assert assessment.outcome == "not_eligible", assessment.reasons
    assert "2023-24: no score (SUPP)" in assessment.reasons[1]


def test_the_newest_years_measure_decides_at_risk():
    facts = mixed_facts([result("2024-25", p8=90, a8=50), result("2023-24", p8=90), result("2022-23", p8=90)])
    assessment = eligibility.assess(Rules(fallback_measure="attainment8"), facts)
    assert assessment.outcome == "at_risk"  # 2024-25 is judged on Attainment 8: the 50th percentile


def test_years_left_out_for_want_of_a_measure_are_named():
    facts = Facts(
        inspections=GOOD,
        performance=(result("2023-24", p8=90), result("2022-23", p8=90), result("2021-22", p8=90)),
        window=("2023-24", "2022-23", "2021-22"),
        passed_over=("2025-26", "2024-25"),
    )
    assessment = eligibility.assess(Rules(), facts)
    assert assessment.reasons[-1] == (
        "Measure used: the Progress 8 national percentile for 2023-24, 2022-23 and 2021-22. 2025-26 and 2024-25 have "
        "no Progress 8 and the policy has no fallback measure, so they are not considered."
    )
    assert assessment.evidence["performance_passed_over"] == ["2025-26", "2024-25"]


def test_a_decision_without_performance_names_no_measure():
    facts = Facts(inspections=(InspectionFact(date=datetime.date(2023, 3, 14), grade=1),), window=("2023-24",))
    assessment = eligibility.assess(Rules(), facts)
    assert not any(reason.startswith("Measure used") for reason in assessment.reasons)


# -- Through the review ------------------------------------------------------------------


def seed_nation():
    """Another school with national data: Progress 8 to 2023-24, Attainment 8 to 2024-25."""
    other = f.AcademyFactory(name="Elsewhere School", trust=f.TrustFactory(name="Not in the network"))
    for year in ("2021-22", "2022-23", "2023-24"):
        f.PerformanceResultFactory(academy=other, academic_year=year, percentile=50, attainment8_percentile=50)
    f.PerformanceResultFactory(
        academy=other, academic_year="2024-25", progress8=None, percentile=None, attainment8_percentile=50
    )


@pytest.fixture
def reviewed(db):
    def review(fallback):
        seed_nation()
        trust = f.TrustFactory(name="Trust A")
        network = f.NetworkFactory()
        network.member_trusts.add(trust)
        f.MembershipPolicyFactory(network=network, fallback_measure=fallback)
        academy = f.AcademyFactory(trust=trust, name="Case Academy")
        f.MembershipFactory(year=f.MembershipYearFactory(network=network), academy=academy)
        f.InspectionFactory(academy=academy, inspection_date=datetime.date(2023, 3, 14), grade=2)
        for year, p8 in (("2021-22", 40), ("2022-23", 80), ("2023-24", 60)):
            f.PerformanceResultFactory(
                academy=academy, academic_year=year, percentile=p8, attainment8=Decimal("50"), attainment8_percentile=70
            )
        f.PerformanceResultFactory(
            academy=academy,
            academic_year="2024-25",
            progress8=None,
            percentile=None,
            attainment8=Decimal("58.30"),
            attainment8_percentile=Decimal("88.5"),
        )
        run, _ = review_run(network=network, label="2025-26", trigger="command", today=datetime.date(2026, 3, 2))
        return ReviewProposal.objects.get(run=run, academy=academy)

    return review


def test_the_review_with_the_attainment8_fallback_cites_measure_and_years(reviewed):
    proposal = reviewed("attainment8")

    assert proposal.outcome == "renew", proposal.reasons  # 2024-25 (A8, percentile 88.5) and 2022-23 (P8, 80th)
    assert (
        "Measure used: the Progress 8 national percentile for 2023-24 and 2022-23; the Attainment 8 national "
        "percentile for 2024-25, a year without Progress 8 (the policy's fallback measure)." in proposal.reasons
    )
    assert "2024-25: Attainment 8 58.30, percentile 88.5" in proposal.reasons[1]
    assert [p["year"] for p in proposal.evidence["performance"]] == ["2024-25", "2023-24", "2022-23"]


def test_the_review_without_a_fallback_judges_progress8_years_and_says_what_it_left_out(reviewed):
    proposal = reviewed("none")

    # Only 2022-23 (80th) of 2023-24, 2022-23 and 2021-22 is at or above the 75th: the
    # same school renews with the fallback, on its 2024-25 Attainment 8.
    assert proposal.outcome == "not_eligible", proposal.reasons
    assert proposal.reasons[-1] == (
        "Measure used: the Progress 8 national percentile for 2023-24, 2022-23 and 2021-22. 2024-25 has no Progress 8 "
        "and the policy has no fallback measure, so it is not considered."
    )
