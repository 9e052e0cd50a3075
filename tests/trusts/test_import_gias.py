"""The GIAS establishment importer: the command, the admin upload, and the report's
row-number convention. Files are built here, in code, with the real GIAS header."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests import factories as f
from trusts.importers.base import CsvImporter, ImportFileError, ImportReport, Outcome, RowError
from trusts.models import Academy, AcademyTrustMembership, CommunityType, Inspection, Phase, Trust

# The header of a GIAS "all establishment data" export, as the DfE publishes it.
GIAS_HEADER = [
    "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName",
    "TypeOfEstablishment (code)", "TypeOfEstablishment (name)", "EstablishmentTypeGroup (code)",
    "EstablishmentTypeGroup (name)", "EstablishmentStatus (code)", "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (code)", "ReasonEstablishmentOpened (name)", "OpenDate",
    "ReasonEstablishmentClosed (code)", "ReasonEstablishmentClosed (name)", "CloseDate",
    "PhaseOfEducation (code)", "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge",
    "Boarders (code)", "Boarders (name)", "NurseryProvision (name)", "OfficialSixthForm (code)",
    "OfficialSixthForm (name)", "Gender (code)", "Gender (name)", "ReligiousCharacter (code)",
    "ReligiousCharacter (name)", "ReligiousEthos (name)", "Diocese (code)", "Diocese (name)",
    "AdmissionsPolicy (code)", "AdmissionsPolicy (name)", "SchoolCapacity", "SpecialClasses (code)",
    "SpecialClasses (name)", "CensusDate", "NumberOfPupils", "NumberOfBoys", "NumberOfGirls",
    "PercentageFSM", "TrustSchoolFlag (code)", "TrustSchoolFlag (name)", "Trusts (code)", "Trusts (name)",
    "SchoolSponsorFlag (name)", "SchoolSponsors (name)", "FederationFlag (name)", "Federations (code)",
    "Federations (name)", "UKPRN", "FEHEIdentifier", "FurtherEducationType (name)", "OfstedLastInsp",
    "LastChangedDate", "Street", "Locality", "Address3", "Town", "County (name)", "Postcode",
    "SchoolWebsite", "TelephoneNum", "HeadTitle (name)", "HeadFirstName", "HeadLastName",
    "HeadPreferredJobTitle", "GOR (code)", "GOR (name)", "DistrictAdministrative (code)",
    "DistrictAdministrative (name)", "ParliamentaryConstituency (code)", "ParliamentaryConstituency (name)",
    "UrbanRural (code)", "UrbanRural (name)", "Easting", "Northing", "MSOA (name)", "LSOA (name)",
    "SENStat", "SENNoStat", "OfstedRating (name)", "RSCRegion (name)", "Country (name)", "UPRN",
]  # fmt: skip

AS_OF = datetime.date(2025, 9, 1)
# URNs below AcademyFactory's sequence (140000 up), so the `world` academies never clash.


def establishment(urn, **overrides):
    """One GIAS row: a realistic open secondary academy in trust 16001."""
    row = {
        "URN": str(urn),
        "LA (code)": "888",
        "LA (name)": "Lancashire",
        "EstablishmentNumber": "4001",
        "EstablishmentName": f"Riverside Academy {urn}",
        "TypeOfEstablishment (name)": "Academy converter",
        "EstablishmentTypeGroup (name)": "Academies",
        "EstablishmentStatus (name)": "Open",
        "OpenDate": "01-09-2013",
        "PhaseOfEducation (name)": "Secondary",
        "StatutoryLowAge": "11",
        "StatutoryHighAge": "18",
        "OfficialSixthForm (name)": "Has a sixth form",
        "Gender (name)": "Mixed",
        "NumberOfPupils": "1043",
        "PercentageFSM": "23.7",
        "TrustSchoolFlag (name)": "Supported by a multi-academy trust",
        "Trusts (code)": "16001",
        "Trusts (name)": "PENNINE LEARNING TRUST",
        "OfstedLastInsp": "14-03-2023",
        "Street": "Mill Lane",
        "Town": "Burnley",
        "Postcode": "BB11 2AA",
        "GOR (name)": "North West",
        "UrbanRural (name)": "(England/Wales) Urban city and town",
        "OfstedRating (name)": "Good",
        "Country (name)": "",
    }
    row.update(overrides)
    return row


def gias_file(rows, *, encoding="cp1252", header=GIAS_HEADER) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def write_gias(tmp_path):
    def write(rows, **kwargs):
        path = tmp_path / "edubasealldata.csv"
        path.write_bytes(gias_file(rows, **kwargs))
        return str(path)

    return write


def run(path, *args):
    out = io.StringIO()
    call_command("import_gias", path, "--as-of", AS_OF.strftime("%d/%m/%Y"), *args, stdout=out)
    return out.getvalue()


def run_json(path, *args):
    return json.loads(run(path, "--format", "json", *args))


# --- Creating --------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_gias_creates_trusts_academies_and_inspections_from_cp1252(write_gias):
    path = write_gias(
        [
            establishment(137001, EstablishmentName="St Mary’s – Ærø Catholic Academy"),
            establishment(
                137002,
                **{
                    "PhaseOfEducation (name)": "All-through",
                    "OfficialSixthForm (name)": "Does not have a sixth form",
                    "NumberOfPupils": "",
                    "PercentageFSM": "SUPP",
                    "UrbanRural (name)": "(England/Wales) Rural town and fringe",
                    "GOR (name)": "Yorkshire and the Humber",
                    "Trusts (code)": "16002",
                    "Trusts (name)": "Dales Academy Trust",
                    "OfstedRating (name)": "Not judged",
                    "OfstedLastInsp": "02/10/2024",
                },
            ),
        ]
    )

    report = run_json(path)

    assert (report["created"], report["updated"], report["unchanged"], report["errors"]) == (2, 0, 0, [])
    assert report["details"] == {"trusts created": 2, "trust moves recorded": 2, "inspections added": 2}
    mary = Academy.objects.get(urn=137001)
    assert mary.name == "St Mary’s – Ærø Catholic Academy"
    assert (mary.phase, mary.region, mary.local_authority) == (Phase.SECONDARY, "North West", "Lancashire")
    assert (mary.pupils_on_roll, mary.percent_fsm, mary.has_sixth_form, mary.is_open) == (
        1043,
        Decimal("23.70"),
        True,
        True,
    )
    assert (mary.urban_rural, mary.community_type) == ("(England/Wales) Urban city and town", CommunityType.URBAN)
    assert mary.trust.gias_uid == "16001"
    assert mary.trust.name == "PENNINE LEARNING TRUST"
    assert list(mary.trust_history.values_list("trust__gias_uid", "joined_on", "left_on")) == [("16001", AS_OF, None)]
    good = mary.inspections.get()
    assert (good.inspection_date, good.grade, good.source) == (datetime.date(2023, 3, 14), 2, Inspection.Source.GIAS)

    dales = Academy.objects.get(urn=137002)
    assert (dales.phase, dales.has_sixth_form, dales.pupils_on_roll, dales.percent_fsm) == (
        Phase.ALL_THROUGH,
        False,
        None,
        None,
    )
    assert (dales.region, dales.community_type) == ("Yorkshire and the Humber", CommunityType.RURAL)
    ungraded = dales.inspections.get()
    assert (ungraded.inspection_date, ungraded.grade, ungraded.outcome_text) == (
        datetime.date(2024, 10, 2),
        None,
        "Not judged",
    )


@pytest.mark.django_db
def test_import_gias_reads_utf8_with_bom(write_gias):
    path = write_gias([establishment(137001, EstablishmentName="Ysgol Gyfun Gŵyr – Ærø")], encoding="utf-8-sig")

    report = run_json(path)

    assert report["created"] == 1
    assert Academy.objects.get(urn=137001).name == "Ysgol Gyfun Gŵyr – Ærø"


@pytest.mark.django_db
def test_import_gias_second_run_changes_nothing(write_gias):
    path = write_gias([establishment(137001), establishment(137002, **{"Trusts (code)": "16002"})])
    run(path)
    memberships = AcademyTrustMembership.objects.count()
    academy_history = Academy.history.count()
    trust_history = Trust.history.count()

    report = run_json(path)

    assert (report["created"], report["updated"], report["unchanged"], report["errors"]) == (0, 0, 2, [])
    assert report["details"] == {}
    assert AcademyTrustMembership.objects.count() == memberships
    assert Academy.history.count() == academy_history
    assert Trust.history.count() == trust_history
    assert Inspection.objects.count() == 2


@pytest.mark.django_db
def test_import_gias_updates_changed_fields_only(write_gias):
    run(write_gias([establishment(137001)]))

    report = run_json(write_gias([establishment(137001, NumberOfPupils="1100", **{"Trusts (name)": "Pennine Trust"})]))

    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 0)
    assert report["details"] == {"trusts renamed": 1}
    academy = Academy.objects.select_related("trust").get(urn=137001)
    assert (academy.pupils_on_roll, academy.trust.name) == (1100, "Pennine Trust")
    assert academy.history.first().pupils_on_roll == 1100


# --- Trust moves -----------------------------------------------------------------------


@pytest.mark.django_db
def test_import_gias_records_a_trust_move_dated_as_of(write_gias):
    trust_x = f.TrustFactory(gias_uid="16001", name="Trust X")
    academy = f.AcademyFactory(urn=137001, trust=trust_x)  # joined 01/09/2020

    report = run_json(write_gias([establishment(137001, **{"Trusts (code)": "16009", "Trusts (name)": "Trust Y"})]))

    assert (report["updated"], report["details"]["trust moves recorded"]) == (1, 1)
    academy.refresh_from_db()
    assert academy.trust.gias_uid == "16009"
    history = list(academy.trust_history.order_by("joined_on").values_list("trust__name", "joined_on", "left_on"))
    assert history == [
        ("Trust X", datetime.date(2020, 9, 1), AS_OF - datetime.timedelta(days=1)),
        ("Trust Y", AS_OF, None),
    ]


@pytest.mark.django_db
def test_import_gias_as_of_defaults_to_today(write_gias):
    from django.utils import timezone

    path = write_gias([establishment(137001)])
    call_command("import_gias", path, stdout=io.StringIO())

    assert Academy.objects.get(urn=137001).trust_history.get().joined_on == timezone.localdate()


# --- Bad rows --------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_gias_reports_bad_rows_by_number_and_imports_the_rest(write_gias):
    path = write_gias(
        [
            establishment(137001),  # row 2
            establishment("", EstablishmentName="No URN School"),  # row 3
            establishment(137003, NumberOfPupils="abc"),  # row 4
            establishment(137004, **{"PhaseOfEducation (name)": "Sixth form college"}),  # row 5
            establishment(137005, PercentageFSM="high"),  # row 6
            establishment(137006, OfstedLastInsp="31-13-2023"),  # row 7
            establishment(137001),  # row 8: again
            establishment(137008),  # row 9
        ]
    )

    report = run_json(path)

    assert report["errors"] == [
        {"row": 3, "reason": "URN is missing"},
        {"row": 4, "reason": "NumberOfPupils 'abc' is not a whole number"},
        {"row": 5, "reason": "PhaseOfEducation (name) 'Sixth form college' is an unknown phase"},
        {"row": 6, "reason": "PercentageFSM 'high' is not a number"},
        {"row": 7, "reason": "OfstedLastInsp '31-13-2023' is not a date (dd-mm-yyyy)"},
        {
            "row": 8,
            "reason": "URN 137001 appears again (first on row 2); GIAS lists each establishment once, so only "
            "the first is imported",
        },
    ]
    assert report["created"] == 2
    assert sorted(Academy.objects.values_list("urn", flat=True)) == [137001, 137008]


@pytest.mark.django_db
def test_import_gias_text_report_lists_errors_with_row_numbers(write_gias):
    out = run(write_gias([establishment(137001), establishment(137002, NumberOfPupils="abc")]))

    assert "Created: 1" in out
    assert "Errors: 1" in out
    assert "row 3: NumberOfPupils 'abc' is not a whole number" in out


@pytest.mark.django_db
def test_import_gias_row_whose_write_fails_is_rolled_back_alone(write_gias):
    # A new trust without a name cannot be created: that row is reported, the others kept.
    path = write_gias([establishment(137001), establishment(137002, **{"Trusts (code)": "16777", "Trusts (name)": ""})])

    report = run_json(path)

    assert report["errors"] == [{"row": 3, "reason": "Trusts (name) is blank, and trust 16777 is not known yet"}]
    assert report["created"] == 1
    assert not Academy.objects.filter(urn=137002).exists()
    assert not Trust.objects.filter(gias_uid="16777").exists()


@pytest.mark.django_db
def test_import_gias_reports_a_value_the_model_refuses(write_gias):
    report = run_json(write_gias([establishment(137001, EstablishmentName="A" * 201), establishment(137002)]))

    assert report["errors"] == [
        {"row": 2, "reason": "name: Ensure this value has at most 200 characters (it has 201)."}
    ]
    assert list(Academy.objects.values_list("urn", flat=True)) == [137002]


@pytest.mark.django_db
def test_import_gias_without_urn_column_fails_clearly(write_gias):
    path = write_gias([{"EstablishmentName": "Somewhere"}], header=["EstablishmentName", "Town"])

    with pytest.raises(CommandError, match="no URN column"):
        run(path)
    assert not Academy.objects.exists()


def test_import_gias_missing_file_fails_clearly(tmp_path):
    with pytest.raises(CommandError, match="Cannot open"):
        run(str(tmp_path / "nowhere.csv"))


@pytest.mark.django_db
def test_import_gias_json_output_parses(write_gias):
    data = run_json(write_gias([establishment(137001), establishment("")]))

    assert data["rows_read"] == 2
    assert (data["created"], data["updated"], data["unchanged"], data["skipped"], data["error_count"]) == (
        1,
        0,
        0,
        0,
        1,
    )
    assert data["errors"] == [{"row": 3, "reason": "URN is missing"}]


# --- Filtering and hand-set fields -----------------------------------------------------


@pytest.mark.django_db
def test_import_gias_trust_uid_restricts_to_those_trusts(write_gias):
    leaving = f.AcademyFactory(urn=137009, trust=f.TrustFactory(gias_uid="16001"))
    path = write_gias(
        [
            establishment(137001, **{"Trusts (code)": "16001"}),
            establishment(137002, **{"Trusts (code)": "16002"}),
            establishment(137003, **{"Trusts (code)": "17000"}),
            establishment(137004, **{"Trusts (code)": "17000", "NumberOfPupils": "abc"}),  # not ours: no error
            establishment(137009, **{"Trusts (code)": "17000", "Trusts (name)": "Elsewhere Trust"}),  # moved out
        ]
    )

    report = run_json(path, "--trust-uid", "16001", "--trust-uid", "16002")

    assert (report["created"], report["updated"], report["skipped"], report["errors"]) == (2, 1, 2, [])
    assert set(Academy.objects.values_list("urn", flat=True)) == {137001, 137002, 137009}
    leaving.refresh_from_db()
    assert leaving.trust.gias_uid == "17000"


@pytest.mark.django_db
def test_import_gias_keeps_community_type_set_by_hand(write_gias):
    f.AcademyFactory(urn=137001, community_type=CommunityType.COASTAL, trust=f.TrustFactory(gias_uid="16001"))
    f.AcademyFactory(urn=137002, community_type="", trust=f.TrustFactory(gias_uid="16002"))
    path = write_gias(
        [
            establishment(137001, **{"UrbanRural (name)": "(England/Wales) Rural village"}),
            establishment(137002, **{"UrbanRural (name)": "(England/Wales) Rural village", "Trusts (code)": "16002"}),
        ]
    )

    run(path)

    coastal, blank = Academy.objects.order_by("urn")
    assert (coastal.community_type, coastal.urban_rural) == (CommunityType.COASTAL, "(England/Wales) Rural village")
    assert blank.community_type == CommunityType.RURAL


@pytest.mark.django_db
def test_import_gias_keeps_existing_inspection_on_the_same_day(write_gias):
    academy = f.AcademyFactory(urn=137001, trust=f.TrustFactory(gias_uid="16001"))
    f.InspectionFactory(academy=academy, inspection_date=datetime.date(2023, 3, 14), grade=1)

    run(write_gias([establishment(137001)]))

    assert list(academy.inspections.values_list("grade", "source")) == [(1, Inspection.Source.MANUAL)]


# --- The report's row numbers ------------------------------------------------------------


def test_import_report_counts_rows_as_a_spreadsheet_does():
    report = ImportReport()
    report.add_error(7, "NumberOfPupils 'abc' is not a whole number")
    report.add_error(3, "URN is missing")

    assert ImportReport.row_number(0) == 2  # header is row 1, first data row is row 2
    assert report.errors == [(3, "URN is missing"), (7, "NumberOfPupils 'abc' is not a whole number")]
    assert "  row 7: NumberOfPupils 'abc' is not a whole number" in report.summary_lines()
    assert report.as_dict()["errors"][1] == {"row": 7, "reason": "NumberOfPupils 'abc' is not a whole number"}


class _NameImporter(CsvImporter):
    required_columns = ("Name",)

    def parse_row(self, row):
        if row.text("Name") == "bad":
            raise RowError("Name 'bad' is not allowed")
        return row.text("Name")

    def write_row(self, item):
        return Outcome.UNCHANGED


@pytest.mark.django_db
def test_importer_row_numbers_count_records_not_lines():
    # A quoted value spanning two lines is still one spreadsheet row.
    text = 'Name,Note\nfirst,"two\nlines"\nbad,x\n'

    report = _NameImporter().run(io.StringIO(text))

    assert report.errors == [(3, "Name 'bad' is not allowed")]
    assert report.unchanged == 1


def test_importer_rejects_text_in_no_known_encoding():
    with pytest.raises(ImportFileError, match="neither UTF-8 nor Windows-1252"):
        _NameImporter().run(io.BytesIO(b"Name\n\x81\x8d\n"))


# --- Admin upload ------------------------------------------------------------------------


def test_academy_changelist_offers_gias_and_import_export_buttons(client, world):
    client.force_login(world.coordinator)

    page = client.get(reverse("admin:trusts_academy_changelist")).content.decode()

    assert reverse("admin:trusts_academy_import_gias") in page
    assert reverse("admin:trusts_academy_import") in page
    assert reverse("admin:trusts_academy_export") in page


def test_admin_gias_upload_runs_as_a_job_and_shows_the_report(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    url = reverse("admin:trusts_academy_import_gias")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile(
        "edubasealldata.csv",
        gias_file(
            [establishment(137001, EstablishmentName="St Mary’s – Ærø"), establishment(137002, NumberOfPupils="abc")]
        ),
        content_type="text/csv",
    )

    with django_capture_on_commit_callbacks(execute=True):  # the worker (eager in tests) runs the job
        response = client.post(url, {"file": upload, "as_of": "01/09/2025"})

    assert response.status_code == 302  # to the job's page
    page = client.get(response["Location"]).content.decode()
    assert "Import: Finished" in page
    assert "NumberOfPupils &#x27;abc&#x27; is not a whole number" in page
    academy = Academy.objects.get(urn=137001)
    assert academy.name == "St Mary’s – Ærø"
    assert academy.trust_history.get().joined_on == AS_OF
    assert academy.history.first().history_user == world.coordinator


def test_admin_gias_upload_without_urn_column_is_refused_at_once(client, world):
    from network.base.imports.models import ImportJob

    client.force_login(world.coordinator)
    upload = SimpleUploadedFile("people.csv", b"Name,Email\nSam,sam@example.org\n", content_type="text/csv")

    response = client.post(reverse("admin:trusts_academy_import_gias"), {"file": upload})

    assert response.status_code == 200
    assert "no URN column" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("role", ["leader_a", "executive_a", "visitor"])
def test_admin_gias_upload_is_closed_to_non_coordinators(client, world, role):
    client.force_login(getattr(world, role))
    upload = SimpleUploadedFile("gias.csv", gias_file([establishment(137001)]), content_type="text/csv")

    response = client.post(reverse("admin:trusts_academy_import_gias"), {"file": upload})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not Academy.objects.filter(urn=137001).exists()


def test_admin_gias_upload_needs_the_add_academy_permission(client, world):
    # Staff, but not in the coordinators group (with two-step sign-in, which staff must use).
    staff = f.enrol_mfa(f.UserFactory(role="coordinator", is_staff=True))

    client.force_login(staff)

    assert client.get(reverse("admin:trusts_academy_import_gias")).status_code == 403
