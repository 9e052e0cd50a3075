"""The personal-data export ("My data", and the coordinator's copy for a request made
offline) is complete: every model with a link to a person or a login, historical models
included, is in the export or named with the reason it is not. A new model fails
`test_every_link_to_a_person_or_login_is_exported` until its room adds a section."""

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from events.services import booking as event_services
from network.base import outbox
from network.base.models import OutboxMessage
from network.base.personal_data import SECTIONS, covered_links, personal_data_for
from tests import factories as f

pytestmark = pytest.mark.django_db

SUBJECTS = ("trusts.Person", "network.User")


def links_to_people() -> set[str]:
    """Every "app.Model.field" that holds a person or a login: a relation to one in any
    installed model (historical twins included), every field of the person and the login
    themselves, and their simple-history versions ("trusts.Person.history")."""
    subjects = {apps.get_model(label) for label in SUBJECTS}
    links = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.auto_created and not field.concrete:
                continue  # a reverse relation: found from the other side
            if model in subjects or (field.is_relation and field.related_model in subjects):
                links.add(f"{model._meta.label}.{field.name}")
    for subject in subjects:
        if hasattr(subject, "history"):
            links.add(f"{subject._meta.label}.history")
    return links


def test_every_link_to_a_person_or_login_is_exported():
    missing = sorted(links_to_people() - covered_links())
    assert not missing, (
        "These fields hold a person or a login but are in no section of the personal-data export. "
        "Add them to a Section in the room's personal_data.py (or to NOT_EXPORTED with the reason): "
        + ", ".join(missing)
    )


def test_the_export_registry_names_only_fields_that_exist():
    """A section that claims a field which is gone would hide a missing one."""
    known = links_to_people()
    stale = sorted(
        link
        for link in covered_links() - known
        if apps.is_installed(link.split(".")[0]) or apps.get_containing_app_config(link.split(".")[0])
    )
    assert not stale, f"Sections name fields that do not exist (or hold no person): {', '.join(stale)}"


def test_the_historical_models_are_part_of_the_check():
    links = links_to_people()
    assert "events.HistoricalBooking.person" in links
    assert "trusts.HistoricalPerson.history_user" in links
    assert "trusts.Person.directory_consent_at" in links


# -- A person with something in every corner -------------------------------------------------


@pytest.fixture
def busy_leader(world, django_capture_on_commit_callbacks):
    """World's leader A, a head of science at academy A, with: consent to the directory,
    an earlier version of their details, emails, their own booking, a booking they made
    for a colleague, a colleague's request they approved, and a decision by the emailed
    link."""
    person = world.person_a
    person.job_role = "head_of_science"
    person.directory_consent = True
    person.directory_consent_at = timezone.now() - timedelta(days=3)
    person.expertise_summary = "Required practicals"
    person.save()  # a second version in the history
    user = world.leader_a
    colleague = f.PersonFactory(academy=world.academy_a, first_name="Priya", last_name="Shah")
    other = f.PersonFactory(academy=world.academy_a, first_name="Tom", last_name="Reed")
    event = f.EventFactory(network=world.network, title="Electricity misconceptions")
    approval = f.EventFactory(network=world.network, title="Training day", needs_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.booking_create(event=event, person=person, by=user)
        request = event_services.booking_create(event=approval, person=colleague, by=None)
        event_services.booking_approve(booking=request, by=user)
        by_link = event_services.booking_create(event=approval, person=other, by=None)
        event_services.booking_decline(booking=by_link, by=None, approver=person)
    # On a colleague's behalf (as a trust science lead may; the rule is events' business).
    f.BookingFactory(event=event, person=colleague, booked_by=user)
    return person


def test_export_has_what_the_issue_found_missing(busy_leader, world):
    data = json.loads(_json(personal_data_for(world.leader_a)))
    # directory_consent_at
    assert data["person"]["directory_consent_given"] is not None
    # their history rows (simple-history): the creation and the edit
    assert len(data["person_history"]) >= 2
    assert data["person_history"][-1]["expertise_summary"] == "Required practicals"
    # emails sent to them, with what they said
    assert any(e["subject"].startswith("Booking confirmed") and e["text"] for e in data["emails"])
    # bookings made for others, and approvals they decided (signed in, and by the link)
    done = {(b["for"], b["event"]): b["what_you_did"] for b in data["bookings_for_others"]}
    assert done[("Priya Shah", "Electricity misconceptions")] == "booked"
    assert done[("Priya Shah", "Training day")] == "approved"
    assert done[("Tom Reed", "Training day")] == "declined"
    # their own booking, with its history
    (own,) = data["event_bookings"]
    assert own["event"] == "Electricity misconceptions" and own["history"]
    # the changes they made, from every audited model
    assert any(c["what"] == "booking" for c in data["changes_made"])


def test_export_of_a_login_without_a_person(world, client):
    LogEntry.objects.log_actions(
        user_id=world.coordinator.pk, queryset=[world.trust_a], action_flag=2, change_message="Renamed"
    )
    data = json.loads(_json(personal_data_for(world.coordinator)))
    assert data["person"] is None
    assert data["account"]["email"] == "coordinator@portal.example"
    assert data["admin_actions"][0]["object"] == "Trust A"


def _json(export) -> str:
    from django.core.serializers.json import DjangoJSONEncoder

    return json.dumps(export.as_json(), cls=DjangoJSONEncoder)


def test_my_data_page_is_readable_html_and_json(client, busy_leader, world):
    client.force_login(world.leader_a)
    page = client.get(reverse("network:my_data"))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    for section in ("Your details in the network", "Earlier versions of your details", "Emails sent to you",
                    "Other people's bookings you made or decided"):  # fmt: skip
        assert section.replace("'", "&#x27;") in html
    download = client.get(reverse("network:my_data"), {"format": "json"})
    assert download["Content-Type"].startswith("application/json")
    assert json.loads(download.content)["about"] == busy_leader.full_name


def test_my_data_page_shows_no_one_elses_data(client, world):
    client.force_login(world.leader_a)
    outbox.enqueue_rendered(key="x", to=world.person_b.email, subject="For B only", body_text="B")
    assert b"For B only" not in client.get(reverse("network:my_data")).content


@pytest.mark.parametrize(
    "url_name, target",
    [("admin:trusts_person_personal_data", "person_a"), ("admin:network_user_personal_data", "coordinator")],
)
def test_coordinator_produces_the_copy_for_a_request_made_offline(client, world, url_name, target):
    obj = getattr(world, target)
    client.force_login(world.coordinator)
    page = client.get(reverse(url_name, args=[obj.pk]))
    assert page.status_code == 200 and b"subject access request" in page.content
    download = client.get(reverse(url_name, args=[obj.pk]), {"format": "json"})
    assert download["Content-Disposition"].startswith("attachment")
    # Who produced whose copy is kept in the record's history.
    assert LogEntry.objects.filter(object_id=str(obj.pk), change_message__contains="subject access").exists()


def test_the_copy_for_a_request_made_offline_is_the_coordinators_only(client, world):
    client.force_login(world.leader_a)
    response = client.get(reverse("admin:trusts_person_personal_data", args=[world.person_b.pk]))
    assert response.status_code == 302  # to the admin's sign-in


def test_person_change_page_links_to_their_personal_data(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("admin:trusts_person_change", args=[world.person_a.pk]))
    assert reverse("admin:trusts_person_personal_data", args=[world.person_a.pk]).encode() in page.content


def test_sections_have_unique_titles():
    titles = [s.title for s in SECTIONS.values()]
    assert len(titles) == len(set(titles))


def test_outbox_rows_are_found_by_address_whatever_the_case(world):
    OutboxMessage.objects.create(key="k", to=world.leader_a.email.upper(), subject="Hello", body_text="b")
    data = personal_data_for(world.leader_a).as_json()
    assert [e["subject"] for e in data["emails"]] == ["Hello"]
