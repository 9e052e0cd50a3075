"""The evidence log: who records for which academy, evidence with files (limits, served
only through a permission check), the rating and the lag on the page, and a survey
result attached in one click."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from impact.evidence import services
from impact.models import Claim, EvidenceItem
from network.base.rules import NotAllowed
from tests import factories as f
from tests.impact.helpers import answer, survey_of_every_kind

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 a small report"


def _claim_data(world, academy):
    return {
        "statement": "Year 9 write-ups improved",
        "academy": academy.pk,
        "initiative_kind": "hub",
        "hub": world.hub.pk,
        "guskey_level": "4",
        "cpd_on": "2025-10-07",
    }


@pytest.mark.parametrize(
    ("role", "own", "other"), [("coordinator", 302, 302), ("executive_a", 302, 200), ("leader_a", 302, 200)]
)
def test_who_records_a_claim_for_which_academy(client, world, role, own, other):
    client.force_login(getattr(world, role))
    assert client.post(reverse("impact:claim_create"), _claim_data(world, world.academy_a)).status_code == own
    # Another trust's academy is not among the choices (the form says so) for everyone else.
    assert client.post(reverse("impact:claim_create"), _claim_data(world, world.academy_b)).status_code == other
    assert Claim.objects.filter(academy=world.academy_b).exists() == (role == "coordinator")


def test_the_service_refuses_another_academy(world):
    with pytest.raises(NotAllowed):
        services.claim_create(
            academy=world.academy_b,
            statement="x",
            initiative_kind="hub",
            hub=world.hub,
            guskey_level=3,
            by=world.leader_a,
        )


def test_evidence_with_a_file_is_served_only_to_those_who_may_see_it(client, world):
    claim = f.ClaimFactory(academy=world.academy_a)
    client.force_login(world.leader_a)
    upload = SimpleUploadedFile("observation notes.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("impact:evidence_add", args=[claim.pk]),
        {
            "source_type": "lesson_observation",
            "observed_on": "2026-02-03",
            "summary": "Pupils planned the method.",
            "attachment": upload,
        },
    )
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert (item.attachment_name, item.recorded_by) == ("observation notes.pdf", world.leader_a)
    download = client.get(reverse("impact:evidence_attachment", args=[item.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    for user, status in ((world.executive_a, 200), (world.coordinator, 200)):
        client.force_login(user)
        assert client.get(reverse("impact:evidence_attachment", args=[item.pk])).status_code == status
    outsider = f.leader(world.academy_b)
    client.force_login(outsider)
    assert client.get(reverse("impact:evidence_attachment", args=[item.pk])).status_code == 404
    assert client.get(reverse("impact:claim_detail", args=[claim.pk])).status_code == 404
    # The file is never under a public URL.
    assert not item.attachment.url.startswith("/static/")


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("notes.exe", b"MZ", "not a file type we accept"),
        ("notes.pdf", b"MZ\x90\x00 not a pdf", "does not look like a PDF"),
        ("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), "larger than 10 MB"),
        ("scrutiny.docx", b"<html>", "does not look like a DOCX"),
    ],
)
def test_attachment_limits(world, name, content, problem):
    claim = f.ClaimFactory(academy=world.academy_a)
    with pytest.raises(ValidationError, match=problem):
        services.evidence_add(
            claim=claim,
            source_type="work_scrutiny",
            observed_on=datetime.date(2026, 2, 3),
            summary="Books show fuller conclusions.",
            attachment=SimpleUploadedFile(name, content),
            by=world.coordinator,
        )


def test_the_claim_page_shows_the_rating_the_rule_and_the_lag(client, world):
    claim = f.ClaimFactory(academy=world.academy_a, cpd_on=datetime.date(2025, 10, 7))
    for source, day in (
        ("teacher_voice", "2026-01-10"),
        ("lesson_observation", "2026-02-10"),
        ("work_scrutiny", "2026-04-10"),
    ):
        f.EvidenceItemFactory(claim=claim, source_type=source, observed_on=datetime.date.fromisoformat(day))
    client.force_login(world.executive_a)
    page = client.get(reverse("impact:claim_detail", args=[claim.pk])).content.decode()
    assert "Triangulated" in page and "3 source types, including pupils" in page
    assert "Lagged benefits are expected" in page
    assert "6 months" in page and "3 months" in page
    log = client.get(reverse("impact:evidence_log")).content.decode()
    assert "Triangulated" in log and "3–6 months" in log
    filtered = client.get(reverse("impact:evidence_log"), {"level": "anecdotal"}).content.decode()
    assert claim.statement not in filtered


def test_a_survey_result_is_attached_in_one_click(client, world):
    survey, questions = survey_of_every_kind(world.network)
    event = f.EventFactory(network=world.network)
    # Invited together (as the sweep does), so the group of 5 is known when they answer.
    invitations = [f.invitation(survey, f.PersonFactory(academy=world.academy_a), event=event) for _ in range(5)]
    for invitation in invitations:
        answer(invitation, {questions["likert"]: 4, questions["single"]: "All"})
    claim = f.ClaimFactory(academy=world.academy_a)
    client.force_login(world.executive_a)
    results_url = reverse("impact:survey_results", args=[survey.pk])
    assert "Attach this result as evidence" in client.get(results_url).content.decode()
    url = reverse("impact:survey_attach", args=[survey.pk]) + f"?event={event.pk}"
    response = client.post(url, {"claim": claim.pk})
    assert response["Location"] == reverse("impact:claim_detail", args=[claim.pk])
    client.post(url, {"claim": claim.pk})  # a second click attaches nothing more
    item = EvidenceItem.objects.get()
    assert (item.source_type, item.survey, item.survey_filters["event"]) == ("survey_result", survey, event.pk)
    assert "5 answers" in item.summary and "mean 4.00 (n=5)" in item.summary


def test_a_result_of_fewer_than_5_answers_cannot_be_attached(client, world):
    survey, questions = survey_of_every_kind(world.network)
    answer(f.invitation(survey, world.person_a), {questions["likert"]: 4, questions["single"]: "All"})
    claim = f.ClaimFactory(academy=world.academy_a)
    client.force_login(world.coordinator)
    response = client.post(reverse("impact:survey_attach", args=[survey.pk]), {"claim": claim.pk}, follow=True)
    assert "too few to use as evidence" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_another_trusts_claim_cannot_be_attached_to(client, world):
    survey, _ = survey_of_every_kind(world.network)
    theirs = f.ClaimFactory(academy=world.academy_b)
    client.force_login(world.coordinator)
    client.force_login(world.executive_a)
    assert client.post(reverse("impact:survey_attach", args=[survey.pk]), {"claim": theirs.pk}).status_code == 404


# -- A grant's published outcome report, attached in one click ----------------------------


def test_a_grant_outcome_report_is_attached_in_one_click_once(client, world):
    from tests.network import programme_helpers as ph

    rnd = ph.grant_round(world.network)
    own = ph.final_report(ph.bid(rnd, world.academy_a, world.leader_a.person, status="awarded"))
    other = ph.final_report(ph.bid(rnd, world.academy_b, f.PersonFactory(academy=world.academy_b), status="awarded"))
    claim = f.ClaimFactory(academy=world.academy_a, initiative_kind="grant", event_series="", initiative_label="Clubs")
    client.force_login(world.leader_a)
    page = client.get(reverse("impact:claim_detail", args=[claim.pk]))
    assert list(page.context["grant_reports"]) == [own]  # another academy's project is not offered
    url = reverse("impact:grant_outcome_attach", args=[claim.pk])
    assert client.post(url, {"report": own.pk}).status_code == 302
    assert client.post(url, {"report": own.pk}).status_code == 302  # a double click: one item
    item = EvidenceItem.objects.get(claim=claim)
    assert (item.source_type, item.grant_report, item.recorded_by) == ("grant_report", own, world.leader_a)
    assert "Confidence in practical work rose from 41% to 73%" in item.summary
    page = client.get(reverse("impact:claim_detail", args=[claim.pk])).content.decode()
    assert reverse("network:grant_outcome_detail", args=[own.pk]) in page
    # Another academy's report, hand-posted, is not found; and the service refuses it too.
    assert client.post(url, {"report": other.pk}).status_code == 404
    with pytest.raises(ValidationError, match="is about a project at"):
        services.grant_outcome_attach(claim=claim, report=other, by=world.coordinator)


def test_an_unpublished_report_and_another_trusts_claim_are_refused(client, world):
    from tests.network import programme_helpers as ph

    rnd = ph.grant_round(world.network)
    report = ph.final_report(ph.bid(rnd, world.academy_b, f.PersonFactory(academy=world.academy_b), status="awarded"))
    claim_b = f.ClaimFactory(academy=world.academy_b)
    client.force_login(world.leader_a)
    assert (
        client.post(reverse("impact:grant_outcome_attach", args=[claim_b.pk]), {"report": report.pk}).status_code == 404
    )
    report.published_at = None
    report.save()
    with pytest.raises(ValidationError, match="published final report"):
        services.grant_outcome_attach(claim=claim_b, report=report, by=world.coordinator)
    assert not EvidenceItem.objects.exists()


# -- A visit's agreed report, attached in one click ----------------------------------------


def test_an_agreed_visit_report_is_attached_in_one_click_once(client, world):
    from tests.events import visit_helpers as vh

    visitor = f.PersonFactory(academy=world.academy_b)
    visit = vh.agreed(world.network, world.academy_a, [visitor], by=world.coordinator, owner=world.person_a)
    pending = vh.submitted(
        world.network, world.academy_a, [visitor], by=world.coordinator, owner=world.person_a, days=-9
    )
    claim = f.ClaimFactory(academy=world.academy_a, initiative_kind="visit", event_series="", initiative_label="Visit")
    client.force_login(world.leader_a)
    page = client.get(reverse("impact:claim_detail", args=[claim.pk]))
    assert [r.visit for r in page.context["visit_reports"]] == [visit]  # not the one awaiting agreement
    url = reverse("impact:visit_report_attach", args=[claim.pk])
    assert client.post(url, {"report": visit.report.pk}).status_code == 302
    assert client.post(url, {"report": visit.report.pk}).status_code == 302  # a double click: one item
    item = EvidenceItem.objects.get(claim=claim)
    assert (item.source_type, item.visit_report, item.observed_on) == (
        "visit_report",
        visit.report,
        timezone.localdate(visit.starts_at),
    )
    assert "Clear modelling of method." in item.summary
    assert reverse("events:visit_detail", args=[visit.pk]) in client.get(page.request["PATH_INFO"]).content.decode()
    # The report awaiting agreement, hand-posted, is not found; the service refuses it too.
    assert client.post(url, {"report": pending.report.pk}).status_code == 404
    with pytest.raises(ValidationError, match="its host has agreed"):
        services.visit_report_attach(claim=claim, report=pending.report, by=world.coordinator)
    # Another trust's claim is not reachable at all.
    claim_b = f.ClaimFactory(academy=world.academy_b)
    response = client.post(reverse("impact:visit_report_attach", args=[claim_b.pk]), {"report": visit.report.pk})
    assert response.status_code == 404
