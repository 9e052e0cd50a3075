"""Report cards (Ofsted inspections from November 2025) through the pure policy
function: the mapping's cases as a table, mixed histories of graded and report-card
inspections, and the inspection that bars a school on its own."""

import datetime
from decimal import Decimal

import pytest

from network.programme.membership import eligibility, report_card_rules
from network.programme.membership.eligibility import Facts, InspectionFact, PerformanceFact, Rules
from trusts import report_cards

D = datetime.date
YEARS = ("2024-25", "2023-24", "2022-23")  # newest first, as the review passes them
CARD_DAY = D(2025, 11, 24)
SIX = report_cards.AREAS[:6]  # the six areas every school is graded in


def card(*grades, safeguarding="Met", **more):
    """The six core areas with `grades` in order (the rest expected standard)."""
    grades = list(grades) + ["Expected standard"] * (6 - len(grades))
    result = dict(zip(SIX, grades, strict=True))
    if safeguarding is not None:
        result["Safeguarding"] = safeguarding
    result.update(more)
    return result


def report_card(day=CARD_DAY, **kwargs):
    return InspectionFact(date=day, grade=None, outcome_text="Report card", report_card=card(**kwargs))


def with_card(values, day=CARD_DAY):
    return InspectionFact(date=day, grade=None, outcome_text="Report card", report_card=values)


def graded(day, grade):
    return InspectionFact(date=day, grade=grade)


def facts(inspections, percentiles=(90, 90, 90), **kwargs):
    performance = tuple(
        PerformanceFact(year=year, progress8=Decimal("0.5"), percentile=Decimal(p) if p is not None else None)
        for year, p in zip(YEARS, percentiles, strict=False)
    )
    return Facts(inspections=tuple(inspections), performance=performance, window=YEARS, **kwargs)


STRONG, EXPECTED, NEEDS, URGENT, EXCEPTIONAL = (
    "Strong standard",
    "Expected standard",
    "Needs attention",
    "Urgent improvement",
    "Exceptional",
)

# id, report card, policy (Rules keyword arguments), Progress 8 percentiles newest first,
# member?, expected outcome, a phrase the reasons must contain
CARD_CASES = [
    ("all expected, strong results", card(), {}, (90, 90, 90), True, "renew",
     "with strong standard or better in 0 of 6 areas (the policy needs none): performance decides, as for a grade 2"),
    ("all expected, weak results", card(), {}, (60, 60, 60), True, "not_eligible", "in 0 of 3 years"),
    ("all expected, no results", card(), {}, (), True, "refer", "No Progress 8 score in the years considered"),
    ("all expected, latest year dipped", card(), {}, (60, 90, 90), True, "at_risk", "Still eligible, but 2024-25"),
    ("needs attention", card(STRONG, STRONG, NEEDS), {}, (90, 90, 90), True, "refer",
     "Needs attention in Achievement, so the report card falls short of the policy: referred to the steering group"),
    ("needs attention, policy says not eligible", card(NEEDS, NEEDS),
     {"report_card_shortfall_treatment": "not_eligible"}, (90, 90, 90), True, "not_eligible",
     "Needs attention in Inclusion and Curriculum and teaching, so the report card falls short of the policy: not "
     "eligible under the policy"),
    ("urgent improvement", card(EXCEPTIONAL, STRONG, URGENT), {}, (90, 90, 90), True, "not_eligible",
     "Urgent improvement in Achievement: under the network's policy this counts as a grade 4 did"),
    ("safeguarding not met", card(*[EXCEPTIONAL] * 6, safeguarding="Not met"), {}, (90, 90, 90), True,
     "not_eligible", "Safeguarding not met: under the network's policy this counts as a grade 4 did"),
    ("urgent improvement and safeguarding not met", card(URGENT, safeguarding="Not met"), {}, (90, 90, 90), True,
     "not_eligible", "Urgent improvement in Inclusion; safeguarding not met: under the network's policy"),
    ("urgent improvement, shortfall lenient", card(URGENT), {"report_card_shortfall_treatment": "refer"},
     (90, 90, 90), True, "not_eligible", "counts as a grade 4 did"),
    ("too few strong areas", card(STRONG), {"report_card_strong_areas": 2}, (90, 90, 90), True, "refer",
     "strong standard or better in 1 of 6 areas (the policy needs 2): referred to the steering group"),
    ("enough strong areas", card(STRONG, EXCEPTIONAL), {"report_card_strong_areas": 2}, (90, 90, 90), True,
     "renew", "with strong standard or better in 2 of 6 areas (the policy needs 2)"),
    ("eligible on its own by policy", card(), {"report_card_needs_performance": False}, (), True, "renew",
     "eligible on its report card, as the policy says"),
    ("on its own by policy, still short", card(NEEDS), {"report_card_needs_performance": False}, (), True, "refer",
     "Needs attention in Inclusion"),
    ("on its own by policy, still barred", card(URGENT), {"report_card_needs_performance": False}, (), True,
     "not_eligible", "counts as a grade 4 did"),
    ("safeguarding not recorded", card(safeguarding=None), {}, (90, 90, 90), True, "refer",
     "The report card cannot be read in full (safeguarding is not recorded): referred to the steering group"),
    ("a grade off the scale", card(Achievement="Good"), {}, (90, 90, 90), True, "refer",
     "Achievement 'Good' is not a report-card grade"),
    ("only safeguarding recorded", {"Safeguarding": "Met"}, {}, (90, 90, 90), True, "refer", "no area is graded"),
    ("not a member, meets", card(STRONG), {}, (90, 90, 90), False, "invite", "performance decides"),
    ("not a member, urgent improvement", card(URGENT), {}, (90, 90, 90), False, "not_eligible",
     "counts as a grade 4 did"),
    ("sixth form graded too", card(**{"Sixth form in schools": URGENT}), {}, (90, 90, 90), True, "not_eligible",
     "Urgent improvement in Sixth form in schools"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "values", "policy", "percentiles", "member", "expected", "phrase"),
    CARD_CASES,
    ids=[c[0] for c in CARD_CASES],
)
def test_report_card_mapping(case, values, policy, percentiles, member, expected, phrase):
    result = eligibility.assess(Rules(**policy), facts([with_card(values)], percentiles=percentiles, is_member=member))
    assert result.outcome == expected, result.reasons
    assert any(phrase in reason for reason in result.reasons), result.reasons
    # The first reason quotes the card, as published, with its date.
    assert result.reasons[0].startswith("Latest inspection on 24/11/2025: report card – ")
    for area, grade in values.items():
        if area != "Safeguarding":
            assert f"{area}: {grade}" in result.reasons[0]
    assert result.evidence["inspection"]["report_card"] == values


def test_report_card_reasons_quote_the_card_in_ofsteds_order():
    values = {"Safeguarding": "Met", "Achievement": STRONG, "Inclusion": EXPECTED}
    result = eligibility.assess(Rules(), facts([with_card(values)]))
    assert result.reasons[0] == (
        "Latest inspection on 24/11/2025: report card – Inclusion: Expected standard; Achievement: Strong standard; "
        "safeguarding: Met."
    )


# id, inspections, policy, expected outcome, phrase, the inspection that bars on its own (or None)
HISTORY_CASES = [
    ("report card after a grade 3", [graded(D(2022, 3, 1), 3), report_card()], {}, "renew",
     "performance decides", None),
    ("report card after a grade 1", [graded(D(2021, 3, 1), 1), report_card()], {}, "renew",
     "performance decides", None),
    ("urgent report card after a grade 1", [graded(D(2021, 3, 1), 1), with_card(card(URGENT))], {}, "not_eligible",
     "counts as a grade 4 did", CARD_DAY),
    ("report card older than a graded inspection", [report_card(D(2025, 11, 24)), graded(D(2026, 1, 20), 2)], {},
     "renew", "Latest inspection on 20/01/2026: grade 2 (Good)", None),
    ("barring report card older than a grade 1", [with_card(card(URGENT), D(2025, 11, 24)), graded(D(2026, 1, 20), 1)],
     {}, "renew", "Grade 1 (Outstanding) is eligible on its own", None),
    ("grade 4 older than a report card that meets", [graded(D(2023, 1, 10), 4), report_card()], {}, "renew",
     "performance decides", None),
    ("ungraded after a report card, previous grade", [report_card(), InspectionFact(D(2026, 2, 2), None, "Not judged")],
     {"ungraded_treatment": "previous_grade"}, "renew",
     "No single-word judgement or report card, so the policy uses the inspection on 24/11/2025: report card", None),
    ("ungraded after an urgent report card, previous grade",
     [with_card(card(URGENT)), InspectionFact(D(2026, 2, 2), None, "Not judged")],
     {"ungraded_treatment": "previous_grade"}, "not_eligible", "counts as a grade 4 did", CARD_DAY),
    ("ungraded after a report card, refer", [report_card(), InspectionFact(D(2026, 2, 2), None, "Not judged")], {},
     "refer", "No single-word judgement or report card: referred to the steering group", None),
    ("judgements by area of 2024-25 are not a report card",
     [InspectionFact(D(2025, 1, 15), None, "Not judged",
                     {"Quality of education": "Good", "Safeguarding": "Effective"})], {}, "refer",
     "Not judged (judgements by area – Quality of education: Good; Safeguarding: Effective)", None),
    ("no data at all", [], {}, "refer", "No inspection on record: referred to the steering group", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "inspections", "policy", "expected", "phrase", "barred_by"),
    HISTORY_CASES,
    ids=[c[0] for c in HISTORY_CASES],
)
def test_mixed_histories_the_latest_judgement_decides(case, inspections, policy, expected, phrase, barred_by):
    rules = Rules(**policy)
    result = eligibility.assess(rules, facts(inspections))
    assert result.outcome == expected, result.reasons
    assert any(phrase in reason for reason in result.reasons), result.reasons
    barring = eligibility.barring_inspection(rules, inspections)
    assert (barring.date if barring else None) == barred_by
    if barring is not None:  # the review and the at-risk rule agree
        assert result.outcome == "not_eligible"


def test_no_data_at_all_can_be_not_eligible_by_policy():
    rules = Rules(no_inspection_treatment="not_eligible")
    assert eligibility.assess(rules, Facts()).outcome == "not_eligible"
    assert eligibility.assess(Rules(), Facts()).outcome == "refer"


def test_a_report_card_fallen_back_to_is_kept_in_the_evidence():
    inspections = [report_card(), InspectionFact(D(2026, 2, 2), None, "Not judged")]
    result = eligibility.assess(Rules(ungraded_treatment="previous_grade"), facts(inspections))
    assert result.evidence["graded_inspection"] == {"date": "2025-11-24", "grade": None, "report_card": card()}


@pytest.mark.parametrize(
    ("inspection", "bars"),
    [
        (graded(CARD_DAY, 3), True),
        (graded(CARD_DAY, 4), True),
        (graded(CARD_DAY, 2), False),
        (with_card(card(URGENT)), True),
        (with_card(card(safeguarding="Not met")), True),
        (with_card(card(NEEDS, NEEDS, NEEDS)), False),
        (with_card(card(safeguarding=None)), False),  # unreadable: referred, not barred
        (InspectionFact(CARD_DAY, None, "Not judged", {"Safeguarding": "Not effective"}), False),
    ],
)
def test_what_bars_a_school_on_its_own(inspection, bars):
    assert eligibility.bars(inspection) is bars


@pytest.mark.parametrize(
    ("values", "said"),
    [
        (card(URGENT), "Ofsted report card of 24/11/2025: urgent improvement in Inclusion"),
        (
            card(URGENT, URGENT, safeguarding="Not met"),
            "Ofsted report card of 24/11/2025: urgent improvement in Inclusion and Curriculum and teaching; "
            "safeguarding not met",
        ),
    ],
)
def test_describe_barring_names_what_bars(values, said):
    assert eligibility.describe_barring(with_card(values)) == said


def test_a_card_is_read_in_any_case_and_spacing():
    read = report_card_rules.read({"Achievement": "strong  STANDARD", "Safeguarding": "not met"})
    assert (read.grades, read.safeguarding) == ((("Achievement", "Strong standard"),), "Not met")
