"""Personal data and background imports in a real Chromium: "My data" and the privacy
page pass axe; an import job's page follows the worker by itself (htmx, under the strict
Content Security Policy) until the report is there."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from network.base.imports import jobs as imports
from tests import factories as f
from tests.e2e.conftest import axe, sign_in
from tests.trusts.test_import_gias import establishment, gias_file

pytestmark = pytest.mark.e2e


def test_my_data_and_the_privacy_page(page, transactional_db):
    academy = f.AcademyFactory(name="Burnley Road Academy")
    leader = f.leader(academy, full_name="Amira Hussain")
    sign_in(page, leader)
    page.get_by_role("button", name=str(leader)).click()
    page.get_by_role("link", name="My data").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My data"
    assert page.get_by_role("heading", name="Your details in the network").is_visible()
    axe(page)
    page.get_by_role("link", name="Privacy: your data and how long we keep it").click()
    assert "6 years after the event" in page.get_by_role("main").inner_text()
    axe(page)


def test_import_job_page_follows_the_worker(page, transactional_db, monkeypatch):
    monkeypatch.setattr(imports, "dispatch", lambda job_id: None)  # the worker is this test
    coordinator = f.coordinator(email="coordinator@portal.example")
    upload = SimpleUploadedFile("gias.csv", gias_file([establishment(137001), establishment(137002)]), "text/csv")
    job = imports.import_job_create(kind="gias", target="trusts.Academy", upload=upload, options={}, by=coordinator)
    sign_in(page, coordinator)
    page.goto(reverse("admin:network_importjob_change", args=[job.pk]))
    assert "Waiting for a worker" in page.locator("#job-status").inner_text()

    imports.import_job_run(job.pk)  # the worker, while the page is open

    page.locator("#job-status", has_text="Import: Finished").wait_for(timeout=10_000)
    assert "Created" in page.locator("#job-status").inner_text()
