"""The Ofsted management-information importer: graded and ungraded inspections, the
report-card areas, the previous inspection, idempotence and row-numbered errors."""

import csv
import datetime
import io

import pytest

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


def mi_file(rows) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MI_HEADER, lineterminator="\r\n")
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
        row(100003, "15/03/2023", "2"),
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
        (5, "URN 100003 appears again (first on row 4); only the first is imported"),
        (6, "Previous inspection start date 14/03/2024 is not before Inspection start date"),
        (7, "URN is missing"),
    ]
    assert report.created == 1


def test_a_file_without_the_overall_effectiveness_column_is_refused():
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
