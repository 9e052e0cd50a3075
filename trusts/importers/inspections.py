"""Import Ofsted's management information for state-funded schools (the monthly
"inspections and outcomes" CSV), keeping the inspection history per academy.

| Ofsted column | Inspection field |
| --- | --- |
| URN | the academy (only academies already in the portal; others are skipped) |
| Inspection start date | inspection_date (blank: never inspected, skipped) |
| Overall effectiveness | grade 1-4; `Not judged`, blank, `NULL` or `9` → no grade, with the text kept |
| report-card areas (Inclusion, Curriculum and teaching, Achievement, …) | report_card, where the file has them |
| Previous inspection start date, Previous overall effectiveness | a second, earlier inspection |

Since September 2024 most inspections have no single-word judgement: `grade` stays empty,
`outcome_text` says what was published and `report_card` holds the areas' outcomes, so
that nothing downstream has to guess. One inspection per academy per day: a row for a day
already known (e.g. from GIAS) is updated from this file, which is the better source.
Dates are dd/mm/yyyy, as Ofsted publishes them (yyyy-mm-dd is accepted too).

Each inspection written or changed is announced (`trusts.signals.inspection_recorded`),
inside the row's savepoint; the membership year listens, to flag a member "at risk"
after a grade 3 or 4.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from trusts.importers.base import SKIP, CsvImporter, Outcome, Row, RowError, Skip, Source
from trusts.models import Academy, Inspection
from trusts.signals import announce_inspection

URN = "URN"
DATE = "Inspection start date"
OVERALL = "Overall effectiveness"
PREVIOUS_DATE = "Previous inspection start date"
PREVIOUS_OVERALL = "Previous overall effectiveness"
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")
UNGRADED = {"": "", "not judged": "Not judged", "null": "", "9": "Not judged"}
# The report-card areas of inspections from November 2025, as Ofsted names them.
REPORT_CARD_AREAS = (
    "Inclusion",
    "Curriculum and teaching",
    "Achievement",
    "Attendance and behaviour",
    "Personal development and well-being",
    "Leadership and governance",
    "Early years in schools",
    "Sixth form in schools",
    "Safeguarding",
)


@dataclass(frozen=True)
class Judgement:
    date: datetime.date
    grade: int | None
    outcome_text: str
    report_card: dict = field(default_factory=dict)
    previous: bool = False  # from the "Previous …" columns, which carry no report card


@dataclass(frozen=True)
class InspectionRow:
    urn: int
    judgements: tuple[Judgement, ...]


def grade_of(row: Row, column: str) -> tuple[int | None, str]:
    """(grade, outcome text) from an overall-effectiveness cell."""
    value = row.text(column)
    if value in {"1", "2", "3", "4"}:
        return int(value), ""
    if value.lower() in UNGRADED:
        return None, UNGRADED[value.lower()]
    raise RowError(f"{column} '{value}' is not a grade 1 to 4 or 'Not judged'")


class InspectionImporter(CsvImporter[InspectionRow]):
    required_columns = (URN, DATE, OVERALL)
    file_description = "Ofsted management information file (state-funded schools)"

    def prepare(self, columns):
        self.areas = [area for area in REPORT_CARD_AREAS if area in columns]
        self.has_previous = PREVIOUS_DATE in columns and PREVIOUS_OVERALL in columns
        self.ours = set(Academy.objects.values_list("urn", flat=True))
        self.first_row: dict[int, int] = {}

    def parse_row(self, row: Row) -> InspectionRow | Skip:
        urn = row.whole_number(URN)
        if urn is None:
            raise RowError("URN is missing")
        if urn not in self.ours:
            return SKIP
        judgements = []
        inspected_on = row.date(DATE, formats=DATE_FORMATS)
        if inspected_on:
            grade, text = grade_of(row, OVERALL)
            report_card = {area: row.text(area) for area in self.areas if row.text(area)}
            if grade is None and not text:
                text = "Report card" if report_card else "No single-word judgement"
            judgements.append(Judgement(date=inspected_on, grade=grade, outcome_text=text, report_card=report_card))
        if self.has_previous:
            previous_on = row.date(PREVIOUS_DATE, formats=DATE_FORMATS)
            if previous_on:
                if inspected_on and previous_on >= inspected_on:
                    raise RowError(f"{PREVIOUS_DATE} {previous_on:%d/%m/%Y} is not before {DATE}")
                grade, text = grade_of(row, PREVIOUS_OVERALL)
                judgements.append(
                    Judgement(
                        date=previous_on,
                        grade=grade,
                        outcome_text=text or ("" if grade else "No single-word judgement"),
                        previous=True,
                    )
                )
        if not judgements:
            return SKIP  # never inspected
        if urn in self.first_row:
            raise RowError(f"URN {urn} appears again (first on row {self.first_row[urn]}); only the first is imported")
        self.first_row[urn] = row.number
        return InspectionRow(urn=urn, judgements=tuple(judgements))

    def before_write(self, items):
        self.academies = dict(Academy.objects.filter(urn__in={i.urn for i in items}).values_list("urn", "pk"))
        self.stored = {
            (i.academy_id, i.inspection_date): i
            for i in Inspection.objects.filter(academy_id__in=self.academies.values())
        }

    def write_row(self, item: InspectionRow) -> Outcome:
        academy_id = self.academies[item.urn]
        created = updated = False
        touched = []
        for judgement in item.judgements:
            values = {
                "grade": judgement.grade,
                "outcome_text": judgement.outcome_text[:200],
                "report_card": judgement.report_card,
                "source": Inspection.Source.OFSTED_MI,
            }
            stored = self.stored.get((academy_id, judgement.date))
            if stored is None:
                inspection = Inspection(academy_id=academy_id, inspection_date=judgement.date, **values)
                inspection.full_clean(validate_unique=False)
                inspection.save()
                self.stored[(academy_id, judgement.date)] = inspection
                created = True
                touched.append(inspection)
                continue
            # A previous-inspection column carries no report card: never wipe one.
            if judgement.previous:
                values["report_card"] = stored.report_card
            changed = [name for name, value in values.items() if getattr(stored, name) != value]
            if changed:
                for name in changed:
                    setattr(stored, name, values[name])
                stored.full_clean(validate_unique=False)
                stored.save(update_fields=changed)
                updated = True
                touched.append(stored)
        for inspection in touched:
            if flagged := announce_inspection(inspection):
                self.note("memberships flagged at risk", flagged)
        if created:
            return Outcome.CREATED
        return Outcome.UPDATED if updated else Outcome.UNCHANGED

    def row_rolled_back(self, item: InspectionRow) -> None:
        academy_id = self.academies.get(item.urn)
        for judgement in item.judgements:
            self.stored.pop((academy_id, judgement.date), None)
        # Reload what the savepoint restored, so a later comparison is against the truth.
        for inspection in Inspection.objects.filter(academy_id=academy_id):
            self.stored[(academy_id, inspection.inspection_date)] = inspection


def import_inspections(*, source: Source):
    """Import an Ofsted management-information file (a path or a file object).

    Rules: academies are matched by URN and must already be in the portal (others are
    skipped); each inspection is keyed by (academy, start date), created when new and
    otherwise updated only where it differs, so importing the same file twice reports
    every row unchanged. Overall effectiveness 1-4 is the grade; "Not judged" or blank
    leaves the grade empty with the published text; report-card areas are kept where the
    file has them. The previous inspection, when the file has it, is kept too. Bad rows
    are reported with their row numbers and the rest written in one transaction.
    Each inspection written or changed is announced inside the row's savepoint
    (`trusts.signals.inspection_recorded`); what listeners change is counted in the
    report (e.g. "memberships flagged at risk")."""
    return InspectionImporter().run(source)
