"""The Ofsted management-information importer: graded and ungraded inspections, the
report-card areas, the previous inspection, idempotence and row-numbered errors."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from tests import factories as f
from trusts.importers.base import ImportFileError
from trusts.importers.inspections import import_inspections
from trusts.models import Inspection

# A subset of the columns of Ofsted's "State-funded schools inspections and outcomes"
# management information, in its order, plus the report-card areas of the newer files.
MI_HEADER = [
    "Web link (opens in new window)", "URN", "LAESTAB", "School name", "Ofsted phase", "Type of education",
    "Local authority", "Inspection number", "Inspection type", "Inspection start date", "Publication date",
    "Overall effectiveness", "Category of concern", "Quality of education", "Behaviour and attitudes",
    "Personal development", "Effectiveness of leadership and management", "Safeguarding is effective?",
    "Previous inspection start date", "Previous overall effectiveness",
    "Inclusion", "Curriculum and teaching", "Achievement", "Attendance and behaviour",
    "Personal development and well-being", "Leadership and governance", "Safeguarding",
]  # fmt: skip


def mi_file(rows, extra=()) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*MI_HEADER, *extra], lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({"Ofsted phase": "Secondary", "Inspection type": "S5 Inspection", **row})
    return io.BytesIO(out.getvalue().encode("cp1252"))


def row(urn, date, overall, **more):
    return {
        "URN": str(urn),
        "School name": f"School {urn}",
        "Inspection start date": date,
        "Overall effectiveness": overall,
        **more,
    }


@pytest.fixture
def academies(db):
    return {urn: f.AcademyFactory(urn=urn) for urn in (100001, 100002, 100003, 100004)}


def inspections(urn):
    return list(
        Inspection.objects.filter(academy__urn=urn)
        .order_by("-inspection_date")
        .values_list("inspection_date", "grade", "outcome_text", "report_card", "source")
    )


def test_graded_ungraded_and_report_card_inspections(academies):
    report_card = {
        "Inclusion": "Strong standard",
        "Curriculum and teaching": "Expected standard",
        "Achievement": "Needs attention",
        "Safeguarding": "Met",
    }
    rows = [
        row(
            100001,
            "14/03/2023",
            "2",
            **{"Previous inspection start date": "10/05/2017", "Previous overall effectiveness": "1"},
        ),
        row(100002, "06/10/2025", "Not judged"),
        row(100003, "24/11/2025", "", **report_card),
        row(100004, "", ""),  # never inspected
        row(999999, "01/02/2024", "3"),  # not one of ours
    ]
    report = import_inspections(source=mi_file(rows))

    assert report.errors == []
    assert (report.created, report.skipped) == (3, 2)
    assert inspections(100001) == [
        (datetime.date(2023, 3, 14), 2, "", {}, "ofsted_mi"),
        (datetime.date(2017, 5, 10), 1, "", {}, "ofsted_mi"),
    ]
    assert inspections(100002) == [(datetime.date(2025, 10, 6), None, "Not judged", {}, "ofsted_mi")]
    assert inspections(100003) == [(datetime.date(2025, 11, 24), None, "Report card", report_card, "ofsted_mi")]


def test_reimport_changes_nothing_and_updates_a_gias_inspection_of_the_same_day(academies):
    f.InspectionFactory(
        academy=academies[100001],
        inspection_date=datetime.date(2023, 3, 14),
        grade=None,
        outcome_text="",
        source="gias",
    )
    rows = [row(100001, "14/03/2023", "2"), row(100002, "2024-01-20", "3")]
    first = import_inspections(source=mi_file(rows))
    second = import_inspections(source=mi_file(rows))

    assert (first.created, first.updated) == (1, 1)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert inspections(100001) == [(datetime.date(2023, 3, 14), 2, "", {}, "ofsted_mi")]
    assert Inspection.objects.count() == 2


def test_bad_rows_are_reported_with_row_numbers(academies):
    rows = [
        row(100001, "14/03/2023", "Good"),
        row(100002, "31/02/2024", "2"),
        row(100003, "14/03/2023", "2"),
        row(100003, "14/03/2023", "2"),  # the same inspection twice
        row(
            100004,
            "14/03/2023",
            "2",
            **{"Previous inspection start date": "14/03/2024", "Previous overall effectiveness": "2"},
        ),
        row("", "14/03/2023", "2"),
    ]
    report = import_inspections(source=mi_file(rows))

    assert report.errors == [
        (2, "Overall effectiveness 'Good' is not a grade 1 to 4 or 'Not judged'"),
        (3, "Inspection start date '31/02/2024' is not a date (dd-mm-yyyy)"),
        (
            5,
            "URN 100003's inspection of 14/03/2023 appears again (first on row 4): the same inspection twice, so "
            "only the first is imported",
        ),
        (6, "Previous inspection start date 14/03/2024 is not before Inspection start date"),
        (7, "URN is missing"),
    ]
    assert report.created == 1


def test_a_file_without_the_overall_effectiveness_column_is_refused(db):
    with pytest.raises(ImportFileError, match="no Overall effectiveness column"):
        import_inspections(source=io.BytesIO(b"URN,Inspection start date\n100001,14/03/2023\n"))


def test_each_inspection_written_is_announced_once(academies):
    from trusts.signals import inspection_recorded

    seen = []

    def listener(sender, inspection, **kwargs):
        seen.append(inspection)
        return 0

    inspection_recorded.connect(listener)
    try:
        import_inspections(source=mi_file([row(100001, "14/03/2023", "3")]))
        import_inspections(source=mi_file([row(100001, "14/03/2023", "3")]))
    finally:
        inspection_recorded.disconnect(listener)
    assert [(i.academy.urn, i.grade) for i in seen] == [(100001, 3)]  # not again when nothing changed


# -- Files with one row per inspection (in-year, all inspections) -----------------------


def numbered(urn, number, date, overall, **more):
    return row(urn, date, overall, **{"Inspection number": str(number), **more})


def history(urn):
    return [(d, g, n) for d, g, _t, _c, _s, n in _with_numbers(urn)]


def _with_numbers(urn):
    return list(
        Inspection.objects.filter(academy__urn=urn)
        .order_by("-inspection_date")
        .values_list("inspection_date", "grade", "outcome_text", "report_card", "source", "inspection_number")
    )


ALL_INSPECTIONS = [
    numbered(100001, 10100001, "12/11/2025", "", Inclusion="Expected standard", Safeguarding="Met"),
    numbered(100001, 10090001, "14/03/2023", "3"),
    numbered(100001, 10080001, "10/05/2019", "2"),
    numbered(100002, 10090002, "01/02/2024", "1"),
]


@pytest.mark.parametrize("order", ["newest first", "oldest first"])
def test_every_inspection_of_a_school_is_imported(academies, order):
    rows = ALL_INSPECTIONS if order == "newest first" else ALL_INSPECTIONS[::-1]
    report = import_inspections(source=mi_file(rows))

    assert (report.errors, report.created) == ([], 4)
    assert history(100001) == [
        (datetime.date(2025, 11, 12), None, "10100001"),
        (datetime.date(2023, 3, 14), 3, "10090001"),
        (datetime.date(2019, 5, 10), 2, "10080001"),
    ]
    assert history(100002) == [(datetime.date(2024, 2, 1), 1, "10090002")]


def test_a_multi_row_file_imported_twice_changes_nothing(academies):
    import_inspections(source=mi_file(ALL_INSPECTIONS))
    before = _with_numbers(100001)
    again = import_inspections(source=mi_file(ALL_INSPECTIONS[::-1]))

    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 4, [])
    assert _with_numbers(100001) == before


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        (
            [numbered(100001, 10090001, "14/03/2023", "3"), numbered(100001, 10090001, "14/03/2023", "3")],
            "Inspection number 10090001 appears again (first on row 2): the same inspection twice, so only the first "
            "is imported",
        ),
        (
            [numbered(100001, 10090001, "14/03/2023", "3"), numbered(100002, 10090001, "15/03/2023", "2")],
            "Inspection number 10090001 appears again (first on row 2): the same inspection twice, so only the first "
            "is imported",
        ),
        (
            [numbered(100001, 10090001, "14/03/2023", "3"), numbered(100001, 10090009, "14/03/2023", "2")],
            "URN 100001 has two inspections starting 14/03/2023 (numbers 10090001 on row 2 and 10090009); only one "
            "a day can be recorded, so only the first is imported",
        ),
        (
            [row(100001, "14/03/2023", "3"), row(100001, "14/03/2023", "3")],
            "URN 100001's inspection of 14/03/2023 appears again (first on row 2): the same inspection twice, so only "
            "the first is imported",
        ),
    ],
    ids=["same number", "same number, other school", "two numbers one day", "same school and day"],
)
def test_the_same_inspection_twice_in_a_file_is_refused(academies, rows, error):
    report = import_inspections(source=mi_file(rows))
    assert report.errors == [(3, error)]
    assert Inspection.objects.count() == 1  # the first row's inspection


def test_the_inspection_number_keys_an_inspection_across_files(academies):
    import_inspections(source=mi_file([numbered(100001, 10090001, "14/03/2023", "3")]))
    # A later file corrects the start date of the same inspection: it moves, it is not doubled.
    report = import_inspections(source=mi_file([numbered(100001, 10090001, "13/03/2023", "3")]))
    assert (report.created, report.updated) == (0, 1)
    assert history(100001) == [(datetime.date(2023, 3, 13), 3, "10090001")]


def test_a_numbered_row_takes_over_the_same_day_recorded_without_a_number(academies):
    f.InspectionFactory(academy=academies[100001], inspection_date=datetime.date(2023, 3, 14), grade=3, source="gias")
    report = import_inspections(source=mi_file([numbered(100001, 10090001, "14/03/2023", "3")]))
    assert report.updated == 1
    assert history(100001) == [(datetime.date(2023, 3, 14), 3, "10090001")]


def test_a_previous_inspection_with_a_row_of_its_own_is_taken_from_that_row(academies):
    rows = [
        numbered(
            100001,
            10090001,
            "14/03/2023",
            "3",
            **{"Previous inspection start date": "10/05/2019", "Previous overall effectiveness": "1"},
        ),
        # The file's own row for that earlier inspection says grade 2: it is the better account.
        numbered(100001, 10080001, "10/05/2019", "2"),
    ]
    for _ in range(2):
        report = import_inspections(source=mi_file(rows))
        assert report.errors == []
        assert history(100001) == [
            (datetime.date(2023, 3, 14), 3, "10090001"),
            (datetime.date(2019, 5, 10), 2, "10080001"),
        ]
    assert report.unchanged == 2  # and the second run changed nothing


def test_a_file_without_inspection_numbers_says_how_it_keys_inspections(academies):
    data = b"URN,Inspection start date,Overall effectiveness\n100001,14/03/2023,2\n100001,10/05/2019,1\n"
    report = import_inspections(source=io.BytesIO(data))
    assert report.notices == [
        "No Inspection number column: inspections are identified by URN and Inspection start date."
    ]
    assert report.created == 2


# -- Report cards -----------------------------------------------------------------------


def test_report_card_columns_under_ofsteds_other_spellings_are_read(academies):
    header = "URN,Inspection number,Inspection start date,Personal development and wellbeing,Safeguarding standards,Achievement\n"
    data = (header + "100001,10100001,24/11/2025,strong  STANDARD,not met,Needs attention\n").encode()
    report = import_inspections(source=io.BytesIO(data))

    assert report.errors == []
    assert report.notices == [
        "No Overall effectiveness column: inspections are read from their report-card areas only."
    ]
    [(day, grade, text, card, _source)] = inspections(100001)
    assert (day, grade, text) == (datetime.date(2025, 11, 24), None, "Report card")
    assert card == {
        "Personal development and well-being": "Strong standard",
        "Safeguarding": "Not met",
        "Achievement": "Needs attention",
    }


@pytest.mark.parametrize(
    ("cells", "error"),
    [
        ({"Achievement": "Good"}, "Achievement 'Good' is not a report-card grade"),
        ({"Safeguarding": "Effective"}, "Safeguarding 'Effective' is not 'Met' or 'Not met'"),
    ],
)
def test_a_report_card_grade_off_the_scale_is_a_row_error(academies, cells, error):
    report = import_inspections(source=mi_file([row(100001, "24/11/2025", "", **cells)]))
    assert len(report.errors) == 1 and report.errors[0][1].startswith(error)
    assert not Inspection.objects.exists()


def test_areas_a_school_does_not_have_are_left_out(academies):
    cells = {"Achievement": "Expected standard", "Early years in schools": "Not applicable", "Safeguarding": "Met"}
    import_inspections(source=mi_file([row(100001, "24/11/2025", "NULL", **cells)], extra=["Early years in schools"]))
    assert inspections(100001)[0][3] == {"Achievement": "Expected standard", "Safeguarding": "Met"}


def test_a_column_spelt_otherwise_is_reported_not_ignored(academies):
    data = b"URN,Inspection start date,Overall effectiveness,Inspection Number\n100001,14/03/2023,2,10090001\n"
    report = import_inspections(source=io.BytesIO(data))
    assert report.notices == [
        "No Inspection number column: inspections are identified by URN and Inspection start date.",
        "The column \u201cInspection Number\u201d is not read: Ofsted spells it \u201cInspection number\u201d.",
    ]


def test_the_academy_page_shows_a_report_card_and_never_invents_a_judgement(client, world):
    f.InspectionFactory(
        academy=world.academy_a,
        inspection_date=datetime.date(2025, 11, 24),
        grade=None,
        outcome_text="Report card",
        report_card={"Safeguarding": "Met", "Achievement": "Strong standard", "Inclusion": "Expected standard"},
    )
    f.InspectionFactory(
        academy=world.academy_a, inspection_date=datetime.date(2024, 10, 1), grade=None, outcome_text=""
    )
    f.PerformanceResultFactory(
        academy=world.academy_a,
        academic_year="2024-25",
        progress8=None,
        percentile=None,
        attainment8="51.30",
        attainment8_percentile="80.5",
    )
    client.force_login(world.coordinator)
    page = client.get(reverse("trusts:academy_detail", args=[world.academy_a.urn])).content.decode()
    assert "Report card – Inclusion: Expected standard; Achievement: Strong standard; Safeguarding: Met" in page
    assert "No single-word judgement" in page
    assert "Ungraded (report card)" not in page
    assert "51.30" in page and "80.5" in page


def test_a_previous_mention_with_another_date_for_a_numbered_row_does_not_flip_flop(academies):
    rows = [
        numbered(
            100001,
            10090001,
            "14/03/2023",
            "3",
            **{
                "Previous inspection number": "10080001",
                "Previous inspection start date": "09/05/2019",  # the row of its own says 10/05/2019
                "Previous overall effectiveness": "2",
            },
        ),
        numbered(100001, 10080001, "10/05/2019", "2"),
    ]
    import_inspections(source=mi_file(rows, extra=["Previous inspection number"]))
    again = import_inspections(source=mi_file(rows, extra=["Previous inspection number"]))
    assert (again.updated, again.unchanged) == (0, 2)
    assert history(100001) == [
        (datetime.date(2023, 3, 14), 3, "10090001"),
        (datetime.date(2019, 5, 10), 2, "10080001"),
    ]


def test_a_file_without_report_card_columns_keeps_the_card_already_imported(academies):
    card = {"Achievement": "Strong standard", "Safeguarding": "Met"}
    import_inspections(source=mi_file([numbered(100001, 10100001, "24/11/2025", "", **card)]))
    plain = b"URN,Inspection number,Inspection start date,Overall effectiveness\n100001,10100001,24/11/2025,NULL\n"
    report = import_inspections(source=io.BytesIO(plain))
    assert report.unchanged == 1
    assert inspections(100001) == [(datetime.date(2025, 11, 24), None, "Report card", card, "ofsted_mi")]
