"""Ofsted's report cards (school inspections from November 2025), as data.

A report card has no single-word judgement: each evaluation area is graded on a
five-point scale, and safeguarding is "met" or "not met". The Ofsted importer writes an
inspection's card as {area: grade} in `Inspection.report_card`, with the grades spelt
as below, so the membership policy (network/membership/eligibility.py) reads one
vocabulary, whichever file the card came from.

Inspections between September 2024 and November 2025 had no overall grade either, but
their sub-judgements (Good, Requires improvement…) are not a report card: only grades
on this scale, or a safeguarding "met"/"not met", make one.
"""

from __future__ import annotations

from collections.abc import Mapping

SAFEGUARDING = "Safeguarding"

# The evaluation areas, as Ofsted names them, in the order a report card lists them.
# The last two are graded only where the school has that provision.
AREAS = (
    "Inclusion",
    "Curriculum and teaching",
    "Achievement",
    "Attendance and behaviour",
    "Personal development and well-being",
    "Leadership and governance",
    "Early years in schools",
    "Sixth form in schools",
)

# Other spellings of the same columns in Ofsted's files → the name stored.
AREA_ALIASES = {
    "Personal development and wellbeing": "Personal development and well-being",
    "Safeguarding standards": SAFEGUARDING,
}

# The five-point scale, lowest first.
URGENT_IMPROVEMENT = "Urgent improvement"
NEEDS_ATTENTION = "Needs attention"
EXPECTED_STANDARD = "Expected standard"
STRONG_STANDARD = "Strong standard"
EXCEPTIONAL = "Exceptional"
SCALE = (URGENT_IMPROVEMENT, NEEDS_ATTENTION, EXPECTED_STANDARD, STRONG_STANDARD, EXCEPTIONAL)

MET = "Met"
NOT_MET = "Not met"
SAFEGUARDING_OUTCOMES = (MET, NOT_MET)

# Cells that say "no grade in this area" (an area the school does not have).
NOT_GRADED = {"", "null", "n/a", "na", "not applicable", "not graded", "not inspected"}

_GRADES = {grade.lower(): grade for grade in SCALE}
_SAFEGUARDING = {outcome.lower(): outcome for outcome in SAFEGUARDING_OUTCOMES}


def _key(text: str) -> str:
    return " ".join(str(text).split()).lower()


def area_grade(value: str) -> str | None:
    """The grade as stored ("Strong standard") for a cell as written ("strong  Standard"),
    None if it is not on the scale."""
    return _GRADES.get(_key(value))


def safeguarding_outcome(value: str) -> str | None:
    """ "Met" or "Not met" for a cell as written, None otherwise."""
    return _SAFEGUARDING.get(_key(value))


def not_graded(value: str) -> bool:
    return _key(value) in NOT_GRADED


def is_report_card(card: Mapping | None) -> bool:
    """Whether an inspection's `report_card` is a report card: at least one area graded
    on the five-point scale, or safeguarding met / not met. Sub-judgements of the
    2024-25 inspections (Good, Effective…) are not."""
    if not card:
        return False
    for area, value in card.items():
        if area == SAFEGUARDING:
            if safeguarding_outcome(value):
                return True
        elif area_grade(value):
            return True
    return False


def ordered_areas(card: Mapping) -> list[str]:
    """The card's areas in Ofsted's order, any others after them alphabetically, and
    safeguarding last."""
    known = [area for area in AREAS if area in card]
    others = sorted(area for area in card if area not in AREAS and area != SAFEGUARDING)
    return known + others + ([SAFEGUARDING] if SAFEGUARDING in card else [])
