"""How a network's policy reads an Ofsted report card (inspections from November 2025),
as a pure function: no database, so every case can be read here and tested as a table.

A report card has no single-word grade. Each evaluation area is graded exceptional /
strong standard / expected standard / needs attention / urgent improvement, and
safeguarding is met or not met. The policy maps it to what a grade used to decide:

1. urgent improvement in any area, or safeguarding not met, counts as a grade 4 did: the
   school is not eligible to renew, and a member is flagged "at risk" mid-year. Not
   configurable, as a grade 3 or 4 is not;
2. a card that cannot be read in full (safeguarding not recorded, no area graded, or a
   grade off the scale) is referred to the steering group: nothing is guessed;
3. "needs attention" in any area, or fewer areas at strong standard or better than the
   policy asks (`report_card_strong_areas`, default 0), falls short: referred to the
   steering group by default (`report_card_shortfall_treatment`), or not eligible;
4. otherwise (no area below expected standard, safeguarding met, enough strong areas)
   the card meets the policy, and then, by default, performance decides as it does for
   a grade 2 (`report_card_needs_performance`); a network may make such a card eligible
   on its own.

Every reason quotes the areas it rests on, so a coordinator can defend the decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from trusts import report_cards as rc

BARRED = "barred"  # like a grade 4
UNREADABLE = "unreadable"  # the data cannot decide: refer
SHORT = "short"  # below the policy's bar, without urgent improvement
MEETS = "meets"


@dataclass(frozen=True)
class ReportCard:
    """A card as the policy reads it: areas graded on the scale (Ofsted's order), the
    safeguarding outcome ("" when not recorded) and any cell it cannot read."""

    grades: tuple[tuple[str, str], ...]
    safeguarding: str
    unreadable: tuple[tuple[str, str], ...] = ()

    def areas(self, *grades: str) -> list[str]:
        return [area for area, grade in self.grades if grade in grades]


@dataclass(frozen=True)
class Verdict:
    verdict: str  # BARRED | UNREADABLE | SHORT | MEETS
    reason: str


def read(card: Mapping | None) -> ReportCard | None:
    """The report card in an inspection's `report_card`, or None if it holds none (a
    graded inspection, or the area judgements of the 2024-25 inspections)."""
    if not rc.is_report_card(card):
        return None
    grades, unreadable, safeguarding = [], [], ""
    for area in rc.ordered_areas(card):
        value = str(card[area])
        if area == rc.SAFEGUARDING:
            safeguarding = rc.safeguarding_outcome(value) or ""
            if not safeguarding and not rc.not_graded(value):
                unreadable.append((area, value))
        elif grade := rc.area_grade(value):
            grades.append((area, grade))
        elif not rc.not_graded(value):
            unreadable.append((area, value))
    return ReportCard(grades=tuple(grades), safeguarding=safeguarding, unreadable=tuple(unreadable))


def quote(card: ReportCard) -> str:
    """ "Inclusion: Strong standard; …; safeguarding: Met" – the card as published."""
    parts = [f"{area}: {grade}" for area, grade in card.grades]
    parts += [f"{area}: {value}" for area, value in card.unreadable if area != rc.SAFEGUARDING]
    parts.append(f"safeguarding: {card.safeguarding or 'not recorded'}")
    return "; ".join(parts)


def _listed(areas: list[str]) -> str:
    return areas[0] if len(areas) == 1 else ", ".join(areas[:-1]) + f" and {areas[-1]}"


def concerns(card: ReportCard) -> list[str]:
    """What makes the card count as a grade 4: ["urgent improvement in Achievement",
    "safeguarding not met"], empty when nothing does."""
    found = []
    if urgent := card.areas(rc.URGENT_IMPROVEMENT):
        found.append(f"urgent improvement in {_listed(urgent)}")
    if card.safeguarding == rc.NOT_MET:
        found.append("safeguarding not met")
    return found


def judge(card: ReportCard, *, strong_areas_required: int) -> Verdict:
    """Where the card stands under the policy (see the module docstring)."""
    if found := concerns(card):
        said = "; ".join(found)
        return Verdict(
            BARRED,
            f"{said[0].upper()}{said[1:]}: under the network's policy this counts as a grade 4 did, so the school is "
            "not eligible to renew.",
        )
    missing = []
    if not card.safeguarding:
        missing.append("safeguarding is not recorded")
    if not card.grades:
        missing.append("no area is graded")
    missing += [f"{area} '{value}' is not a report-card grade" for area, value in card.unreadable]
    if missing:
        return Verdict(UNREADABLE, f"The report card cannot be read in full ({'; '.join(missing)}).")
    strong = card.areas(rc.STRONG_STANDARD, rc.EXCEPTIONAL)
    needed = "none" if strong_areas_required == 0 else str(strong_areas_required)
    counted = f"strong standard or better in {len(strong)} of {len(card.grades)} areas (the policy needs {needed})"
    if needs := card.areas(rc.NEEDS_ATTENTION):
        return Verdict(SHORT, f"Needs attention in {_listed(needs)}, so the report card falls short of the policy.")
    if len(strong) < strong_areas_required:
        return Verdict(SHORT, f"Safeguarding met and no area below expected standard, but {counted}.")
    return Verdict(MEETS, f"Safeguarding met and no area below expected standard, with {counted}.")
