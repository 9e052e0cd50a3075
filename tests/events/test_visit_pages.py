"""The visit pages as people use them: a leader requests, the visitor writes the report
(drafts, actions), the host agrees or asks for changes, an owner closes an action; the
downloads (.ics, the agreed report's PDF), the calendar feed, the homes' panels, the
personal data export and the admin's actions."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events.visits.models import Visit, VisitAction
from tests import factories as f
from tests.events import visit_helpers as vh
from tests.events.test_calendar import make_feed


@pytest.fixture
def visitor_login(world):
    person = f.PersonFactory(academy=world.academy_b, first_name="Ruth", last_name="Mensah")
    return f.UserFactory(role="visitor", person=person, email="ruth@portal.example")


def test_a_leader_requests_a_visit_on_the_page(client, world):
    vh.kind(world.network)
    tag = f.ExpertiseTagFactory(name="Practical work")
    client.force_login(world.leader_a)
    page = client.get(reverse("events:visit_request"))
    assert page.status_code == 200
    assert "Academy B" not in page.content.decode()  # only their own academy is offered
    consultant = vh.kind(world.network, "consultant")
    response = client.post(
        reverse("events:visit_request"),
        {
            "academy": world.academy_a.pk,
            "direction": "host",
            "kind": consultant.pk,
            "focus_areas": [tag.pk],
            "preferred_weeks": "Any week in January",
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("events:visit_detail", args=[visit.pk])
    assert (visit.host_academy, visit.preferred_weeks, list(visit.focus_areas.all())) == (
        world.academy_a,
        "Any week in January",
        [tag],
    )
    # A request to see practice without a focus is refused on the form.
    response = client.post(
        reverse("events:visit_request"),
        {"academy": world.academy_a.pk, "direction": "see", "kind": vh.kind(world.network, "peer").pk},
    )
    assert response.status_code == 200
    assert "Say which practice you would like to see" in response.content.decode()


def test_report_written_on_the_page_agreed_and_action_closed(client, world, visitor_login):
    visit = vh.completed(world.network, world.academy_a, [visitor_login.person], by=world.coordinator)
    url = reverse("events:visit_report_edit", args=[visit.pk])
    client.force_login(visitor_login)
    assert client.get(url).status_code == 200
    due = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    form = {
        "seen": "Year 10 required practicals.",
        "strengths": "Technicians and teachers plan together.",
        "development": "",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
        "actions-0-description": "Share the practical planner with Year 7 teachers.",
        "actions-0-owner": world.person_a.pk,
        "actions-0-due_on": due,
    }
    assert client.post(url, {**form, "submit": "draft"}).status_code == 302  # a draft may be partial
    refused = client.post(url, {**form, "submit": "submit"})
    assert "Write areas for development before you submit the report." in refused.content.decode()
    response = client.post(url, {**form, "development": "Questioning.", "submit": "submit"})
    assert response.status_code == 302
    assert Visit.objects.get(pk=visit.pk).status == "report_submitted"

    client.force_login(world.leader_a)  # the host's head of science
    detail = client.get(reverse("events:visit_detail", args=[visit.pk])).content.decode()
    assert "Agree the report" in detail and "Technicians and teachers plan together." in detail
    client.post(
        reverse("events:visit_report_review", args=[visit.pk]), {"decision": "changes", "comment": "Add dates."}
    )
    assert Visit.objects.get(pk=visit.pk).status == "completed"
    client.force_login(visitor_login)
    client.post(url, {**form, "development": "Questioning.", "submit": "submit"})
    client.force_login(world.leader_a)
    client.post(reverse("events:visit_report_review", args=[visit.pk]), {"decision": "agree", "comment": ""})
    assert Visit.objects.get(pk=visit.pk).status == "report_agreed"

    pdf = client.get(reverse("events:visit_report_pdf", args=[visit.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    action = VisitAction.objects.get(visit=visit)
    client.post(reverse("events:visit_action_update", args=[action.pk]), {"status": "closed", "note": "Done."})
    assert Visit.objects.get(pk=visit.pk).status == "closed"
    history = client.get(reverse("events:visit_detail", args=[visit.pk])).content.decode()
    assert "Changes asked for</strong>: Add dates." in history


def test_the_visit_ics_and_the_personal_feed(client, world, visitor_login):
    visit = vh.scheduled(world.network, world.academy_a, [visitor_login.person], by=world.coordinator)
    client.force_login(visitor_login)
    entry = Calendar.from_ical(client.get(reverse("events:visit_ics", args=[visit.pk])).content).events[0]
    assert str(entry["summary"]) == "Consultant visit (annual): Academy A"
    assert str(entry["uid"]) == f"visit-{visit.pk}@testserver"
    feed = make_feed(client, visitor_login)
    summaries = [str(e["summary"]) for e in Calendar.from_ical(client.get(feed).content).events]
    assert summaries == ["Consultant visit (annual): Academy A"]
    # A request (no date yet) has no calendar entry.
    request = vh.requested(world.network, world.academy_a, by=world.coordinator)
    client.force_login(world.coordinator)
    assert client.get(reverse("events:visit_ics", args=[request.pk])).status_code == 404


def test_homes_show_the_visits_panel(client, world, visitor_login):
    visit = vh.scheduled(world.network, world.academy_a, [visitor_login.person], by=world.coordinator)
    client.force_login(visitor_login)
    body = client.get(reverse("network:home")).content.decode()
    assert "Visits assigned to you" in body and reverse("events:visit_detail", args=[visit.pk]) in body
    client.force_login(world.leader_a)
    body = client.get(reverse("network:home")).content.decode()
    assert "My academy's visits" in body and "Request a visit" in body
    client.force_login(world.visitor)  # a visitor with nothing assigned
    assert "No visits are assigned to you" in client.get(reverse("network:home")).content.decode()


def test_my_data_lists_visits(client, world, visitor_login):
    vh.scheduled(world.network, world.academy_a, [visitor_login.person], by=world.coordinator)
    client.force_login(visitor_login)
    data = json.loads(client.get(reverse("network:my_data"), {"format": "json"}).content)
    assert [v["academy_visited"] for v in data["visits"]] == ["Academy A"]


def test_the_coordinator_creates_annual_visits_from_the_queue(client, world):
    year = vh.current_year(world.network)
    f.MembershipFactory(year=year, academy=world.academy_a)
    client.force_login(world.coordinator)
    response = client.post(reverse("events:visits_annual"), {"year": year.pk}, follow=True)
    assert "1 annual visit request created" in response.content.decode()
    assert "Academy A" in client.get(reverse("events:visit_queue")).content.decode()
    assert "Academy A" in client.get(reverse("events:visit_coverage")).content.decode()


def test_admin_actions_call_the_services(client, world, visitor_login):
    visit = vh.scheduled(world.network, world.academy_a, [visitor_login.person], by=world.coordinator)
    client.force_login(world.coordinator)
    url = reverse("admin:events_visit_changelist")
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "complete_visits", "_selected_action": [visit.pk]}, follow=True)
    assert "has not started yet" in response.content.decode()
    client.post(url, {"action": "cancel_visits", "_selected_action": [visit.pk], "apply": "1", "reason": "Flooding."})
    visit.refresh_from_db()
    assert (visit.status, visit.cancel_reason) == ("cancelled", "Flooding.")
    assert client.get(reverse("admin:events_visit_change", args=[visit.pk])).status_code == 200


@pytest.mark.parametrize("year", ["²", "9" * 30, "-1", "", "x"])
def test_annual_visits_for_a_year_that_is_not_an_id_is_not_found(client, world, year):
    client.force_login(world.coordinator)
    assert client.post(reverse("events:visits_annual"), {"year": year}).status_code == 404


def test_asking_for_visits_is_rate_limited(client, world, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "visit_request": "2/m/user"}
    consultant = vh.kind(world.network, "consultant")
    client.force_login(world.leader_a)
    asked = {"academy": world.academy_a.pk, "direction": "host", "kind": consultant.pk}
    assert [client.post(reverse("events:visit_request"), asked).status_code for _ in range(3)] == [302, 302, 429]
    assert Visit.objects.count() == 2
    assert client.get(reverse("events:visit_request")).status_code == 200  # reading the form is not counted


def test_a_suggestion_link_with_a_host_that_is_not_a_number_is_ignored(client, world):
    visit = vh.requested(world.network, world.academy_b, by=world.coordinator)
    client.force_login(world.coordinator)
    page = client.get(reverse("events:visit_broker", args=[visit.pk]), {"host": "²"})
    assert page.status_code == 200 and "²" not in page.content.decode()


def test_my_data_sections_of_a_visit_and_erasure_keeps_the_visit(client, world, visitor_login):
    from network.base.personal_data import personal_data_for
    from network.base.privacy.erasure import person_erase

    visit = vh.agreed(
        world.network, world.academy_a, [visitor_login.person], by=world.coordinator, owner=world.person_a
    )
    visitor_data = personal_data_for(visitor_login).as_json()
    assert [row["assigned_to_visit"] for row in visitor_data["visits"]] == [True]
    coordinator_data = personal_data_for(world.coordinator).as_json()
    assert [row["written_by_you"] for row in coordinator_data["visit_reports"]] == [True]
    assert coordinator_data["visit_log"]  # every move they made on it
    owner_data = personal_data_for(world.leader_a).as_json()
    assert [row["owned_by_you"] for row in owner_data["visit_actions_owned"]] == [True]

    record = person_erase(person=visitor_login.person, by=world.coordinator)
    assert record.summary["visits kept without their name (the figures stay true)"] == 1
    assert Visit.objects.get(pk=visit.pk).assignments.get().person_id == visitor_login.person.pk
    assert VisitAction.objects.filter(visit=visit).count() == 1
