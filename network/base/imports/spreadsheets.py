"""Spreadsheets in and out of the admin (django-import-export), made safe in one place.
A platform module: every room's import/export admin stands on it.

**Export.** A cell whose text begins with =, +, -, @, a tab or a carriage return is run
as a formula by Excel, LibreOffice and Google Sheets, so `=HYPERLINK(...)` typed into a
name, or `+cmd|' /C calc'!A0`, would run on a coordinator's computer when they open an
export ("CSV injection"). The formats here write such text with a leading apostrophe,
as the portal's own CSVs do (network/csv.py), in CSV and XLSX alike. A plain number
("-0.45") is not a formula and is left alone. `SAFE_FORMATS` are the only formats the
admin offers (CSV and XLSX).

**Import.** `SpreadsheetResource` takes that apostrophe off again, so a file exported
and re-imported is unchanged. Every resource derives from it, and every import/export
admin from `SpreadsheetAdminMixin` (tests/network/test_spreadsheets.py checks the
admin registry), which also runs imports as background jobs (network/base/imports/jobs.py).
"""

import re

import tablib
from import_export import resources
from import_export.formats import base_formats

from network.base.csv import FORMULA_STARTS

PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def escape_formula(value):
    """A cell a spreadsheet will not run: text that starts like a formula gets a leading
    apostrophe; anything else (numbers, dates, plain text) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_formula(value):
    """The inverse, for imports: our own apostrophe before a formula character goes."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class SafeExportMixin:
    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(headers=[escape_formula(h) for h in dataset.headers or []] or None)
        for row in dataset:
            safe.append([escape_formula(cell) for cell in row])
        return super().export_data(safe, **kwargs)


class SafeCSV(SafeExportMixin, base_formats.CSV):
    pass


class SafeXLSX(SafeExportMixin, base_formats.XLSX):
    pass


SAFE_FORMATS = [SafeCSV, SafeXLSX]


class SpreadsheetResource(resources.ModelResource):
    """The base of every import/export resource: takes off the apostrophe an export put
    before a formula character, so what went out comes back the same; records who
    imported in the history (the import runs in a worker, with no request); and tells
    the background job how far it is (network/base/imports/jobs.py sets `progress`)."""

    progress = None  # (phase, done, total) -> None
    progress_total = None

    def before_import_row(self, row, **kwargs):
        for column, value in list(row.items()):
            row[column] = unescape_formula(value)
        super().before_import_row(row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        if kwargs.get("user") is not None:
            instance._history_user = kwargs["user"]
        super().before_save_instance(instance, row, **kwargs)

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if self.progress is not None:
            phase = "checking rows" if kwargs.get("dry_run") else "importing rows"
            self.progress(phase, kwargs.get("row_number", 0), self.progress_total)
