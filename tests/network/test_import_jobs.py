"""Imports run as background jobs, never in the web request: size limits with a clear
message, a wrong file refused at once, progress on the job's page, the report kept, and
admin spreadsheet imports checked then confirmed. Tasks run eagerly here (on commit);
`make run` runs them on the embedded broker's worker."""

import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from network.base.imports import jobs as imports
from network.base.imports.models import ImportJob
from network.base.privacy.erasure import person_erase
from network.base.tasks import run_import_job, sweep_import_jobs
from tests import factories as f
from tests.trusts.test_import_gias import establishment, gias_file
from trusts.models import Academy, Person

pytestmark = pytest.mark.django_db

GIAS_URL = "admin:trusts_academy_import_gias"


def _gias_upload(n=2):
    return SimpleUploadedFile("gias.csv", gias_file([establishment(137001 + i) for i in range(n)]), "text/csv")


def test_the_request_only_stores_the_file_and_queues_the_job(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse(GIAS_URL), {"file": _gias_upload()})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("admin:network_importjob_change", args=[job.pk])
    assert (job.status, job.kind, job.original_name) == (ImportJob.Status.QUEUED, "gias", "gias.csv")
    assert os.path.exists(job.file.path)
    new = Academy.objects.filter(urn__in=[137001, 137002])
    assert len(queued) == 1 and not new.exists()  # nothing imported in the request

    page = client.get(response["Location"]).content.decode()
    assert "Waiting for a worker" in page
    assert f'hx-get="{reverse("admin:network_importjob_status", args=[job.pk])}"' in page  # polls while it runs

    assert run_import_job(job.pk) is True  # the worker
    assert run_import_job(job.pk) is False  # a second delivery does nothing
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.report["created"] == 2
    assert new.count() == 2
    fragment = client.get(reverse("admin:network_importjob_status", args=[job.pk])).content.decode()
    assert "hx-get" not in fragment  # finished: the page stops polling
    assert "Created" in fragment


def test_an_oversized_upload_is_refused_with_a_clear_message(client, world, settings):
    settings.IMPORT_UPLOAD_MAX_MB = 1
    client.force_login(world.coordinator)
    big = SimpleUploadedFile("gias.csv", b"URN,EstablishmentName\n" + b"x" * (1024 * 1024 + 1), "text/csv")
    page = client.post(reverse(GIAS_URL), {"file": big}).content.decode()
    assert "This file is 1.0 MB; the largest that can be uploaded here is 1 MB." in page
    assert not ImportJob.objects.exists()


def test_junk_is_refused_at_once_without_reading_it_all(client, world):
    client.force_login(world.coordinator)
    junk = SimpleUploadedFile("junk.csv", os.urandom(3 * 1024 * 1024), "text/csv")
    page = client.post(reverse(GIAS_URL), {"file": junk}).content.decode()
    assert "no URN column" in page and "not a GIAS establishment export" in page
    assert not ImportJob.objects.exists()


def test_progress_is_reported_while_the_job_runs(world, django_capture_on_commit_callbacks, monkeypatch):
    seen = []
    real = imports.progress_reporter

    def spy(job):
        report = real(job)

        def both(phase, done, total=None):
            report(phase, done, total)
            seen.append((phase, done, total, imports.read_progress(job)))

        return both

    monkeypatch.setattr(imports, "progress_reporter", spy)
    monkeypatch.setattr(imports, "PROGRESS_EVERY_SECONDS", 0)
    job = imports.import_job_create(kind="gias", target="trusts.Academy", upload=_gias_upload(3), options={},
                                    by=world.coordinator)  # fmt: skip
    imports.import_job_run(job.pk)
    assert ("writing rows", 3, 3, {"phase": "writing rows", "done": 3, "total": 3}) in seen
    assert imports.read_progress(job) is None  # finished: the progress file is gone, the report stays


def test_a_job_the_broker_missed_is_started_by_the_sweep(world, monkeypatch):
    monkeypatch.setattr(imports, "dispatch", lambda job_id: None)  # the broker was down
    job = imports.import_job_create(kind="gias", target="trusts.Academy", upload=_gias_upload(), options={},
                                    by=world.coordinator)  # fmt: skip
    assert sweep_import_jobs() == 0  # too fresh: its task may still be on its way
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    assert sweep_import_jobs() == 1
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE


def test_a_job_whose_worker_died_is_closed_with_the_reason(world):
    job = ImportJob.objects.create(kind="gias", target="trusts.Academy", original_name="gias.csv",
                                   status=ImportJob.Status.RUNNING,
                                   started_at=timezone.now() - imports.IMPORT_JOB_STALE - timedelta(minutes=1))  # fmt: skip
    sweep_import_jobs()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "upload the file again" in job.error


# -- Admin spreadsheet imports (django-import-export): a check, then the import ------------------


def _people_csv(*rows) -> SimpleUploadedFile:
    lines = ["email,first_name,last_name,academy_urn,job_role", *(",".join(map(str, r)) for r in rows)]
    return SimpleUploadedFile("people.csv", "\n".join(lines).encode(), "text/csv")


def _upload_people(client, upload):
    return client.post(reverse("admin:trusts_person_import"), {"import_file": upload, "format": "0", "resource": "0"})


def test_spreadsheet_import_is_checked_then_imported_in_the_background(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    upload = _people_csv(("nia.bello@school.example", "Nia", "Bello", world.academy_a.urn, "teacher"),
                         ("owen.price@school.example", "Owen", "Price", world.academy_a.urn, "technician"))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload_people(client, upload)
    check = ImportJob.objects.get()
    assert check.dry_run and check.status == ImportJob.Status.DONE
    assert check.report["totals"]["new"] == 2
    assert not Person.objects.filter(email="nia.bello@school.example").exists()  # a check saves nothing
    page = client.get(response["Location"]).content.decode()
    assert "Import these rows" in page

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("admin:network_importjob_confirm", args=[check.pk]))
    job = ImportJob.objects.exclude(pk=check.pk).get()
    assert confirmed["Location"] == reverse("admin:network_importjob_change", args=[job.pk])
    assert not job.dry_run and job.status == ImportJob.Status.DONE and job.file.name == check.file.name
    nia = Person.objects.get(email="nia.bello@school.example")
    assert nia.history.first().history_user == world.coordinator


def test_spreadsheet_import_reports_refused_rows_and_offers_no_import(
    client, world, django_capture_on_commit_callbacks
):
    erased_email = world.person_b.email
    person_erase(person=world.person_b, by=world.coordinator)
    client.force_login(world.coordinator)
    upload = _people_csv((erased_email, "Back", "Again", world.academy_a.urn, "teacher"))
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload_people(client, upload)
    page = client.get(response["Location"]).content.decode()
    assert "was erased on" in page and "row" in page.lower()
    assert "Import these rows" not in page
    check = ImportJob.objects.get()
    assert client.post(reverse("admin:network_importjob_confirm", args=[check.pk])).status_code == 403


def test_a_spreadsheet_that_cannot_be_read_fails_the_job_with_the_reason(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    junk = SimpleUploadedFile("people.xlsx", os.urandom(50_000), "application/octet-stream")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:trusts_person_import"), {"import_file": junk, "format": "1", "resource": "0"}
        )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and "cannot be read as XLSX" in job.error
    assert "Nothing was changed" in client.get(response["Location"]).content.decode()


def test_import_export_own_confirm_step_never_imports_in_the_request(client, world):
    client.force_login(world.coordinator)
    assert client.post(reverse("admin:trusts_person_process_import"), {}).status_code == 404


@pytest.mark.parametrize("role", ["leader_a", "executive_a"])
def test_job_pages_are_the_coordinators(client, world, role):
    job = ImportJob.objects.create(kind="gias", target="trusts.Academy", original_name="gias.csv")
    client.force_login(getattr(world, role))
    assert client.get(reverse("admin:network_importjob_change", args=[job.pk])).status_code == 302


def test_import_files_have_a_retention_rule(world):
    from network.base.privacy.retention import RULES

    assert RULES["import_files"].days == 30


def test_import_job_is_in_the_personal_data_export(world):
    f.PersonFactory()
    ImportJob.objects.create(
        kind="gias", target="trusts.Academy", original_name="gias.csv", created_by=world.coordinator
    )
    from network.base.personal_data import personal_data_for

    data = personal_data_for(world.coordinator).as_json()
    assert [j["file"] for j in data["imports_run"]] == ["gias.csv"]
