"""The GIAS importer reads the file it documents: each header form GIAS uses for a
field, the columns a file lacks (reported at the top of the report, by the command and
the admin upload), and an inspection recorded only with its outcome."""

import datetime
import html
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests.trusts.test_import_gias import AS_OF, GIAS_HEADER, establishment, gias_file
from trusts.models import Academy, CommunityType, Inspection, Phase

# The same academy in each form. GIAS's export has (code) and (name) columns; a
# chosen-fields download or a file made by hand may have the bare field name.
NAME_FORM = {
    "EstablishmentStatus (name)": "Open",
    "PhaseOfEducation (name)": "Secondary",
    "GOR (name)": "North West",
    "UrbanRural (name)": "(England/Wales) Urban city and town",
    "LA (name)": "Lancashire",
    "OfficialSixthForm (name)": "Has a sixth form",
    "OfstedRating (name)": "Good",
}
BARE_FORM = {header.removesuffix(" (name)"): value for header, value in NAME_FORM.items()}
CODE_FORM = {
    "EstablishmentStatus (code)": "1",
    "PhaseOfEducation (code)": "4",
    "GOR (code)": "B",
    "UrbanRural (code)": "C1",
    "LA (name)": "Lancashire",  # LA (code) is a number (888), not the same thing: the name is read
    "OfficialSixthForm (name)": "Has a sixth form",  # no code table: the name is read
    "OfstedRating (name)": "Good",  # GIAS publishes no code for it
}
COMMON = ["URN", "EstablishmentName", "NumberOfPupils", "PercentageFSM", "Trusts (code)", "Trusts (name)"]
COMMON += ["OfstedLastInsp"]


def write(tmp_path, rows, header):
    path = tmp_path / "gias.csv"
    path.write_bytes(gias_file(rows, header=header))
    return str(path)


def run_json(path):
    out = io.StringIO()
    call_command("import_gias", path, "--as-of", AS_OF.strftime("%d/%m/%Y"), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def run_text(path):
    out = io.StringIO()
    call_command("import_gias", path, "--as-of", AS_OF.strftime("%d/%m/%Y"), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("form", [NAME_FORM, BARE_FORM, CODE_FORM], ids=["(name)", "bare", "(code)"])
def test_each_header_form_reads_the_same_academy(tmp_path, form):
    base = {k: v for k, v in establishment(137001).items() if k in COMMON}
    path = write(tmp_path, [{**base, **form}], header=[*COMMON, *form])

    report = run_json(path)

    assert report["errors"] == []
    assert report["notices"] == []  # every field found under one of its forms
    academy = Academy.objects.get(urn=137001)
    assert (academy.is_open, academy.phase, academy.region, academy.local_authority) == (
        True,
        Phase.SECONDARY,
        "North West",
        "Lancashire",
    )
    assert (academy.urban_rural, academy.community_type) == ("(England/Wales) Urban city and town", CommunityType.URBAN)
    assert academy.has_sixth_form is True
    assert list(academy.inspections.values_list("inspection_date", "grade", "source")) == [
        (datetime.date(2023, 3, 14), 2, Inspection.Source.GIAS)
    ]


@pytest.mark.django_db
def test_the_name_is_read_when_a_file_has_both_name_and_code(tmp_path):
    # The real export has both; they agree, and the name is what is stored.
    path = write(tmp_path, [establishment(137001, **{"UrbanRural (code)": "C1"})], header=GIAS_HEADER)
    run_json(path)
    assert Academy.objects.get(urn=137001).urban_rural == "(England/Wales) Urban city and town"


@pytest.mark.django_db
def test_an_unknown_code_is_a_row_error(tmp_path):
    base = {k: v for k, v in establishment(137001).items() if k in COMMON}
    path = write(tmp_path, [{**base, "PhaseOfEducation (code)": "9"}], header=[*COMMON, "PhaseOfEducation (code)"])
    report = run_json(path)
    assert report["errors"] == [
        {"row": 2, "reason": "PhaseOfEducation (code) '9' is not a code GIAS uses for PhaseOfEducation"}
    ]


MISSING_URBAN_RURAL = (
    "No UrbanRural column (UrbanRural (name) or UrbanRural or UrbanRural (code)): urban/rural classifications "
    "(and community types) are left as they are. The file has “Urban Rural”, which is not a spelling GIAS uses, "
    "so it is not read."
)
MISSING_RATING = (
    "No OfstedRating column (OfstedRating (name) or OfstedRating): Ofsted judgements are left as they are. The file "
    "has “Ofsted rating”, which is not a spelling GIAS uses, so it is not read."
)
DATES_WITHOUT_OUTCOME = (
    "The file has OfstedLastInsp but no OfstedRating column: it gives inspection dates without their outcome, so no "
    "inspection is recorded from it."
)


def file_missing_two_columns(tmp_path):
    """The README's old headers, misspelt: "Urban Rural" and "Ofsted rating" are not GIAS's."""
    header = [h for h in GIAS_HEADER if h not in ("UrbanRural (code)", "UrbanRural (name)", "OfstedRating (name)")]
    header += ["Urban Rural", "Ofsted rating"]
    row = establishment(137001, **{"Urban Rural": "Rural village", "Ofsted rating": "Outstanding"})
    return write(tmp_path, [row], header=header)


@pytest.mark.django_db
def test_missing_expected_columns_head_the_report(tmp_path):
    path = file_missing_two_columns(tmp_path)

    report = run_json(path)

    assert report["notices"] == [MISSING_URBAN_RURAL, MISSING_RATING, DATES_WITHOUT_OUTCOME]
    academy = Academy.objects.get(urn=137001)
    assert (academy.urban_rural, academy.community_type) == ("", "")  # not read, not guessed
    assert not academy.inspections.exists()  # the date alone records nothing


@pytest.mark.django_db
def test_missing_expected_columns_head_the_text_report(tmp_path):
    lines = run_text(file_missing_two_columns(tmp_path)).splitlines()
    assert lines[:3] == [f"Note: {MISSING_URBAN_RURAL}", f"Note: {MISSING_RATING}", f"Note: {DATES_WITHOUT_OUTCOME}"]
    assert lines[3] == "Rows read: 1"


def test_missing_expected_columns_head_the_admin_upload_report(
    client, world, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    path = file_missing_two_columns(tmp_path)
    with open(path, "rb") as handle:
        upload = SimpleUploadedFile("gias.csv", handle.read(), content_type="text/csv")

    with django_capture_on_commit_callbacks(execute=True):  # the worker (eager in tests) runs the job
        response = client.post(reverse("admin:trusts_academy_import_gias"), {"file": upload, "as_of": "01/09/2025"})

    assert response.status_code == 302  # to the job's page, which keeps the report
    page = client.get(response["Location"]).content.decode()
    assert page.index("About this file") < page.index("Rows in the file")
    assert "No UrbanRural column" in page
    for notice in (MISSING_URBAN_RURAL, MISSING_RATING, DATES_WITHOUT_OUTCOME):
        assert html.escape(notice) in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rating", "expected", "detail"),
    [
        ("Good", [(2, "")], {}),
        ("Special Measures", [(4, "Special Measures")], {}),
        ("Serious Weaknesses", [(4, "Serious Weaknesses")], {}),
        ("Not judged", [(None, "Not judged")], {}),
        ("", [], {"inspection dates without an outcome (nothing recorded)": 1}),
        ("Does not apply", [], {}),
    ],
    ids=["grade", "special measures", "serious weaknesses", "not judged", "blank", "not a judgement"],
)
def test_an_inspection_is_recorded_only_with_its_outcome(tmp_path, rating, expected, detail):
    path = write(tmp_path, [establishment(137001, **{"OfstedRating (name)": rating})], header=GIAS_HEADER)

    report = run_json(path)

    academy = Academy.objects.get(urn=137001)
    assert list(academy.inspections.values_list("grade", "outcome_text")) == expected
    assert {k: v for k, v in report["details"].items() if "outcome" in k} == detail
    if rating == "Does not apply":
        assert report["notices"] == [
            "OfstedRating (name) 'Does not apply' (row 2) is not an Ofsted judgement this importer knows, so no "
            "inspection is recorded from those rows."
        ]
