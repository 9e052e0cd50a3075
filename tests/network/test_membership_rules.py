"""The review rules as a table of cases, run through the real review (database, policy
defaults: the Leading Edge rules), plus the pure policy function's finer points."""

import datetime
from decimal import Decimal

import pytest

from network.programme.membership import eligibility
from network.programme.membership.eligibility import Facts, InspectionFact, PerformanceFact, Rules
from network.programme.membership.models import Membership, ReviewProposal
from network.programme.membership.review import ProposalDecision, review_decide, review_run
from network.programme.membership.services.at_risk import membership_flag_after_inspection
from tests import factories as f
from trusts.models import Inspection
from trusts.services import academy_move_trust

YEARS = ("2022-23", "2023-24", "2024-25")
REVIEW_DAY = datetime.date(2026, 3, 2)  # the day after the 2025-26 review date


def national_years():
    """Another school with results in every year, so the window is the same three
    years for every case (the window is the years with national data)."""
    other = f.AcademyFactory(name="Elsewhere School", trust=f.TrustFactory(name="Not in the network"))
    for year in YEARS:
        f.PerformanceResultFactory(academy=other, academic_year=year, progress8=Decimal("0.10"), percentile=50)


# id, inspections [(date, grade, outcome text, report card)], percentiles by year
# (a number, or a suppression code), expected outcome, a phrase the reasons must contain
CASES = [
    ("grade 1", [("10/05/2022", 1, "", {})], {}, "renew", "Grade 1 (Outstanding) is eligible on its own"),
    (
        "grade 2 at the 80th percentile",
        [("14/03/2023", 2, "", {})],
        {"2022-23": 80, "2023-24": 80, "2024-25": 80},
        "renew",
        "in 3 of 3 years",
    ),
    (
        "grade 2 at the 60th percentile",
        [("14/03/2023", 2, "", {})],
        {"2022-23": 60, "2023-24": 60, "2024-25": 60},
        "not_eligible",
        "in 0 of 3 years",
    ),
    (
        "grade 2 with one dipped year in three",
        [("14/03/2023", 2, "", {})],
        {"2022-23": 80, "2023-24": 60, "2024-25": 85},
        "renew",
        "2023-24: Progress 8 +0.25, 60th percentile",
    ),
    (
        "grade 2 dipping in the latest year",
        [("14/03/2023", 2, "", {})],
        {"2022-23": 80, "2023-24": 85, "2024-25": 60},
        "at_risk",
        "Still eligible, but 2024-25 was not at or above the 75th percentile",
    ),
    (
        "grade 2 with a suppressed year",
        [("14/03/2023", 2, "", {})],
        {"2022-23": 80, "2023-24": "SUPP", "2024-25": 90},
        "renew",
        "2023-24: no score (SUPP)",
    ),
    (
        "grade 3 inspected mid-year",
        [("14/03/2023", 2, "", {}), ("12/11/2025", 3, "", {})],
        {"2022-23": 90, "2023-24": 90, "2024-25": 90},
        "not_eligible",
        "inspection on 12/11/2025: grade 3 (Requires improvement)",
    ),
    ("grade 4", [("20/01/2025", 4, "", {})], {}, "not_eligible", "A grade 3 or 4 makes a school ineligible"),
    ("no inspection", [], {"2024-25": 90}, "refer", "No inspection on record: referred to the steering group"),
    (
        "ungraded outcome",
        [("14/03/2022", 1, "", {}), ("06/10/2025", None, "Not judged", {"Quality of education": "Good"})],
        {},
        "refer",
        "inspection on 06/10/2025: Not judged (judgements by area – Quality of education: Good)",
    ),
    ("no performance data", [("14/03/2023", 2, "", {})], {}, "refer", "No Progress 8 score in the years considered"),
    (
        "a school that moved trust during the year",
        [("10/05/2022", 1, "", {})],
        {},
        "renew",
        "Moved from Trust A to Trust B on 05/01/2026",
    ),
]


def _date(text):
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


@pytest.mark.parametrize(("case", "inspections", "percentiles", "expected", "phrase"), CASES, ids=[c[0] for c in CASES])
def test_review_rules_table(db, case, inspections, percentiles, expected, phrase):
    national_years()
    trust_a = f.TrustFactory(name="Trust A")
    network = f.NetworkFactory()
    network.member_trusts.add(trust_a)
    f.MembershipPolicyFactory(network=network)
    year = f.MembershipYearFactory(network=network)
    academy = f.AcademyFactory(trust=trust_a, name="Case Academy")
    membership = f.MembershipFactory(year=year, academy=academy)
    for day, grade, text, card in inspections:
        f.InspectionFactory(
            academy=academy, inspection_date=_date(day), grade=grade, outcome_text=text, report_card=card
        )
    for academic_year, value in percentiles.items():
        if isinstance(value, str):
            f.PerformanceResultFactory(
                academy=academy, academic_year=academic_year, progress8=None, percentile=None, suppressed=value
            )
        else:
            f.PerformanceResultFactory(academy=academy, academic_year=academic_year, percentile=value)
    if case == "a school that moved trust during the year":
        trust_b = f.TrustFactory(name="Trust B")
        network.member_trusts.add(trust_b)
        academy_move_trust(academy=academy, trust=trust_b, on=datetime.date(2026, 1, 5))
    if case == "grade 3 inspected mid-year":
        # What the inspections importer does when it writes the inspection.
        inspection = Inspection.objects.get(academy=academy, grade=3)
        flagged = membership_flag_after_inspection(inspection=inspection, today=datetime.date(2025, 12, 1))
        assert flagged == [membership]

    run, created = review_run(network=network, label="2025-26", trigger="command", today=REVIEW_DAY)

    assert created
    proposal = ReviewProposal.objects.get(run=run, academy=academy)
    assert proposal.outcome == expected
    assert any(phrase in reason for reason in proposal.reasons), proposal.reasons
    assert proposal.evidence["performance"][0]["year"] == "2024-25"  # the data used is kept

    if case == "grade 3 inspected mid-year":
        membership.refresh_from_db()
        assert membership.status == Membership.Status.ACTIVE  # nobody is removed mid-year
        assert membership.at_risk and "grade 3" in membership.at_risk_reason
        assert membership.year.ends_on == datetime.date(2026, 3, 31)
        review_decide(run=run, decisions=[ProposalDecision(proposal_id=proposal.pk, confirm=True)], by=f.coordinator())
        membership.refresh_from_db()
        assert membership.status == Membership.Status.ACTIVE  # still runs to 31 March
        following = Membership.objects.get(academy=academy, year__label="2026-27")
        assert following.status == Membership.Status.NOT_RENEWED
    if case == "a school that moved trust during the year":
        assert proposal.trust.name == "Trust B"
        review_decide(run=run, decisions=[ProposalDecision(proposal_id=proposal.pk, confirm=True)], by=f.coordinator())
        assert Membership.objects.get(academy=academy, year__label="2025-26").trust.name == "Trust A"
        assert Membership.objects.get(academy=academy, year__label="2026-27").trust.name == "Trust B"


# -- The pure policy function -----------------------------------------------------------

GOOD = (InspectionFact(date=datetime.date(2023, 3, 14), grade=2),)


def facts(percentiles, **kwargs):
    performance = tuple(
        PerformanceFact(year=year, progress8=Decimal("0.5"), percentile=Decimal(p) if p is not None else None)
        for year, p in zip(YEARS[::-1], percentiles, strict=False)
    )
    return Facts(inspections=kwargs.pop("inspections", GOOD), performance=performance, window=YEARS[::-1], **kwargs)


@pytest.mark.parametrize(
    ("rules", "percentiles", "expected"),
    [
        (Rules(), (80, 60, 80), "renew"),  # 2 of 3, newest first: the dip is in the middle
        (Rules(years_required=3), (80, 60, 80), "not_eligible"),
        (Rules(performance_rule="average"), (80, 60, 80), "not_eligible"),  # average 73.3, below 75
        (Rules(performance_rule="average"), (90, 70, 80), "renew"),  # average 80
        (Rules(percentile_threshold=Decimal(60)), (60, 60, 60), "renew"),  # "at or above" includes the line
        (Rules(), (80, None, None), "renew"),  # one year with a score: that one must be at or above
    ],
)
def test_assess_performance_rules(rules, percentiles, expected):
    result = eligibility.assess(rules, facts(percentiles))
    assert result.outcome == expected, result.reasons


def test_assess_one_year_of_data_meets_the_rule_if_that_year_is_high_enough():
    result = eligibility.assess(Rules(), facts((None, None, 80)))
    assert result.eligible is True
    assert "only 1 year with a score, so 1 must be" in result.reasons[1]


def test_assess_ungraded_can_fall_back_to_the_previous_grade():
    inspections = (
        InspectionFact(date=datetime.date(2025, 10, 6), grade=None, outcome_text="Not judged"),
        InspectionFact(date=datetime.date(2021, 5, 10), grade=1),
    )
    result = eligibility.assess(Rules(ungraded_treatment="previous_grade"), facts((), inspections=inspections))
    assert result.outcome == "renew"
    assert result.evidence["graded_inspection"] == {"date": "2021-05-10", "grade": 1}


def test_assess_policy_can_treat_missing_data_as_not_eligible():
    rules = Rules(no_inspection_treatment="not_eligible", no_performance_treatment="not_eligible")
    assert eligibility.assess(rules, facts((), inspections=())).outcome == "not_eligible"
    assert eligibility.assess(rules, facts(())).outcome == "not_eligible"


def test_assess_without_the_prerequisite_network_is_not_eligible():
    result = eligibility.assess(
        Rules(), facts((90, 90, 90), prerequisite="Secondary Science Network", meets_prerequisite=False)
    )
    assert result.outcome == "not_eligible"
    assert result.reasons[0] == "Not an active member of Secondary Science Network, which this network requires."


def test_assess_non_member_who_meets_the_criteria_is_invited():
    assert eligibility.assess(Rules(), facts((90, 90, 90), is_member=False)).outcome == "invite"


@pytest.mark.parametrize(
    ("value", "said"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"), (21, "21st"),
     (22, "22nd"), (23, "23rd"), (75, "75th"), (101, "101st"), (111, "111th"), (112, "112th")],
)  # fmt: skip
def test_ordinal(value, said):
    assert eligibility.ordinal(value) == said


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (75, "75th percentile"),
        ("75.00", "75th percentile"),  # as the policy stores it
        ("81.00", "81st percentile"),
        ("77.2", "percentile 77.2"),  # never "77.2th", and never rounded across a threshold
        ("74.60", "percentile 74.6"),
        ("12.5", "percentile 12.5"),
    ],
)
def test_percentile_is_said_as_english(value, said):
    assert eligibility.percentile(value) == said


def test_percentile_takes_the_article_only_as_an_ordinal():
    assert eligibility.percentile(75, the=True) == "the 75th percentile"
    assert eligibility.percentile("72.5", the=True) == "percentile 72.5"


def test_a_fractional_percentile_reads_as_english_in_the_reasons():
    result = eligibility.assess(Rules(), facts(("77.2", "74.6", "90")))
    text = " ".join(result.reasons)
    assert "77.2th" not in text and "74.6th" not in text
    assert "percentile 77.2" in text and "percentile 74.6" in text
