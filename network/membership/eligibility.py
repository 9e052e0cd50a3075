"""The eligibility policy as a pure function: data in, (outcome, reasons, evidence) out.

No database here, so every rule can be read on one screen and tested as a table. The
reference case is the Leading Edge policy:

- the latest inspection decides first: grade 1 (Outstanding) is eligible on its own; a
  grade 3 (Requires improvement) or 4 (Inadequate) makes a school ineligible to renew;
- grade 2 (Good) is eligible with Progress 8 at or above a national percentile (75th)
  judged over time: in enough of the last N years with national data (2 of 3), or on
  average, so one year's dip does not remove a school;
- when the data cannot decide (no inspection on record, an inspection without a
  single-word judgement, a grade 2 without any Progress 8 score) the policy says what
  to do, by default "refer to the steering group";
- a member still eligible whose latest year fell below the percentile is renewed but
  marked "at risk", so the coordinator and the school see it coming;
- membership of a parent network, if the policy requires it, comes before all of this.

Every reason names the data it used (inspection date and grade, Progress 8 years and
percentiles), so a coordinator can defend the decision.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

RENEW = "renew"
AT_RISK = "at_risk"
NOT_ELIGIBLE = "not_eligible"
REFER = "refer"
INVITE = "invite"

GRADES = {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}


@dataclass(frozen=True)
class Rules:
    """The policy's knobs (see MembershipPolicy)."""

    grade1_eligible: bool = True
    percentile_threshold: Decimal = Decimal(75)
    performance_years: int = 3
    performance_rule: str = "years"  # "years" (enough of the years) or "average"
    years_required: int = 2
    ungraded_treatment: str = "refer"  # refer | previous_grade | not_eligible
    no_inspection_treatment: str = "refer"  # refer | not_eligible
    no_performance_treatment: str = "refer"  # refer | not_eligible

    @classmethod
    def from_policy(cls, policy) -> Rules:
        return cls(
            grade1_eligible=policy.grade1_eligible,
            percentile_threshold=Decimal(policy.percentile_threshold),
            performance_years=policy.performance_years,
            performance_rule=policy.performance_rule,
            years_required=policy.years_required,
            ungraded_treatment=policy.ungraded_treatment,
            no_inspection_treatment=policy.no_inspection_treatment,
            no_performance_treatment=policy.no_performance_treatment,
        )


@dataclass(frozen=True)
class InspectionFact:
    date: datetime.date
    grade: int | None
    outcome_text: str = ""
    report_card: Mapping = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class PerformanceFact:
    year: str
    progress8: Decimal | None
    percentile: Decimal | None
    suppressed: str = ""


@dataclass(frozen=True)
class TrustMove:
    from_trust: str
    to_trust: str
    on: datetime.date


@dataclass(frozen=True)
class Facts:
    """What the review knows about one academy. `window` is the performance years to
    judge, newest first: the latest years for which national data was imported."""

    inspections: tuple[InspectionFact, ...] = ()
    performance: tuple[PerformanceFact, ...] = ()
    window: tuple[str, ...] = ()
    is_member: bool = True
    prerequisite: str = ""  # name of the network whose membership is required, if any
    meets_prerequisite: bool = True
    trust_move: TrustMove | None = None


@dataclass(frozen=True)
class Assessment:
    outcome: str
    eligible: bool | None  # None: the data cannot decide
    reasons: tuple[str, ...]
    evidence: dict


def ordinal(n: int) -> str:
    """1 → "1st", 2 → "2nd", 11 → "11th", 22 → "22nd", 113 → "113th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def percentile(value, *, the: bool = False) -> str:
    """How a percentile is said: 75 → "75th percentile", 77.2 → "percentile 77.2"
    (a fraction has no ordinal: "77.2th" is not English, and rounding 74.6 to "75th"
    would contradict "below the 75th percentile"). `the` adds the article an ordinal
    takes mid-sentence: "at or above the 75th percentile", "at or above percentile 72.5"."""
    number = Decimal(value).normalize()
    if number != number.to_integral_value():
        return f"percentile {number:f}"
    return f"{'the ' if the else ''}{ordinal(int(number))} percentile"


def describe_inspection(inspection: InspectionFact) -> str:
    when = f"{inspection.date:%d/%m/%Y}"
    if inspection.grade is not None:
        return f"inspection on {when}: grade {inspection.grade} ({GRADES[inspection.grade]})"
    outcome = inspection.outcome_text or "no single-word judgement"
    areas = "; ".join(f"{area}: {value}" for area, value in sorted(inspection.report_card.items()))
    return f"inspection on {when}: {outcome}" + (f" (report card – {areas})" if areas else "")


def describe_year(year: str, result: PerformanceFact | None) -> str:
    if result is None:
        return f"{year}: no data"
    if result.percentile is None:
        return f"{year}: no score ({result.suppressed or 'not published'})"
    sign = "+" if result.progress8 is not None and result.progress8 >= 0 else ""
    p8 = f"Progress 8 {sign}{result.progress8}" if result.progress8 is not None else "Progress 8 –"
    return f"{year}: {p8}, {percentile(result.percentile)}"


def _evidence(facts: Facts, latest: InspectionFact | None, by_year: dict[str, PerformanceFact]) -> dict:
    def inspection(i: InspectionFact | None):
        if i is None:
            return None
        return {
            "date": i.date.isoformat(),
            "grade": i.grade,
            "judgement": GRADES.get(i.grade, ""),
            "outcome_text": i.outcome_text,
            "report_card": dict(i.report_card),
            "source": i.source,
        }

    return {
        "inspection": inspection(latest),
        "performance": [
            {
                "year": year,
                "progress8": str(by_year[year].progress8)
                if year in by_year and by_year[year].progress8 is not None
                else None,
                "percentile": str(by_year[year].percentile)
                if year in by_year and by_year[year].percentile is not None
                else None,
                "suppressed": by_year[year].suppressed if year in by_year else "",
            }
            for year in facts.window
        ],
        "trust_move": (
            {
                "from": facts.trust_move.from_trust,
                "to": facts.trust_move.to_trust,
                "on": facts.trust_move.on.isoformat(),
            }
            if facts.trust_move
            else None
        ),
    }


def _treatment(value: str) -> bool | None:
    """A policy treatment as an eligibility answer: refer → None, not eligible → False."""
    return None if value == "refer" else False


def _performance(rules: Rules, facts: Facts, by_year: dict[str, PerformanceFact]) -> tuple[bool | None, list[str]]:
    threshold = rules.percentile_threshold
    years = ", ".join(describe_year(year, by_year.get(year)) for year in facts.window) or "no national data imported"
    scored = [
        (year, by_year[year].percentile)
        for year in facts.window
        if year in by_year and by_year[year].percentile is not None
    ]
    if not scored:
        answer = _treatment(rules.no_performance_treatment)
        verdict = "referred to the steering group" if answer is None else "not eligible under the policy"
        return answer, [f"No Progress 8 score in the years considered ({years}): {verdict}."]
    if rules.performance_rule == "average":
        average = (sum(p for _, p in scored) / len(scored)).quantize(Decimal("0.1"))
        ok = average >= threshold
        relation = "at or above" if ok else "below"
        return ok, [
            f"Average Progress 8 percentile {average} over {len(scored)} year{'s' if len(scored) != 1 else ''} "
            f"({years}), {relation} {percentile(threshold, the=True)}."
        ]
    met = [year for year, p in scored if p >= threshold]
    required = min(rules.years_required, len(scored))
    ok = len(met) >= required
    relation = "meets" if ok else "does not meet"
    short = (
        f"; only {len(scored)} year{'s' if len(scored) != 1 else ''} with a score, so {required} must be"
        if len(scored) < rules.years_required
        else ""
    )
    return ok, [
        f"Progress 8 at or above {percentile(threshold, the=True)} in {len(met)} of {len(scored)} "
        f"year{'s' if len(scored) != 1 else ''} with a score ({years}); the policy needs {rules.years_required} of "
        f"the last {rules.performance_years}{short}: {relation} it."
    ]


def assess(rules: Rules, facts: Facts) -> Assessment:
    """Apply the policy to one academy's data. See the module docstring for the rules."""
    inspections = sorted(facts.inspections, key=lambda i: i.date, reverse=True)
    latest = inspections[0] if inspections else None
    by_year = {p.year: p for p in facts.performance}
    evidence = _evidence(facts, latest, by_year)
    reasons: list[str] = []
    eligible: bool | None
    performance_judged = False

    if not facts.meets_prerequisite:
        eligible = False
        reasons.append(f"Not an active member of {facts.prerequisite}, which this network requires.")
    elif latest is None:
        eligible = _treatment(rules.no_inspection_treatment)
        reasons.append(
            "No inspection on record: "
            + ("referred to the steering group." if eligible is None else "not eligible under the policy.")
        )
    else:
        grade = latest.grade
        reasons.append(f"Latest {describe_inspection(latest)}.")
        if grade is None:
            if rules.ungraded_treatment == "previous_grade":
                earlier = next((i for i in inspections[1:] if i.grade is not None), None)
                if earlier is None:
                    grade = None
                    eligible = _treatment(rules.no_inspection_treatment)
                    reasons.append(
                        "No earlier graded inspection to fall back on: "
                        + ("referred to the steering group." if eligible is None else "not eligible under the policy.")
                    )
                else:
                    grade = earlier.grade
                    evidence["graded_inspection"] = {"date": earlier.date.isoformat(), "grade": earlier.grade}
                    reasons.append(f"No single-word judgement, so the policy uses the {describe_inspection(earlier)}.")
            else:
                eligible = _treatment(rules.ungraded_treatment)
                reasons.append(
                    "No single-word judgement: "
                    + ("referred to the steering group." if eligible is None else "not eligible under the policy.")
                )
        if grade in (3, 4):
            eligible = False
            reasons.append("A grade 3 or 4 makes a school ineligible to renew for the next year.")
        elif grade == 1 and rules.grade1_eligible:
            eligible = True
            reasons.append("Grade 1 (Outstanding) is eligible on its own.")
        elif grade in (1, 2):
            eligible, why = _performance(rules, facts, by_year)
            reasons += why
            performance_judged = True

    if facts.is_member:
        if eligible is True:
            outcome = RENEW
            newest = facts.window[0] if facts.window else None
            newest_result = by_year.get(newest) if newest else None
            if (
                performance_judged
                and newest
                and (
                    newest_result is None
                    or newest_result.percentile is None
                    or newest_result.percentile < rules.percentile_threshold
                )
            ):
                outcome = AT_RISK
                reasons.append(
                    f"Still eligible, but {newest} was not at or above {percentile(rules.percentile_threshold, the=True)}"
                    ": at risk if the next year is too."
                )
        else:
            outcome = NOT_ELIGIBLE if eligible is False else REFER
    else:
        outcome = INVITE if eligible is True else (NOT_ELIGIBLE if eligible is False else REFER)

    if facts.trust_move:
        move = facts.trust_move
        reasons.append(
            f"Moved from {move.from_trust} to {move.to_trust} on {move.on:%d/%m/%Y}; the review follows the academy "
            f"(URN), and next year's membership is recorded under {move.to_trust}."
        )
    return Assessment(outcome=outcome, eligible=eligible, reasons=tuple(reasons), evidence=evidence)


def barring_inspection(rules: Rules, inspections: Iterable[InspectionFact]) -> InspectionFact | None:
    """The inspection that makes a school ineligible on its own under `rules`, as
    `assess` decides it: the latest inspection if it is a grade 3 or 4, or, when the
    latest has no single-word judgement and the policy falls back to the previous
    grade, that earlier graded inspection if it is a 3 or 4. None otherwise (the data
    may still make the school ineligible or refer it, but not the inspection alone)."""
    inspections = sorted(inspections, key=lambda i: i.date, reverse=True)
    if not inspections:
        return None
    deciding = inspections[0]
    if deciding.grade is None and rules.ungraded_treatment == "previous_grade":
        deciding = next((i for i in inspections[1:] if i.grade is not None), deciding)
    return deciding if deciding.grade in (3, 4) else None


def window(years_with_data: Iterable[str], *, up_to: str, count: int) -> tuple[str, ...]:
    """The `count` latest academic years with national data, no later than `up_to`,
    newest first. Years without any national data (2019-20 and 2020-21 had no Progress
    8) are skipped rather than counted against a school."""
    return tuple(sorted({y for y in years_with_data if y <= up_to}, reverse=True)[:count])


def review_saw(evidence: Mapping | None, inspection: InspectionFact) -> bool:
    """Whether a confirmed review proposal's `evidence` had seen `inspection` (or a later
    one): an invitation confirmed so is the coordinators' decision, taken knowing it.
    One rule for the service that refuses an acceptance and the page that explains it."""
    seen = ((evidence or {}).get("inspection") or {}).get("date")
    return bool(seen) and datetime.date.fromisoformat(seen) >= inspection.date
