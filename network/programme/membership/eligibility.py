"""The eligibility policy as a pure function: data in, (outcome, reasons, evidence) out.

No database here, so every rule can be read on one screen and tested as a table. The
reference case is the Leading Edge policy:

- the latest inspection decides first: grade 1 (Outstanding) is eligible on its own; a
  grade 3 (Requires improvement) or 4 (Inadequate) makes a school ineligible to renew;
- a report card (inspections from November 2025, no single-word grade) is read by the
  policy's mapping (`report_card_rules`): urgent improvement in an area or safeguarding
  not met counts as a grade 4; needs attention (or too few strong areas) falls short,
  referred by default; otherwise the card counts as a grade 2 and performance decides;
- grade 2 (Good) is eligible with performance at or above a national percentile (75th)
  judged over time: in enough of the last N years with national data (2 of 3), or on
  average, so one year's dip does not remove a school. The measure is Progress 8; for
  years without Progress 8 (none was published for 2024-25 and 2025-26) the policy may
  use the Attainment 8 percentile instead (`fallback_measure`), and every reason says
  which measure and which years it used;
- when the data cannot decide (no inspection on record, an inspection without any
  judgement, a report card that cannot be read, no performance score) the policy says
  what to do, by default "refer to the steering group";
- a member still eligible whose latest year fell below the percentile is renewed but
  marked "at risk", so the coordinator and the school see it coming;
- membership of a parent network, if the policy requires it, comes before all of this.

Every reason names the data it used (inspection date and grade or report card,
performance measure, years and percentiles), so a coordinator can defend the decision.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from network.programme.membership import report_card_rules as cards
from network.programme.membership.measures import ATTAINMENT8, MEASURES, PROGRESS8, describe_measures

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
    report_card_strong_areas: int = 0  # areas at strong standard or better a report card needs
    report_card_shortfall_treatment: str = "refer"  # refer | not_eligible: needs attention, too few strong
    report_card_needs_performance: bool = True  # a card that meets the bar then needs performance, as grade 2
    fallback_measure: str = "none"  # none | attainment8: the measure of years without Progress 8

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
            report_card_strong_areas=policy.report_card_strong_areas,
            report_card_shortfall_treatment=policy.report_card_shortfall_treatment,
            report_card_needs_performance=policy.report_card_needs_performance,
            fallback_measure=policy.fallback_measure,
        )


@dataclass(frozen=True)
class InspectionFact:
    date: datetime.date
    grade: int | None
    outcome_text: str = ""
    report_card: Mapping = field(default_factory=dict)
    source: str = ""


def inspection_fact(inspection) -> InspectionFact:
    """The fact for a stored inspection (anything with `trusts.Inspection`'s fields)."""
    return InspectionFact(
        date=inspection.inspection_date,
        grade=inspection.grade,
        outcome_text=inspection.outcome_text,
        report_card=inspection.report_card or {},
        source=inspection.source,
    )


# The fields `inspection_fact` reads, for `.only()`.
INSPECTION_FIELDS = ("academy_id", "inspection_date", "grade", "outcome_text", "report_card", "source")


@dataclass(frozen=True)
class PerformanceFact:
    year: str
    progress8: Decimal | None
    percentile: Decimal | None
    suppressed: str = ""
    attainment8: Decimal | None = None
    attainment8_percentile: Decimal | None = None
    attainment8_suppressed: str = ""

    def score(self, measure: str) -> tuple[Decimal | None, Decimal | None, str]:
        """(score, national percentile, suppression code) in `measure`."""
        if measure == ATTAINMENT8:
            return self.attainment8, self.attainment8_percentile, self.attainment8_suppressed
        return self.progress8, self.percentile, self.suppressed


@dataclass(frozen=True)
class TrustMove:
    from_trust: str
    to_trust: str
    on: datetime.date


@dataclass(frozen=True)
class Facts:
    """What the review knows about one academy. `window` is the performance years to
    judge, newest first: the latest years for which national data was imported;
    `measures` says which measure each year is judged on (Progress 8 unless it says
    otherwise), and `passed_over` the newer years left out for want of a measure the
    policy uses (`measures.performance_window`)."""

    inspections: tuple[InspectionFact, ...] = ()
    performance: tuple[PerformanceFact, ...] = ()
    window: tuple[str, ...] = ()
    measures: Mapping[str, str] = field(default_factory=dict)
    passed_over: tuple[str, ...] = ()
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


def judged(inspection: InspectionFact) -> bool:
    """Whether an inspection carries a judgement the policy reads: a grade or a report
    card (the area judgements of 2024-25, without an overall grade, are neither)."""
    return inspection.grade is not None or cards.read(inspection.report_card) is not None


def describe_inspection(inspection: InspectionFact) -> str:
    when = f"{inspection.date:%d/%m/%Y}"
    if inspection.grade is not None:
        return f"inspection on {when}: grade {inspection.grade} ({GRADES[inspection.grade]})"
    card = cards.read(inspection.report_card)
    if card is not None:
        return f"inspection on {when}: report card – {cards.quote(card)}"
    outcome = inspection.outcome_text or "no single-word judgement"
    areas = "; ".join(f"{area}: {value}" for area, value in sorted(inspection.report_card.items()))
    return f"inspection on {when}: {outcome}" + (f" (judgements by area – {areas})" if areas else "")


def describe_barring(inspection: InspectionFact) -> str:
    """The judgement that bars a school, for letters and messages: "Ofsted grade 4
    (Inadequate) on 14/03/2025" or "Ofsted report card of 24/11/2025: urgent improvement
    in Achievement"."""
    if inspection.grade is not None:
        return f"Ofsted grade {inspection.grade} ({GRADES[inspection.grade]}) on {inspection.date:%d/%m/%Y}"
    card = cards.read(inspection.report_card)
    found = "; ".join(cards.concerns(card)) if card else "no judgement"
    return f"Ofsted report card of {inspection.date:%d/%m/%Y}: {found}"


def measure_of(facts: Facts, year: str) -> str:
    return facts.measures.get(year, PROGRESS8)


def describe_year(year: str, result: PerformanceFact | None, measure: str = PROGRESS8) -> str:
    if result is None:
        return f"{year}: no data"
    score, rank, suppressed = result.score(measure)
    if rank is None:
        what = "no score" if measure == PROGRESS8 else "no Attainment 8 score"
        return f"{year}: {what} ({suppressed or 'not published'})"
    if measure == ATTAINMENT8:
        return f"{year}: Attainment 8 {score if score is not None else '–'}, {percentile(rank)}"
    sign = "+" if score is not None and score >= 0 else ""
    p8 = f"Progress 8 {sign}{score}" if score is not None else "Progress 8 –"
    return f"{year}: {p8}, {percentile(rank)}"


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

    def text(value):
        return str(value) if value is not None else None

    def year_evidence(year):
        result = by_year.get(year)
        return {
            "year": year,
            "measure": measure_of(facts, year),
            "progress8": text(result.progress8) if result else None,
            "percentile": text(result.percentile) if result else None,
            "suppressed": result.suppressed if result else "",
            "attainment8": text(result.attainment8) if result else None,
            "attainment8_percentile": text(result.attainment8_percentile) if result else None,
            "attainment8_suppressed": result.attainment8_suppressed if result else "",
        }

    return {
        "inspection": inspection(latest),
        "performance": [year_evidence(year) for year in facts.window],
        "performance_passed_over": list(facts.passed_over),
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


def _percentile(facts: Facts, by_year: dict[str, PerformanceFact], year: str) -> Decimal | None:
    result = by_year.get(year)
    return result.score(measure_of(facts, year))[1] if result else None


def _measure_label(facts: Facts) -> str:
    used = {measure_of(facts, year) for year in facts.window} or {PROGRESS8}
    return MEASURES[used.pop()] if len(used) == 1 else "Progress 8 or Attainment 8"


def _performance(rules: Rules, facts: Facts, by_year: dict[str, PerformanceFact]) -> tuple[bool | None, list[str]]:
    threshold = rules.percentile_threshold
    label = _measure_label(facts)
    years = (
        ", ".join(describe_year(year, by_year.get(year), measure_of(facts, year)) for year in facts.window)
        or "no national data imported"
    )
    scored = [(year, p) for year in facts.window if (p := _percentile(facts, by_year, year)) is not None]
    measures = describe_measures(facts.window, facts.measures, facts.passed_over)
    if not scored:
        answer = _treatment(rules.no_performance_treatment)
        verdict = "referred to the steering group" if answer is None else "not eligible under the policy"
        return answer, [f"No {label} score in the years considered ({years}): {verdict}.", measures]
    if rules.performance_rule == "average":
        average = (sum(p for _, p in scored) / len(scored)).quantize(Decimal("0.1"))
        ok = average >= threshold
        relation = "at or above" if ok else "below"
        return ok, [
            f"Average {label} percentile {average} over {len(scored)} year{'s' if len(scored) != 1 else ''} "
            f"({years}), {relation} {percentile(threshold, the=True)}.",
            measures,
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
        f"{label} at or above {percentile(threshold, the=True)} in {len(met)} of {len(scored)} "
        f"year{'s' if len(scored) != 1 else ''} with a score ({years}); the policy needs {rules.years_required} of "
        f"the last {rules.performance_years}{short}: {relation} it.",
        measures,
    ]


def _decided(answer: bool | None, refer: str = "referred to the steering group") -> str:
    return refer if answer is None else "not eligible under the policy"


def _judge_inspection(
    rules: Rules, facts: Facts, deciding: InspectionFact, by_year: dict[str, PerformanceFact]
) -> tuple[bool | None, list[str], bool]:
    """(eligible, reasons, whether performance was judged) from the inspection that
    decides: a grade or a report card."""
    grade = deciding.grade
    if grade is None:
        card = cards.read(deciding.report_card)
        verdict = cards.judge(card, strong_areas_required=rules.report_card_strong_areas)
        if verdict.verdict == cards.BARRED:
            return False, [verdict.reason], False
        if verdict.verdict == cards.UNREADABLE:
            return None, [f"{verdict.reason[:-1]}: referred to the steering group."], False
        if verdict.verdict == cards.SHORT:
            answer = _treatment(rules.report_card_shortfall_treatment)
            return answer, [f"{verdict.reason[:-1]}: {_decided(answer)}."], False
        if not rules.report_card_needs_performance:
            return True, [f"{verdict.reason[:-1]}: eligible on its report card, as the policy says."], False
        eligible, why = _performance(rules, facts, by_year)
        return eligible, [f"{verdict.reason[:-1]}: performance decides, as for a grade 2 (Good).", *why], True
    if grade in (3, 4):
        return False, ["A grade 3 or 4 makes a school ineligible to renew for the next year."], False
    if grade == 1 and rules.grade1_eligible:
        return True, ["Grade 1 (Outstanding) is eligible on its own."], False
    eligible, why = _performance(rules, facts, by_year)
    return eligible, why, True


def assess(rules: Rules, facts: Facts) -> Assessment:
    """Apply the policy to one academy's data. See the module docstring for the rules."""
    inspections = sorted(facts.inspections, key=lambda i: i.date, reverse=True)
    latest = inspections[0] if inspections else None
    by_year = {p.year: p for p in facts.performance}
    evidence = _evidence(facts, latest, by_year)
    reasons: list[str] = []
    eligible: bool | None = None
    performance_judged = False

    if not facts.meets_prerequisite:
        eligible = False
        reasons.append(f"Not an active member of {facts.prerequisite}, which this network requires.")
    elif latest is None:
        eligible = _treatment(rules.no_inspection_treatment)
        reasons.append(f"No inspection on record: {_decided(eligible)}.")
    else:
        reasons.append(f"Latest {describe_inspection(latest)}.")
        deciding: InspectionFact | None = latest
        if not judged(latest):
            deciding = None
            if rules.ungraded_treatment == "previous_grade":
                earlier = next((i for i in inspections[1:] if judged(i)), None)
                if earlier is None:
                    eligible = _treatment(rules.no_inspection_treatment)
                    reasons.append(f"No earlier judged inspection to fall back on: {_decided(eligible)}.")
                else:
                    deciding = earlier
                    evidence["graded_inspection"] = {"date": earlier.date.isoformat(), "grade": earlier.grade}
                    if earlier.grade is None:
                        evidence["graded_inspection"]["report_card"] = dict(earlier.report_card)
                    reasons.append(
                        f"No single-word judgement or report card, so the policy uses the "
                        f"{describe_inspection(earlier)}."
                    )
            else:
                eligible = _treatment(rules.ungraded_treatment)
                reasons.append(f"No single-word judgement or report card: {_decided(eligible)}.")
        if deciding is not None:
            eligible, why, performance_judged = _judge_inspection(rules, facts, deciding, by_year)
            reasons += why

    if facts.is_member:
        if eligible is True:
            outcome = RENEW
            newest = facts.window[0] if facts.window else None
            newest_percentile = _percentile(facts, by_year, newest) if newest else None
            if (
                performance_judged
                and newest
                and (newest_percentile is None or newest_percentile < rules.percentile_threshold)
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


def bars(inspection: InspectionFact) -> bool:
    """Whether an inspection makes a school ineligible on its own: a grade 3 or 4, or a
    report card with urgent improvement in an area or safeguarding not met. The same
    for every policy, as a grade 4 always was."""
    if inspection.grade is not None:
        return inspection.grade in (3, 4)
    card = cards.read(inspection.report_card)
    return card is not None and bool(cards.concerns(card))


def barring_inspection(rules: Rules, inspections: Iterable[InspectionFact]) -> InspectionFact | None:
    """The inspection that makes a school ineligible on its own under `rules`, as
    `assess` decides it: the latest inspection if it bars (`bars`), or, when the latest
    has no judgement at all and the policy falls back to the previous one, that earlier
    judged inspection if it bars. None otherwise (the data may still make the school
    ineligible or refer it, but not the inspection alone)."""
    inspections = sorted(inspections, key=lambda i: i.date, reverse=True)
    if not inspections:
        return None
    deciding = inspections[0]
    if not judged(deciding) and rules.ungraded_treatment == "previous_grade":
        deciding = next((i for i in inspections[1:] if judged(i)), deciding)
    return deciding if bars(deciding) else None


def review_saw(evidence: Mapping | None, inspection: InspectionFact) -> bool:
    """Whether a confirmed review proposal's `evidence` had seen `inspection` (or a later
    one): an invitation confirmed so is the coordinators' decision, taken knowing it.
    One rule for the service that refuses an acceptance and the page that explains it."""
    seen = ((evidence or {}).get("inspection") or {}).get("date")
    return bool(seen) and datetime.date.fromisoformat(seen) >= inspection.date
