"""The pattern every importer of a DfE file follows (GIAS, KS4 performance, Ofsted MI).

An import runs in two phases, so that a file is either understood or reported, and the
database is never half-written:

1. **Parse and validate** every row into a small, clean value object (a frozen
   dataclass). Nothing touches the database here except what `prepare()` loads. A row
   that is wrong raises `RowError("NumberOfPupils 'abc' is not a whole number")`; the
   reason is collected with the row's number and parsing goes on. A row the import
   does not concern (e.g. another trust's academy) returns `SKIP`.
2. **Write** the valid rows inside one transaction, each row in its own savepoint:
   `write_row()` compares the clean values with what is stored and saves only what
   differs, answering `CREATED`, `UPDATED` or `UNCHANGED`. A row whose write fails
   (a `RowError`, a `ValidationError` from `full_clean()`, or a database error) is
   rolled back to its savepoint and reported; any other exception is a bug and rolls
   the whole import back. Running the same file twice therefore changes nothing: the
   second run reports every row unchanged.

   **In batches** (optional, for big files): an importer may also implement `plan_row`
   and `write_batch`. Rows are then taken `batch_size` at a time: `plan_row` decides in
   Python what each row needs and validates it (a `RowError` or `ValidationError` there
   reports the row, and nothing of it is written), or answers None to have that row
   written on its own by `write_row` in its savepoint (the rare, complicated cases);
   `write_batch` then writes the planned rows together in a few bulk queries inside one
   savepoint. If the batch fails in the database, that savepoint is rolled back and the
   same rows are written one by one with `write_row`, each in its savepoint, so the row
   at fault is still reported with its number and the others are kept. A row costs a
   savepoint only when it needs one; the queries of a batch do not grow with its rows.

Row numbers are counted as a person sees them in a spreadsheet: the header is row 1, the
first data row is row 2, and a quoted value spanning several lines is still one row.

To write a new importer, copy `trusts/importers/gias.py`:

    class PerformanceImporter(CsvImporter[ResultRow]):
        required_columns = ("URN",)

        def parse_row(self, row: Row) -> ResultRow | Skip: ...
        def write_row(self, item: ResultRow) -> Outcome: ...

    report = PerformanceImporter(...).run(path_or_file)

and its command from `ImportCommand` (see `trusts/management/commands/import_gias.py`).
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime
import enum
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any, ClassVar, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from network.base import changes

FIRST_DATA_ROW = 2  # the header is row 1, as in a spreadsheet
NUL = "\x00"

# Encodings the DfE's files come in: its downloads are Windows-1252, files saved again
# from Excel are often UTF-8 with a byte-order mark. utf-8-sig also reads plain UTF-8.
ENCODINGS = ("utf-8-sig", "cp1252")

Source = str | os.PathLike | IO[bytes] | IO[str]


class ImportFileError(Exception):
    """The file cannot be imported at all (unreadable, wrong kind of file). Nothing is
    written; commands exit non-zero with this message."""


class RowError(Exception):
    """One row is wrong. The message is the reason in plain English, without the row
    number (the report adds it): "NumberOfPupils 'abc' is not a whole number"."""


class Outcome(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


class Skip:
    """Returned by `parse_row` for a row this import does not concern."""

    def __repr__(self):
        return "SKIP"


SKIP = Skip()


@dataclass
class ImportReport:
    """What an import did, row by row. `errors` holds (row number, reason) with row
    numbers as a spreadsheet shows them (header = row 1). `details` holds counters an
    importer wants to mention besides rows, e.g. {"trusts created": 2}."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    details: dict[str, int] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    @staticmethod
    def row_number(index: int) -> int:
        """The spreadsheet row of the data row at 0-based `index`."""
        return FIRST_DATA_ROW + index

    def add_error(self, row: int, reason: str) -> None:
        bisect.insort(self.errors, (row, reason))

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def note(self, detail: str, n: int = 1) -> None:
        self.details[detail] = self.details.get(detail, 0) + n

    @property
    def rows_read(self) -> int:
        return self.created + self.updated + self.unchanged + self.skipped + len(self.errors)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def as_dict(self) -> dict[str, Any]:
        return {
            "notices": list(self.notices),
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "error_count": len(self.errors),
            "errors": [{"row": row, "reason": reason} for row, reason in self.errors],
            "details": dict(self.details),
        }

    def summary_lines(self) -> list[str]:
        lines = [f"Note: {notice}" for notice in self.notices]
        lines += [
            f"Rows read: {self.rows_read}",
            f"Created: {self.created}",
            f"Updated: {self.updated}",
            f"Unchanged: {self.unchanged}",
            f"Skipped: {self.skipped}",
        ]
        lines += [f"{detail.capitalize()}: {n}" for detail, n in self.details.items()]
        lines.append(f"Errors: {len(self.errors)}")
        lines += [f"  row {row}: {reason}" for row, reason in self.errors]
        return lines


# --- Reading ------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Text of a file in one of ENCODINGS, tried in order."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("The file is neither UTF-8 nor Windows-1252 text. Is it a CSV file?")


def read_text(source: Source) -> str:
    """The whole text of a path or a file object (binary, e.g. an upload, or text)."""
    if isinstance(source, str | os.PathLike):
        try:
            with open(source, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise ImportFileError(f"Cannot open {os.fspath(source)}: {error.strerror or error}") from error
    else:
        data = source.read()
    return data if isinstance(data, str) else decode(data)


@dataclass
class Table:
    columns: list[str]
    reader: csv.DictReader

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(spreadsheet row number, {column: stripped value}) for every data row."""
        number = FIRST_DATA_ROW - 1
        try:
            for number, raw in enumerate(self.reader, start=FIRST_DATA_ROW):
                # Short rows give None; extra cells land under the key None: drop them.
                yield number, {key: (value or "").strip() for key, value in raw.items() if isinstance(key, str)}
        except csv.Error as error:
            raise ImportFileError(f"The file cannot be read after row {number}: {error}") from error


def read_csv(source: Source) -> Table:
    """Open a CSV (path or file object) for `csv.DictReader`, header names stripped."""
    text = read_text(source)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames
    except csv.Error as error:
        raise ImportFileError(f"The file's header cannot be read: {error}") from error
    if not header:
        raise ImportFileError("The file is empty.")
    reader.fieldnames = [name.strip() for name in header]
    return Table(columns=list(reader.fieldnames), reader=reader)


def header_key(header: str) -> str:
    """A header reduced to what identifies it: letters and digits in lower case, without
    a "(name)" or "(code)" suffix. "Urban Rural (name)" and "urbanrural" both give
    "urbanrural", so a column under a spelling the importer does not read is found."""
    base = re.sub(r"\((name|code)\)\s*$", "", header.strip(), flags=re.IGNORECASE)
    return re.sub(r"[^0-9a-z]", "", base.lower())


def look_alikes(columns: list[str], headers: tuple[str, ...]) -> list[str]:
    """The file's columns that look like one of `headers` but are not spelt as any of
    them: the columns an importer would otherwise ignore without a word."""
    keys = {header_key(header) for header in headers}
    return [column for column in columns if column not in headers and header_key(column) in keys]


# --- Cleaning cell values (each raises RowError with a reason a person understands) ---


@dataclass(frozen=True)
class Row:
    """One data row: its spreadsheet number and its cells, with cleaners that name the
    column and the value in their error messages."""

    number: int
    cells: dict[str, str]

    def has(self, column: str) -> bool:
        return column in self.cells

    def text(self, column: str) -> str:
        return self.cells.get(column, "")

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            raise RowError(f"{column} is missing")
        return value

    def whole_number(self, column: str, *, blank: tuple[str, ...] = ()) -> int | None:
        """A non-negative whole number; blank (or a value in `blank`, e.g. "SUPP") → None."""
        value = self.text(column)
        if not value or value.upper() in blank:
            return None
        if not re.fullmatch(r"\d+", value):
            raise RowError(f"{column} '{value}' is not a whole number")
        return int(value)

    def decimal(self, column: str, *, blank: tuple[str, ...] = (), places: int = 2, lowest=None, highest=None):
        value = self.text(column)
        if not value or value.upper() in blank:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise RowError(f"{column} '{value}' is not a number")
        if (lowest is not None and number < lowest) or (highest is not None and number > highest):
            raise RowError(f"{column} '{value}' is not between {lowest} and {highest}")
        return number.quantize(Decimal(1).scaleb(-places))

    def date(self, column: str, *, formats: tuple[str, ...] = ("%d-%m-%Y", "%d/%m/%Y")) -> datetime.date | None:
        value = self.text(column)
        if not value:
            return None
        for fmt in formats:
            try:
                return datetime.datetime.strptime(value, fmt).date()
            except ValueError:
                continue
        raise RowError(f"{column} '{value}' is not a date (dd-mm-yyyy)")

    def choice(self, column: str, mapping: dict[str, Any], *, what: str) -> Any:
        """Look the value up case-insensitively in `mapping` (keys lower case)."""
        value = self.text(column)
        try:
            return mapping[value.lower()]
        except KeyError:
            raise RowError(f"{column} '{value}' is an unknown {what}") from None


# --- The importer --------------------------------------------------------------------

T = TypeVar("T")
WRITE_ERRORS = (RowError, ValidationError, DatabaseError)


def describe(error: Exception) -> str:
    """A write error as one line for the report."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        return " ".join(error.messages)
    if isinstance(error, DatabaseError):
        return f"could not be saved ({error})"
    return str(error)


class CsvImporter(Generic[T]):
    """Base of every importer. Subclasses set `required_columns` and implement
    `parse_row` and `write_row`; they may override the hooks `prepare`,
    `before_write` and `row_rolled_back`."""

    required_columns: ClassVar[tuple[str, ...]] = ()
    #: What the file is, for the "has no X column" message.
    file_description: ClassVar[str] = "CSV file"
    #: Rows planned and written together by an importer that writes in batches.
    batch_size: ClassVar[int] = 500

    def run(self, source: Source, *, progress=None) -> ImportReport:
        """Read, parse and write `source`. Raises ImportFileError (nothing written) if
        the file cannot be read or lacks a required column. `progress(phase, done,
        total)`, if given, is told how far it is (a background job shows it)."""
        progress = progress or (lambda phase, done, total: None)
        table = read_csv(source)
        missing = [column for column in self.required_columns if column not in table.columns]
        if missing:
            found = ", ".join(table.columns[:8]) + (", …" if len(table.columns) > 8 else "")
            raise ImportFileError(
                f"The file has no {', '.join(missing)} column, so it is not a {self.file_description}. "
                f"Columns found: {found or 'none'}."
            )
        report = ImportReport()
        self._report = report
        self.prepare(table.columns)
        parsed: list[tuple[int, T]] = []
        for number, cells in table.rows():
            progress("reading rows", number - 1, None)
            if any(NUL in value for value in cells.values()):
                # PostgreSQL cannot store it, and no spreadsheet writes one: the row is
                # damaged. Refusing it here keeps the file's other rows.
                report.add_error(number, "contains a NUL character (the row is damaged); it was not imported")
                continue
            try:
                item = self.parse_row(Row(number=number, cells=cells))
            except RowError as error:
                report.add_error(number, str(error))
                continue
            if item is SKIP:
                report.count(Outcome.SKIPPED)
            else:
                parsed.append((number, item))
        with transaction.atomic():
            # Batches are written with bulk queries, which send no signal: say the
            # records changed (remembered dashboards recompute once this commits).
            changes.records_changed()
            self.before_write([item for _, item in parsed])
            ordered = self.write_order(parsed)
            total = len(ordered)
            for start in range(0, total, self.batch_size):
                planned: list[tuple[int, T, Any]] = []
                for number, item in ordered[start : start + self.batch_size]:
                    try:
                        plan = self.plan_row(item)
                    except (RowError, ValidationError) as error:
                        report.add_error(number, describe(error))
                        continue
                    if plan is None:
                        self._write_one(number, item)
                    else:
                        planned.append((number, item, plan))
                if planned:
                    self._write_planned(planned)
                progress("writing rows", min(start + self.batch_size, total), total)
        return report

    def _write_one(self, number: int, item: T) -> None:
        """One row in its own savepoint: kept whole, or rolled back and reported."""
        self._row_notes: dict[str, int] = {}
        try:
            with transaction.atomic():
                outcome = self.write_row(item)
        except WRITE_ERRORS as error:
            self.row_rolled_back(item)
            self._report.add_error(number, describe(error))
            return
        self._report.count(outcome)
        for detail, n in self._row_notes.items():
            self._report.note(detail, n)

    def _write_planned(self, planned: list[tuple[int, T, Any]]) -> None:
        """The planned rows of a batch in one savepoint; if the database refuses the
        batch, row by row instead, so the row at fault is found and the others kept."""
        self._row_notes = {}
        try:
            with transaction.atomic():
                outcomes = self.write_batch([plan for _, _, plan in planned])
        except WRITE_ERRORS:
            self.batch_rolled_back([item for _, item, _ in planned])
            for number, item, _ in planned:
                self._write_one(number, item)
            return
        if len(outcomes) != len(planned):
            raise RuntimeError(f"write_batch answered {len(outcomes)} outcomes for {len(planned)} rows")
        for outcome in outcomes:
            self._report.count(outcome)
        for detail, n in self._row_notes.items():
            self._report.note(detail, n)

    def notice(self, message: str) -> None:
        """Say something about the file as a whole (from `prepare`): it heads the report."""
        self._report.notices.append(message)

    def tally(self, detail: str, n: int = 1) -> None:
        """Count something about the file while parsing (written or not), e.g.
        "inspection dates without an outcome (nothing recorded)"."""
        self._report.note(detail, n)

    def note(self, detail: str, n: int = 1) -> None:
        """Count something besides rows ("trusts created"), from `write_row` or
        `write_batch`. It reaches the report only if the row's (or the batch's) savepoint
        is kept."""
        self._row_notes[detail] = self._row_notes.get(detail, 0) + n

    # Hooks ---------------------------------------------------------------------------

    def prepare(self, columns: list[str]) -> None:
        """Before parsing: look at the columns, load what parsing needs."""

    def parse_row(self, row: Row) -> T | Skip:
        """Turn a row into a clean value object, or raise RowError, or return SKIP."""
        raise NotImplementedError

    def before_write(self, items: list[T]) -> None:
        """Inside the transaction, before the first write: load what writing compares
        against (one query per table, not per row)."""

    def write_order(self, parsed: list[tuple[int, T]]) -> list[tuple[int, T]]:
        """The order rows are written in: the file's, unless the importer needs another
        (e.g. the newest inspection first, so listeners see what is latest)."""
        return parsed

    def write_row(self, item: T) -> Outcome:
        """Save what differs for one clean row; runs inside the row's savepoint."""
        raise NotImplementedError

    def plan_row(self, item: T) -> Any:
        """Writing in batches (optional): what `item` needs, decided and validated in
        Python, as a plan for `write_batch`; or None to write it on its own with
        `write_row` (the default: every row on its own). Raise RowError or
        ValidationError for a row that cannot be written: it is reported and nothing of
        it is written. Must not write to the database, nor change what the importer
        caches before `write_batch` has written the plan."""
        return None

    def write_batch(self, plans: list) -> list[Outcome]:
        """Write the planned rows of a batch together (a few bulk queries, whatever
        their number), answering an outcome per plan, in order. Runs in one savepoint; a
        database error rolls it back (then `batch_rolled_back`) and the same rows are
        written one by one with `write_row`."""
        raise NotImplementedError

    def batch_rolled_back(self, items: list[T]) -> None:
        """The batch's savepoint was rolled back: forget anything cached while writing
        it, before its rows are written one by one."""

    def row_rolled_back(self, item: T) -> None:
        """The row's savepoint was rolled back: forget anything cached while writing it,
        since the database no longer holds it."""


# --- Management commands -------------------------------------------------------------


class ImportCommand(BaseCommand):
    """Base of `import_*` commands: a PATH argument and `--format text|json`.
    Subclasses add their options in `add_import_arguments` and run the import in
    `run_import`, returning the report. Row errors are reported with exit code 0; a
    file that cannot be read at all exits with code 1 and the reason."""

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file to import.")
        parser.add_argument(
            "--format", choices=["text", "json"], default="text", help="How to print the report (default: text)."
        )
        self.add_import_arguments(parser)

    def add_import_arguments(self, parser):
        pass

    def run_import(self, path: str, options: dict) -> ImportReport:
        raise NotImplementedError

    def handle(self, *args, **options):
        try:
            report = self.run_import(options["path"], options)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        else:
            for line in report.summary_lines():
                self.stdout.write(line)


def parse_uk_date(value: str) -> datetime.date:
    """DD/MM/YYYY, for command options (argparse `type=`)."""
    try:
        return datetime.datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date in the form DD/MM/YYYY") from None
