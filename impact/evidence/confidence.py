"""How confident we are in a claimed change: a rule a coordinator can read, written once
and shown on every evidence page (`RULE_TEXT`).

Independence is counted by *kind* of source: five teachers saying the same thing are
one source type (teacher voice). Pupils' work or data (work scrutiny, progress or
assessment data, attendance data) is what moves a claim from corroborated to
triangulated, because it does not depend on anyone's impression.
"""

import datetime
from dataclasses import dataclass

from impact.evidence.models import SourceType

PUPIL_WORK_OR_DATA = frozenset({SourceType.WORK_SCRUTINY, SourceType.PROGRESS_DATA, SourceType.ATTENDANCE_DATA})

NONE, ANECDOTAL, CORROBORATED, TRIANGULATED = "none", "anecdotal", "corroborated", "triangulated"
LABELS = {
    NONE: "No evidence yet",
    ANECDOTAL: "Anecdotal",
    CORROBORATED: "Corroborated",
    TRIANGULATED: "Triangulated",
}
RULE_TEXT = (
    "One source type: anecdotal. Two or more: corroborated. Three or more, including pupils' work "
    "or data (work scrutiny, progress or assessment data, attendance data): triangulated."
)
LAG_TEXT = (
    "Lagged benefits are expected: changes in teaching often show three to twelve months after CPD, "
    "and in pupils' outcomes later still. A change seen a year on is not a weaker claim."
)


@dataclass(frozen=True)
class Confidence:
    level: str
    source_types: int
    reason: str

    @property
    def label(self) -> str:
        return LABELS[self.level]


def confidence(source_types) -> Confidence:
    """The confidence rating of a claim from the source types of its evidence."""
    kinds = set(source_types)
    n = len(kinds)
    has_pupil_evidence = bool(kinds & PUPIL_WORK_OR_DATA)
    if n == 0:
        return Confidence(NONE, 0, "No evidence has been recorded for this claim yet.")
    if n == 1:
        return Confidence(ANECDOTAL, 1, "One source type: add a different kind of evidence to corroborate it.")
    if n >= 3 and has_pupil_evidence:
        return Confidence(TRIANGULATED, n, f"{n} source types, including pupils' work or data.")
    if n >= 3:
        return Confidence(CORROBORATED, n, f"{n} source types, but no pupils' work or data yet: add it to triangulate.")
    return Confidence(CORROBORATED, n, "Two source types: a third, from pupils' work or data, would triangulate it.")


def lag_months(cpd_on: datetime.date | None, observed_on: datetime.date | None) -> int | None:
    """Whole months from the CPD to when the change was observed (None if either is
    unknown; 0 if observed before or within a month)."""
    if cpd_on is None or observed_on is None:
        return None
    months = (observed_on.year - cpd_on.year) * 12 + observed_on.month - cpd_on.month
    if observed_on.day < cpd_on.day:
        months -= 1
    return max(months, 0)
