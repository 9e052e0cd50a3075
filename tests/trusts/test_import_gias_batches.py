"""The GIAS importer writes in batches (issue 14: a 25,000-row file): rows are planned
and validated in Python and written with a few bulk queries per batch, while keeping
what the row-by-row import guaranteed: row-numbered errors, a bad row never loses the
good ones (even when the database refuses a batch), idempotent re-imports, the report's
counts and the academies' history."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.trusts.test_import_gias import AS_OF, establishment, gias_file
from trusts.importers import gias
from trusts.importers.gias import GiasImporter, import_gias
from trusts.models import Academy, AcademyTrustMembership, Inspection, Trust

pytestmark = pytest.mark.django_db

TRUST = {"Trusts (code)": "16001", "Trusts (name)": "PENNINE LEARNING TRUST"}


def known_trust():
    return f.TrustFactory(gias_uid="16001", name="PENNINE LEARNING TRUST")


def rows(first_urn, n, **overrides):
    return [establishment(first_urn + i, **{**TRUST, **overrides}) for i in range(n)]


def import_rows(rows_, *, by=None):
    return import_gias(source=io.BytesIO(gias_file(rows_)), as_of=AS_OF, by=by)


def import_queries(rows_) -> int:
    with CaptureQueriesContext(connection) as ctx:
        import_rows(rows_)
    return len(ctx.captured_queries)


def test_rows_in_a_known_trust_are_created_together_with_their_history_and_trust(world):
    trust = known_trust()

    report = import_rows(rows(137001, 30), by=world.coordinator)

    assert (report.created, report.updated, report.unchanged, report.errors) == (30, 0, 0, [])
    assert report.details == {"trust moves recorded": 30, "inspections added": 30}
    academy = Academy.objects.get(urn=137017)
    assert (academy.trust, academy.name, academy.pupils_on_roll) == (trust, "Riverside Academy 137017", 1043)
    assert list(academy.trust_history.values_list("trust__gias_uid", "joined_on", "left_on")) == [
        ("16001", AS_OF, None)
    ]
    assert academy.history.count() == 1
    created = academy.history.get()
    assert (created.history_type, created.history_user, created.trust_id) == ("+", world.coordinator, trust.pk)
    assert list(academy.inspections.values_list("inspection_date", "grade", "source")) == [
        (datetime.date(2023, 3, 14), 2, Inspection.Source.GIAS)
    ]


def test_changed_rows_are_updated_together_and_a_second_run_changes_nothing():
    known_trust()
    import_rows(rows(137001, 20))
    history = Academy.history.count()

    changed = rows(137001, 20)
    for row in changed[:5]:
        row["NumberOfPupils"] = "1200"
    changed[6]["EstablishmentName"] = "Riverside Academy (renamed)"
    report = import_rows(changed)

    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 6, 14, [])
    assert report.details == {}
    assert set(Academy.objects.filter(pupils_on_roll=1200).values_list("urn", flat=True)) == set(range(137001, 137006))
    assert Academy.objects.get(urn=137007).name == "Riverside Academy (renamed)"
    assert Academy.history.count() == history + 6
    assert Academy.history.filter(urn=137001).first().pupils_on_roll == 1200

    again = import_rows(changed)

    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 20, [])
    assert Academy.history.count() == history + 6
    assert AcademyTrustMembership.objects.count() == 20
    assert Inspection.objects.count() == 20


def test_queries_do_not_grow_with_the_rows():
    known_trust()
    # New academies, then the same academies changed, then unchanged: 3 rows and 40 rows.
    few, many = rows(137001, 3), rows(138001, 40)
    created = (import_queries(few), import_queries(many))
    for row in few + many:
        row["NumberOfPupils"] = "777"
    updated = (import_queries(few), import_queries(many))
    unchanged = (import_queries(few), import_queries(many))

    assert created[0] == created[1]
    assert updated[0] == updated[1]
    assert unchanged[0] == unchanged[1]
    assert Academy.objects.filter(pupils_on_roll=777).count() == 43


def test_schools_in_no_trust_are_created_in_batches():
    few = [establishment(137001 + i, **{"Trusts (code)": "", "Trusts (name)": ""}) for i in range(2)]
    many = [establishment(138001 + i, **{"Trusts (code)": "", "Trusts (name)": ""}) for i in range(30)]

    assert import_queries(few) == import_queries(many)
    assert Academy.objects.filter(trust__isnull=True).count() == 32
    assert not AcademyTrustMembership.objects.exists()


def test_a_row_the_model_refuses_is_reported_and_the_rest_of_its_batch_written():
    known_trust()
    file_rows = rows(137001, 10)
    file_rows[4]["EstablishmentName"] = "A" * 201  # row 6

    report = import_rows(file_rows)

    assert report.errors == [(6, "name: Ensure this value has at most 200 characters (it has 201).")]
    assert report.created == 9
    assert not Academy.objects.filter(urn=137005).exists()
    assert Academy.objects.count() == 9


def test_a_batch_the_database_refuses_is_written_row_by_row(monkeypatch):
    """An academy added meanwhile (in the admin, say) after the importer loaded what it
    compares against: creating it again breaks the unique URN, so the database refuses
    the batch. The rows are then written one by one: that row is reported with its
    number, the others are kept, and the counts are those of the rows kept."""
    known_trust()
    before_write = GiasImporter.before_write

    def meanwhile(self, items):
        before_write(self, items)
        f.AcademyFactory(urn=137004, name="Added meanwhile", trust=None)

    monkeypatch.setattr(GiasImporter, "before_write", meanwhile)

    report = import_rows(rows(137001, 8))

    assert [row for row, _ in report.errors] == [5]
    assert "could not be saved" in report.errors[0][1]
    assert report.created == 7
    assert report.details == {"trust moves recorded": 7, "inspections added": 7}
    assert Academy.objects.get(urn=137004).name == "Added meanwhile"
    assert Academy.objects.filter(trust__gias_uid="16001").count() == 7
    assert AcademyTrustMembership.objects.count() == 7
    assert Academy.history.filter(urn=137004).count() == 1  # the one it was created with


def test_batches_and_rows_written_alone_mix_in_file_order(monkeypatch):
    """A row that creates a trust is written on its own; the rows after it that name the
    trust are then batched; a move of an existing academy is written on its own."""
    monkeypatch.setattr(GiasImporter, "batch_size", 4)
    mover = f.AcademyFactory(urn=137900, trust=f.TrustFactory(gias_uid="16500", name="Old Trust"))
    file_rows = [
        establishment(137001, **{"Trusts (code)": "16002", "Trusts (name)": "New Trust"}),
        *[establishment(137002 + i, **{"Trusts (code)": "16002", "Trusts (name)": "New Trust"}) for i in range(6)],
        establishment(137900, **{"Trusts (code)": "16002", "Trusts (name)": "New Trust"}),
    ]

    report = import_rows(file_rows)

    assert (report.created, report.updated, report.errors) == (7, 1, [])
    assert report.details["trusts created"] == 1
    assert report.details["trust moves recorded"] == 8
    new = Trust.objects.get(gias_uid="16002")
    assert Academy.objects.filter(trust=new).count() == 8
    mover.refresh_from_db()
    assert mover.trust == new
    assert mover.trust_history.get(left_on__isnull=True).joined_on == AS_OF


def test_a_grade_4_inspection_written_in_a_batch_is_announced(monkeypatch):
    heard = []
    monkeypatch.setattr(gias, "announce_inspection", lambda inspection: heard.append(inspection.academy.urn) or 0)
    known_trust()

    import_rows(rows(137001, 3, **{"OfstedRating (name)": "Inadequate"}))

    assert heard == [137001, 137002, 137003]
    assert set(Inspection.objects.values_list("grade", flat=True)) == {4}
