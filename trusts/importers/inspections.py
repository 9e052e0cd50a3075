"""Import Ofsted's management information for state-funded schools, keeping the
inspection history per academy.

Ofsted publishes two shapes with the same columns: the "latest inspections" file (one
row per school, with its previous inspection beside it) and the in-year and "all
inspections" files (one row per inspection, so a school appears on as many rows as it
had inspections). Both are read the same way: every row is an inspection, every
inspection is imported, and the academy's latest inspection is what decides its
eligibility (the review and the mid-year "at risk" flag look at the latest).

| Ofsted column | Inspection field |
| --- | --- |
| URN | the academy (only academies already in the portal; others are skipped) |
| Inspection number | inspection_number: the key of the inspection, when the file has it |
| Inspection start date | inspection_date (blank: never inspected, skipped) |
| Overall effectiveness | grade 1-4; `Not judged`, blank, `NULL` or `9` → no grade, with the text kept |
| report-card areas (Inclusion, Curriculum and teaching, Achievement, Attendance and behaviour, Personal development and well-being, Leadership and governance, Early years in schools, Sixth form in schools, Safeguarding) | report_card, where the file has them |
| Previous inspection number, Previous inspection start date, Previous overall effectiveness | a second, earlier inspection |

Keys. An inspection is identified by its inspection number where the file has one, and
otherwise by URN and start date; an academy has at most one inspection a day. The same
inspection twice in one file (the same number, or the same URN and date) is a row error
naming the first row: the importer cannot tell which account is right. A "previous"
inspection that has a row of its own in the file is taken from that row.

Report cards (inspections from November 2025): the area grades are kept as Ofsted
spells them (trusts/report_cards.py), "Personal development and wellbeing" and
"Safeguarding standards" are read as the areas they are, and a grade that is not on
the five-point scale (or safeguarding other than met / not met) is a row error, so the
membership policy never reads a card it cannot understand.

Each inspection written or changed is announced (`trusts.signals.inspection_recorded`)
inside the row's savepoint, newest first, so a listener that only acts on an academy's
latest inspection (the membership year's "at risk" flag) sees the newer inspections of
the file already written, whatever order the file lists them in.

Dates are dd/mm/yyyy, as Ofsted publishes them (yyyy-mm-dd is accepted too).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from trusts import report_cards
from trusts.importers.base import (
    SKIP,
    CsvImporter,
    ImportFileError,
    Outcome,
    Row,
    RowError,
    Skip,
    Source,
    look_alikes,
)
from trusts.models import Academy, Inspection
from trusts.signals import announce_inspection

URN = "URN"
NUMBER = "Inspection number"
DATE = "Inspection start date"
OVERALL = "Overall effectiveness"
PREVIOUS_NUMBER = "Previous inspection number"
PREVIOUS_DATE = "Previous inspection start date"
PREVIOUS_OVERALL = "Previous overall effectiveness"
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")
UNGRADED = {"": "", "not judged": "Not judged", "null": "", "9": "Not judged"}
# The report-card areas of inspections from November 2025, as Ofsted names them, and
# safeguarding (stored with the areas).
REPORT_CARD_AREAS = (*report_cards.AREAS, report_cards.SAFEGUARDING)


@dataclass(frozen=True)
class Judgement:
    date: datetime.date
    grade: int | None
    outcome_text: str
    number: str = ""
    report_card: dict = field(default_factory=dict)
    previous: bool = False  # from the "Previous …" columns, which carry no report card


@dataclass(frozen=True)
class InspectionRow:
    urn: int
    judgements: tuple[Judgement, ...]

    @property
    def latest(self) -> datetime.date:
        return max(j.date for j in self.judgements)


def grade_of(row: Row, column: str) -> tuple[int | None, str]:
    """(grade, outcome text) from an overall-effectiveness cell."""
    value = row.text(column)
    if value in {"1", "2", "3", "4"}:
        return int(value), ""
    if value.lower() in UNGRADED:
        return None, UNGRADED[value.lower()]
    raise RowError(f"{column} '{value}' is not a grade 1 to 4 or 'Not judged'")


def number_of(row: Row, column: str | None) -> str:
    value = row.text(column) if column else ""
    return "" if value.upper() == "NULL" else value


class InspectionImporter(CsvImporter[InspectionRow]):
    required_columns = (URN, DATE)
    file_description = "Ofsted management information file (state-funded schools)"

    def prepare(self, columns):
        # Area → the column it is read from (Ofsted's spelling, or another one it uses).
        self.area_columns: dict[str, str] = {}
        for column in columns:
            area = report_cards.AREA_ALIASES.get(column, column)
            if area in REPORT_CARD_AREAS and area not in self.area_columns:
                self.area_columns[area] = column
        if OVERALL not in columns:
            if not self.area_columns:
                raise ImportFileError(
                    f"The file has no {OVERALL} column (nor any report-card area), so it is not a "
                    f"{self.file_description}."
                )
            self.notice(f"No {OVERALL} column: inspections are read from their report-card areas only.")
        self.has_overall = OVERALL in columns
        self.number_column = NUMBER if NUMBER in columns else None
        if self.number_column is None:
            self.notice(f"No {NUMBER} column: inspections are identified by URN and {DATE}.")
        self.has_previous = PREVIOUS_DATE in columns and PREVIOUS_OVERALL in columns
        self.previous_number_column = PREVIOUS_NUMBER if PREVIOUS_NUMBER in columns else None
        for header in (NUMBER, DATE, OVERALL, PREVIOUS_NUMBER, PREVIOUS_DATE, PREVIOUS_OVERALL, *REPORT_CARD_AREAS):
            accepted = (header, *(alias for alias, area in report_cards.AREA_ALIASES.items() if area == header))
            if any(a in columns for a in accepted):
                continue
            for column in look_alikes(columns, accepted):
                self.notice(f"The column “{column}” is not read: Ofsted spells it “{header}”.")
        self.ours = set(Academy.objects.values_list("urn", flat=True))
        self.row_of_number: dict[str, int] = {}
        self.row_of_day: dict[tuple[int, datetime.date], tuple[int, str]] = {}

    def parse_row(self, row: Row) -> InspectionRow | Skip:
        urn = row.whole_number(URN)
        if urn is None:
            raise RowError("URN is missing")
        if urn not in self.ours:
            return SKIP
        judgements = []
        inspected_on = row.date(DATE, formats=DATE_FORMATS)
        if inspected_on:
            grade, text = grade_of(row, OVERALL) if self.has_overall else (None, "")
            report_card = self._report_card(row)
            if grade is None and not text:
                text = "Report card" if report_card else "No single-word judgement"
            judgements.append(
                Judgement(
                    date=inspected_on,
                    grade=grade,
                    outcome_text=text,
                    number=number_of(row, self.number_column),
                    report_card=report_card,
                )
            )
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
                        number=number_of(row, self.previous_number_column),
                        previous=True,
                    )
                )
        if not judgements:
            return SKIP  # never inspected
        if inspected_on:
            self._claim(row, urn, judgements[0])
        return InspectionRow(urn=urn, judgements=tuple(judgements))

    def _report_card(self, row: Row) -> dict:
        """{area: grade} as stored, from the row's report-card columns."""
        card = {}
        for area, column in self.area_columns.items():
            value = row.text(column)
            if report_cards.not_graded(value):
                continue
            if area == report_cards.SAFEGUARDING:
                outcome = report_cards.safeguarding_outcome(value)
                if outcome is None:
                    raise RowError(f"{column} '{value}' is not 'Met' or 'Not met'")
            else:
                outcome = report_cards.area_grade(value)
                if outcome is None:
                    raise RowError(
                        f"{column} '{value}' is not a report-card grade (exceptional, strong standard, expected "
                        "standard, needs attention or urgent improvement)"
                    )
            card[area] = outcome
        return card

    def _claim(self, row: Row, urn: int, judgement: Judgement) -> None:
        """Refuse the same inspection twice: its number, or its academy and day, already
        on an earlier row of the file."""
        if judgement.number and judgement.number in self.row_of_number:
            first = self.row_of_number[judgement.number]
            raise RowError(
                f"Inspection number {judgement.number} appears again (first on row {first}): the same inspection "
                "twice, so only the first is imported"
            )
        day = (urn, judgement.date)
        if day in self.row_of_day:
            first, number = self.row_of_day[day]
            if number and judgement.number and number != judgement.number:
                raise RowError(
                    f"URN {urn} has two inspections starting {judgement.date:%d/%m/%Y} (numbers {number} on row "
                    f"{first} and {judgement.number}); only one a day can be recorded, so only the first is imported"
                )
            raise RowError(
                f"URN {urn}'s inspection of {judgement.date:%d/%m/%Y} appears again (first on row {first}): the same "
                "inspection twice, so only the first is imported"
            )
        if judgement.number:
            self.row_of_number[judgement.number] = row.number
        self.row_of_day[day] = (row.number, judgement.number)

    def write_order(self, parsed):
        # Newest first: when an inspection is announced, the file's newer inspections of
        # that academy are already written, so "is this the latest?" is answered right.
        return sorted(parsed, key=lambda numbered: numbered[1].latest, reverse=True)

    def before_write(self, items):
        self.academies = dict(Academy.objects.filter(urn__in={i.urn for i in items}).values_list("urn", "pk"))
        self.stored: dict[tuple[int, datetime.date], Inspection] = {}
        self.numbered: dict[str, Inspection] = {}
        self._load(Inspection.objects.filter(academy_id__in=self.academies.values()))
        numbers = {j.number for i in items for j in i.judgements if j.number}
        self._load(
            Inspection.objects.filter(inspection_number__in=numbers).exclude(academy_id__in=self.academies.values())
        )
        # Inspections that have a row of their own (by URN and day, or by number): a
        # "previous" mention of them elsewhere is left to that row.
        self.described = {(i.urn, j.date) for i in items for j in i.judgements if not j.previous}
        self.described |= {j.number for i in items for j in i.judgements if j.number and not j.previous}

    def _load(self, inspections) -> None:
        for inspection in inspections:
            self.stored[(inspection.academy_id, inspection.inspection_date)] = inspection
            if inspection.inspection_number:
                self.numbered[inspection.inspection_number] = inspection

    def write_row(self, item: InspectionRow) -> Outcome:
        academy_id = self.academies[item.urn]
        created = updated = False
        touched = []
        for judgement in item.judgements:
            if judgement.previous and (
                (item.urn, judgement.date) in self.described or judgement.number in self.described
            ):
                continue
            inspection, outcome = self._write_judgement(academy_id, judgement)
            created |= outcome is Outcome.CREATED
            updated |= outcome is Outcome.UPDATED
            if outcome is not Outcome.UNCHANGED:
                touched.append(inspection)
        for inspection in touched:
            if flagged := announce_inspection(inspection):
                self.note("memberships flagged at risk", flagged)
        if created:
            return Outcome.CREATED
        return Outcome.UPDATED if updated else Outcome.UNCHANGED

    def _write_judgement(self, academy_id: int, judgement: Judgement) -> tuple[Inspection, Outcome]:
        values = {
            "inspection_date": judgement.date,
            "grade": judgement.grade,
            "outcome_text": judgement.outcome_text[:200],
            "report_card": judgement.report_card,
            "source": Inspection.Source.OFSTED_MI,
        }
        if judgement.number:
            values["inspection_number"] = judgement.number
        stored = self._stored(academy_id, judgement)
        if stored is None:
            inspection = Inspection(academy_id=academy_id, **values)
            inspection.full_clean(validate_unique=False)
            inspection.save()
            self._load([inspection])
            return inspection, Outcome.CREATED
        # Only what the file has is written: a previous-inspection column, or a file
        # without the report-card columns, carries no report card, so never wipe one (nor
        # the text that says it is one); a file without Overall effectiveness keeps the grade.
        if judgement.previous or not self.area_columns:
            values["report_card"] = stored.report_card
            if judgement.grade is None and stored.report_card:
                values["outcome_text"] = stored.outcome_text
        if not self.has_overall and not judgement.previous:
            values["grade"] = stored.grade
        changed = [name for name, value in values.items() if getattr(stored, name) != value]
        if not changed:
            return stored, Outcome.UNCHANGED
        self.stored.pop((academy_id, stored.inspection_date), None)
        for name in changed:
            setattr(stored, name, values[name])
        stored.full_clean(validate_unique=False)
        stored.save(update_fields=changed)
        self._load([stored])
        return stored, Outcome.UPDATED

    def _stored(self, academy_id: int, judgement: Judgement) -> Inspection | None:
        """The stored inspection this judgement is: the one with its number, else the
        academy's inspection that day (which must not be a different numbered one)."""
        same_day = self.stored.get((academy_id, judgement.date))
        if judgement.number:
            numbered = self.numbered.get(judgement.number)
            if numbered is not None:
                if numbered.academy_id != academy_id:
                    raise RowError(
                        f"inspection number {judgement.number} is already recorded for another academy "
                        f"({numbered.academy})"
                    )
                if same_day is not None and same_day.pk != numbered.pk:
                    raise RowError(
                        f"inspection number {judgement.number} is recorded on {numbered.inspection_date:%d/%m/%Y}, "
                        f"and the academy already has another inspection on {judgement.date:%d/%m/%Y}"
                    )
                return numbered
        if (
            same_day is not None
            and same_day.inspection_number
            and judgement.number
            not in (
                "",
                same_day.inspection_number,
            )
        ):
            raise RowError(
                f"the academy already has inspection {same_day.inspection_number} on {judgement.date:%d/%m/%Y}; "
                f"inspection {judgement.number} cannot be recorded the same day"
            )
        return same_day

    def row_rolled_back(self, item: InspectionRow) -> None:
        # Reload what the savepoint restored, so a later comparison is against the truth.
        academy_id = self.academies.get(item.urn)
        for key in [key for key in self.stored if key[0] == academy_id]:
            inspection = self.stored.pop(key)
            if self.numbered.get(inspection.inspection_number) is inspection:
                del self.numbered[inspection.inspection_number]
        for judgement in item.judgements:
            self.numbered.pop(judgement.number, None)
        self._load(Inspection.objects.filter(academy_id=academy_id))


def import_inspections(*, source: Source):
    """Import an Ofsted management-information file (a path or a file object): the
    latest-inspections file or a one-row-per-inspection (in-year, all inspections) file.

    Rules: academies are matched by URN and must already be in the portal (others are
    skipped). Every inspection in the file is imported, keyed by its inspection number
    (or, without one, by URN and start date); the same inspection twice in the file is
    a row error. A new inspection is created; a known one is updated only where it
    differs, so importing the same file twice reports every row unchanged. Overall
    effectiveness 1-4 is the grade; "Not judged" or blank leaves the grade empty with the
    published text; report-card areas are kept where the file has them (grades off the
    scale are row errors). The previous inspection, when the file has it, is kept too.
    Bad rows are reported with their row numbers and the rest written in one
    transaction, newest inspection first. Each inspection written or changed is
    announced inside the row's savepoint (`trusts.signals.inspection_recorded`); what
    listeners change is counted in the report (e.g. "memberships flagged at risk")."""
    return InspectionImporter().run(source)
