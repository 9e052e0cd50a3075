"""Import KS4 school-level Progress 8 and Attainment 8 as the DfE publishes them, in
either of its forms, and compute each school's national percentile from the file.

| form | school | year | Progress 8 | Attainment 8 | no score |
| --- | --- | --- | --- | --- | --- |
| performance tables (`england_ks4final.csv`) | `URN`, rows with `RECTYPE` 1 (mainstream) or 2 (special) | not in the file: `--year` | `P8MEA` | `ATT8SCR` | `SUPP`, `NE`, `NP`, `LOWCOV`, `NA` |
| Explore Education Statistics | `school_urn`, `geographic_level` School | `time_period` (`202425` → 2024-25) | `progress8_average` | `attainment8_average` | `z`, `c`, `x`, `u`, `low`, `:` |

A file needs the school column and at least one of the two measures. The DfE published
no Progress 8 for 2024-25 and 2025-26 (no KS2 results in 2020 and 2021 to measure
progress from), so those files have Attainment 8 only; a membership policy may use the
Attainment 8 percentile for such years. A measure the file does not have is left as it
is for every school (so an older file re-imported does not wipe the other measure), and
the report says so at its top.

The EES file repeats each school once per pupil breakdown (sex, disadvantage, …); only
the all-pupils row (every breakdown column "Total") is read. With `--year`, an EES file
holding several years is cut to that one. One row per school per year remains, so a
school twice in a year is a row error.

Percentiles are computed, never typed in: for each year and measure, among **all
schools in the file with a score** (not just ours), the percentile rank of a school's
score is `(schools below + half of the schools level with it) / schools with a score ×
100`, so ties share a percentile and the measure does not depend on how ties are
ordered. Only academies already in the portal are written; the rest of the nation is
read for the percentiles and counted as skipped. A school without a score keeps the
DfE's code and no percentile.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from trusts.importers.base import SKIP, CsvImporter, ImportFileError, Outcome, Row, RowError, Skip, Source
from trusts.models import Academy, PerformanceResult

TABLES = "performance tables"
EES = "Explore Education Statistics"

# Performance tables
RECTYPE = "RECTYPE"
URN = "URN"
P8 = "P8MEA"
A8 = "ATT8SCR"
SCHOOL_RECTYPES = {"1", "2"}  # 1 mainstream school, 2 special school; 4 LA, 5 and 7 national totals
TABLES_CODES = ("SUPP", "NE", "NP", "LOWCOV", "NA")

# Explore Education Statistics
TIME_PERIOD = "time_period"
LEVEL = "geographic_level"
SCHOOL_URN = "school_urn"
P8_AVERAGE = "progress8_average"
A8_AVERAGE = "attainment8_average"
EES_CODES = ("Z", "C", "X", "U", "LOW", ":")
# Pupil breakdowns: the all-pupils row has "Total" in every one the file has.
BREAKDOWN_COLUMNS = (
    "breakdown_topic",
    "breakdown",
    "sex",
    "gender",
    "ethnicity_major",
    "ethnicity_minor",
    "fsm_status",
    "free_school_meals",
    "sen_provision",
    "sen_status",
    "sen_primary_need",
    "primary_need",
    "disadvantage_status",
    "disadvantage",
    "first_language",
    "prior_attainment",
    "ks2_scaled_score_group",
    "mobility",
    "young_carer",
)
ALL_PUPILS = {"total", "all pupils", "all"}

P8_LIMIT = Decimal(10)  # Progress 8 is about ±3 for real schools; beyond ±10 is a typo
A8_LIMIT = Decimal(90)  # Attainment 8 is out of 90 (ten grade-9 slots, English and maths counted twice)

PROGRESS8 = "progress8"
ATTAINMENT8 = "attainment8"
MEASURES = {PROGRESS8: "Progress 8", ATTAINMENT8: "Attainment 8"}


@dataclass(frozen=True)
class Score:
    value: Decimal | None
    suppressed: str = ""


@dataclass(frozen=True)
class Result:
    """One school's year. `scores` holds only the measures the file has."""

    urn: int
    year: str
    scores: dict[str, Score]


def year_from_time_period(value: str) -> str:
    """EES writes 2024/25 as 202425."""
    if len(value) == 6 and value.isdigit() and (int(value[:4]) + 1) % 100 == int(value[4:]):
        return f"{value[:4]}-{value[4:]}"
    raise RowError(f"{TIME_PERIOD} '{value}' is not an academic year such as 202425")


def check_year(value: str) -> str:
    """--year as 2024-25 (or 2024/25 or 202425)."""
    cleaned = value.strip().replace("/", "-")
    if len(cleaned) == 6 and cleaned.isdigit():
        cleaned = f"{cleaned[:4]}-{cleaned[4:]}"
    first, _, second = cleaned.partition("-")
    if not (len(first) == 4 and first.isdigit() and len(second) == 2 and second.isdigit()) or (
        int(first) + 1
    ) % 100 != int(second):
        raise ImportFileError(f"--year '{value}' is not an academic year such as 2024-25")
    return cleaned


def percentile_ranks(scores: list[Decimal]) -> dict[Decimal, Decimal]:
    """Score → percentile rank among `scores`: (below + half of equal) / n × 100."""
    ordered = sorted(scores)
    n = len(ordered)
    ranks = {}
    for score in set(ordered):
        below = bisect.bisect_left(ordered, score)
        equal = bisect.bisect_right(ordered, score) - below
        ranks[score] = (Decimal(below) + Decimal(equal) / 2) * 100 / n
    return {score: rank.quantize(Decimal("0.01")) for score, rank in ranks.items()}


class PerformanceImporter(CsvImporter[Result]):
    file_description = "KS4 performance file (performance tables or Explore Education Statistics)"

    def __init__(self, *, year: str | None = None):
        self.year = check_year(year) if year else None

    def prepare(self, columns):
        present = set(columns)
        if SCHOOL_URN in present and present & {P8_AVERAGE, A8_AVERAGE}:
            self.form = EES
            if TIME_PERIOD not in present and not self.year:
                raise ImportFileError(
                    f"The file has no {TIME_PERIOD} column: say which year it is with --year 2024-25."
                )
            self.breakdowns = [c for c in BREAKDOWN_COLUMNS if c in present]
            self.columns = {PROGRESS8: P8_AVERAGE, ATTAINMENT8: A8_AVERAGE}
        elif URN in present and present & {P8, A8}:
            self.form = TABLES
            if not self.year:
                raise ImportFileError(
                    "A performance-tables file does not say which year it is for: add --year 2024-25."
                )
            self.columns = {PROGRESS8: P8, ATTAINMENT8: A8}
        else:
            found = ", ".join(columns[:8]) + (", …" if len(columns) > 8 else "")
            raise ImportFileError(
                f"The file has neither {URN} with {P8} or {A8} (performance tables) nor {SCHOOL_URN} with "
                f"{P8_AVERAGE} or {A8_AVERAGE} (Explore Education Statistics), so it is not a "
                f"{self.file_description}. Columns found: {found}."
            )
        self.columns = {measure: column for measure, column in self.columns.items() if column in present}
        if PROGRESS8 not in self.columns:
            self.notice(
                f"No {P8 if self.form == TABLES else P8_AVERAGE} column: Progress 8 is not imported from this file "
                "(the DfE published none for 2024-25 and 2025-26); what is stored stays as it is."
            )
        if ATTAINMENT8 not in self.columns:
            self.notice(
                f"No {A8 if self.form == TABLES else A8_AVERAGE} column: Attainment 8 (which a membership policy "
                "may use for years without Progress 8) is not imported from this file; what is stored stays as it is."
            )
        self.first_row: dict[tuple[int, str], int] = {}

    def parse_row(self, row: Row) -> Result | Skip:
        if self.form == TABLES:
            if row.has(RECTYPE) and row.text(RECTYPE) not in SCHOOL_RECTYPES:
                return SKIP  # local-authority and national totals
            urn = row.whole_number(URN)
            year = self.year
            codes = TABLES_CODES
        else:
            if row.has(LEVEL) and row.text(LEVEL).lower() != "school":
                return SKIP
            if any(row.text(column).lower() not in ALL_PUPILS for column in self.breakdowns):
                return SKIP  # a breakdown (boys, disadvantaged, …), not all pupils
            year = year_from_time_period(row.required(TIME_PERIOD)) if row.has(TIME_PERIOD) else self.year
            if self.year and year != self.year:
                return SKIP
            urn = row.whole_number(SCHOOL_URN)
            codes = EES_CODES
        scores = {measure: self._score(row, column, codes, measure) for measure, column in self.columns.items()}
        if urn is None:
            raise RowError(f"{URN if self.form == TABLES else SCHOOL_URN} is missing")
        key = (urn, year)
        if key in self.first_row:
            raise RowError(
                f"URN {urn} appears again for {year} (first on row {self.first_row[key]}); only the first is imported"
            )
        self.first_row[key] = row.number
        return Result(urn=urn, year=year, scores=scores)

    @staticmethod
    def _score(row: Row, column: str, codes: tuple[str, ...], measure: str) -> Score:
        value = row.text(column)
        if not value:
            return Score(None)
        if value.upper() in codes:
            return Score(None, value)
        if measure == PROGRESS8:
            return Score(row.decimal(column, places=2, lowest=-P8_LIMIT, highest=P8_LIMIT))
        return Score(row.decimal(column, places=2, lowest=Decimal(0), highest=A8_LIMIT))

    def before_write(self, items):
        scores = defaultdict(list)
        for item in items:
            for measure, score in item.scores.items():
                if score.value is not None:
                    scores[(measure, item.year)].append(score.value)
        self.ranks = {key: percentile_ranks(values) for key, values in scores.items()}
        self.national = {key: len(values) for key, values in scores.items()}
        self.academies = dict(Academy.objects.filter(urn__in={item.urn for item in items}).values_list("urn", "pk"))
        self.stored = {
            (r.academy_id, r.academic_year): r
            for r in PerformanceResult.objects.filter(
                academy_id__in=self.academies.values(), academic_year__in={item.year for item in items}
            )
        }

    def _values(self, item: Result) -> dict:
        values = {}
        for measure, score in item.scores.items():
            percentile = self.ranks[(measure, item.year)][score.value] if score.value is not None else None
            if measure == PROGRESS8:
                values.update(progress8=score.value, percentile=percentile, suppressed=score.suppressed)
            else:
                values.update(
                    attainment8=score.value, attainment8_percentile=percentile, attainment8_suppressed=score.suppressed
                )
        return values

    def write_row(self, item: Result) -> Outcome:
        academy_id = self.academies.get(item.urn)
        if academy_id is None:
            self.note("schools not in the portal (read for the percentiles only)")
            return Outcome.SKIPPED
        values = self._values(item)
        stored = self.stored.get((academy_id, item.year))
        if stored is None:
            result = PerformanceResult(academy_id=academy_id, academic_year=item.year, **values)
            result.full_clean(validate_unique=False)
            result.save()
            self.stored[(academy_id, item.year)] = result
            return Outcome.CREATED
        changed = [name for name, value in values.items() if getattr(stored, name) != value]
        if not changed:
            return Outcome.UNCHANGED
        for name in changed:
            setattr(stored, name, values[name])
        stored.save(update_fields=changed)
        return Outcome.UPDATED

    def row_rolled_back(self, item: Result) -> None:
        # Each (URN, year) is written once per file, so nothing later needs the cache.
        self.stored.pop((self.academies.get(item.urn), item.year), None)


def import_performance(*, source: Source, year: str | None = None):
    """Import a KS4 school-level file (a path or a file object) and report on it.

    Rules: the form is recognised from the columns (the school and Progress 8 or
    Attainment 8, or both; a measure the file lacks is left alone and named at the top
    of the report); `year` (2024-25) is required for a
    performance-tables file and, for an EES file, keeps only that year. Only school rows
    and, in EES, only the all-pupils row are read. Percentiles are computed per year and measure
    from every school in the file with a score. Results are written for academies already in
    the portal, matched by URN; only what differs is saved, so importing the same file
    again reports every row unchanged. Suppression codes are kept, with no score and no
    percentile. Bad rows are reported with their row numbers and the rest imported, in
    one transaction. Raises ImportFileError if the file is not one of the two forms."""
    importer = PerformanceImporter(year=year)
    report = importer.run(source)
    for (measure, year_label), n in sorted(getattr(importer, "national", {}).items(), key=lambda kv: kv[0][::-1]):
        article = "an" if measure == ATTAINMENT8 else "a"
        report.note(f"schools with {article} {MEASURES[measure]} score in {year_label} (the percentiles' base)", n)
    return report
