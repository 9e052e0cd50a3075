"""Erasure: a confirmation page first (also for "select all"), sessions ended, the emails
already gone named in the record, and an erased identity never coming back through the
People import, an invitation, the admin or the demo."""

import io

import pytest
import tablib
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from events.services import booking as event_services
from network.base import outbox
from network.base.models import OutboxMessage, Role, User
from network.base.privacy.erasure import erased_identity, person_erase
from network.base.privacy.models import ErasedIdentity, ErasureRecord
from network.base.services import invitation_create
from tests import factories as f
from trusts.models import Person
from trusts.resources import PersonResource

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:trusts_person_changelist"


def _people(academy, n, last_name="Zetland"):
    return [f.PersonFactory(academy=academy, first_name=f"Ann{i}", last_name=last_name) for i in range(n)]


# -- Confirmation ---------------------------------------------------------------------------


def test_confirmation_lists_what_will_happen_and_erases_nothing(client, world):
    f.BookingFactory(person=world.person_b)
    client.force_login(world.coordinator)
    page = client.post(reverse(CHANGELIST), {"action": "erase_personal_data", "_selected_action": [world.person_b.pk]})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Erase the personal data of 1 person" in html and "This cannot be undone" in html
    assert world.person_b.email in html
    assert "1 bookings kept without their name" in html
    world.person_b.refresh_from_db()
    assert world.person_b.first_name != "Erased" and not ErasureRecord.objects.exists()


def test_select_all_is_confirmed_then_erases_exactly_the_filtered_list(client, world):
    chosen = _people(world.academy_a, 3)
    others = _people(world.academy_a, 2, last_name="Other")
    client.force_login(world.coordinator)
    url = reverse(CHANGELIST) + "?q=Zetland"
    # "Select all 3 people" ticks one box on the page and sets select_across.
    post = {"action": "erase_personal_data", "_selected_action": [chosen[0].pk], "select_across": "1", "index": "0"}
    page = client.post(url, post)
    assert "Erase the personal data of 3 people" in page.content.decode()
    assert "every person in the list as it is filtered now" in page.content.decode()
    assert not ErasureRecord.objects.exists()

    done = client.post(url, {**post, "post": "yes", "request_reference": "letter of 03/03/2026"}, follow=True)
    assert "Erased the personal data of 3 people" in done.content.decode()
    assert sorted(Person.objects.filter(first_name="Erased").values_list("pk", flat=True)) == sorted(
        p.pk for p in chosen
    )
    assert not Person.objects.filter(pk__in=[p.pk for p in others], first_name="Erased").exists()
    assert set(ErasureRecord.objects.values_list("request_reference", flat=True)) == {"letter of 03/03/2026"}


def test_the_erase_action_is_for_those_who_may_delete_people(client, world):
    client.force_login(world.leader_a)
    response = client.post(
        reverse(CHANGELIST), {"action": "erase_personal_data", "_selected_action": [world.person_b.pk], "post": "yes"}
    )
    assert response.status_code == 302  # to the admin's sign-in
    world.person_b.refresh_from_db()
    assert world.person_b.first_name != "Erased"


# -- What erasure does -----------------------------------------------------------------------


def test_sessions_of_the_erased_login_are_deleted(client, world):
    client.force_login(world.leader_a)
    other = f.leader(world.academy_a)
    f_client = type(client)()
    f_client.force_login(other)
    assert Session.objects.count() == 2
    record = person_erase(person=world.person_a, by=world.coordinator)
    assert record.summary["signed-in sessions ended"] == 1
    remaining = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert remaining == [str(other.pk)]
    assert client.get(reverse("network:home")).status_code == 302  # signed out


def test_the_record_names_the_emails_already_gone(world, django_capture_on_commit_callbacks):
    """Sent mail cannot be recalled: the record says which (key, when, to whom). Mail not
    yet sent is deleted. An approval request naming them, sent to their head of science,
    is emptied too and named as sent to someone else."""
    head = f.PersonFactory(academy=world.academy_b, job_role="head_of_science")
    event = f.EventFactory(network=world.network, needs_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        booking = event_services.booking_create(event=event, person=world.person_b, by=None)
    outbox.enqueue_rendered(key="later", to=world.person_b.email, subject="Not yet", body_text="x")
    request_key = f"booking:{booking.pk}:approval-request:{head.pk}"
    assert OutboxMessage.objects.get(key=request_key).status == OutboxMessage.Status.SENT

    record = person_erase(person=world.person_b, by=world.coordinator, request_reference="email")
    assert not OutboxMessage.objects.filter(key="later").exists()
    gone = {e["key"]: e["to"] for e in record.emails_already_sent}
    assert gone == {request_key: "someone else"}
    request = OutboxMessage.objects.get(key=request_key)
    assert (request.subject, request.body_text, request.to) == ("[erased]", "", head.email)
    assert record.summary["emails not yet sent, deleted"] == 1
    assert record.erased_by == world.coordinator and record.person == world.person_b


def test_an_approver_erased_is_no_longer_named_in_others_bookings(world, django_capture_on_commit_callbacks):
    head = f.PersonFactory(academy=world.academy_b, job_role="head_of_science", first_name="Grace", last_name="Okoro")
    event = f.EventFactory(network=world.network, needs_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        booking = event_services.booking_create(event=event, person=world.person_b, by=None)
        booking = event_services.booking_decline(booking=booking, by=None, approver=head)
    assert "Grace Okoro" in booking.status_reason
    person_erase(person=head, by=world.coordinator)
    booking.refresh_from_db()
    assert "Grace Okoro" not in booking.status_reason
    assert not any("Grace Okoro" in (v.history_change_reason or "") for v in booking.history.all())


def test_fingerprints_are_one_way(world):
    email = world.person_b.email
    person_erase(person=world.person_b, by=world.coordinator)
    stored = list(ErasedIdentity.objects.values_list("fingerprint", "kind"))
    assert {kind for _, kind in stored} == {"email", "name_at_academy"}
    assert all(email not in fp and len(fp) == 64 for fp, _ in stored)
    assert erased_identity(email=email.upper()) is not None  # the same address, however typed


# -- Never back --------------------------------------------------------------------------------


@pytest.fixture
def erased(world):
    """Person B, erased: what they were, for trying to add them again."""
    p = world.person_b
    was = {"email": p.email, "first_name": p.first_name, "last_name": p.last_name, "academy": p.academy}
    person_erase(person=p, by=world.coordinator)
    return was


def _import(rows):
    headers = ["email", "first_name", "last_name", "academy_urn", "job_role"]
    return PersonResource().import_data(tablib.Dataset(*rows, headers=headers), dry_run=False)


def test_erased_identity_refused_on_re_import(erased, world):
    result = _import([(erased["email"], "Any", "Name", world.academy_a.urn, "teacher")])
    assert result.has_validation_errors()
    (row,) = result.invalid_rows
    assert "was erased on" in str(row.error)
    assert not Person.objects.filter(email__iexact=erased["email"]).exists()


def test_erased_name_at_their_academy_refused_on_re_import_with_a_new_email(erased):
    result = _import([("new.address@school.example", erased["first_name"], erased["last_name"],
                       erased["academy"].urn, "teacher")])  # fmt: skip
    assert result.has_validation_errors()
    assert "this name at this academy" in str(result.invalid_rows[0].error)


def test_other_rows_of_the_import_are_unaffected_by_the_check(erased, world):
    result = _import([("someone.new@school.example", "Nia", "Bello", world.academy_a.urn, "teacher")])
    assert not result.has_errors() and not result.has_validation_errors()
    assert Person.objects.filter(email="someone.new@school.example").exists()


def test_erased_identity_refused_by_an_invitation(erased, world, client):
    with pytest.raises(ValidationError, match="was erased on"):
        invitation_create(email=erased["email"], role=Role.VISITOR, by=world.coordinator)
    client.force_login(world.coordinator)
    page = client.post(reverse("network:invitation_create"), {"email": erased["email"].upper(), "role": Role.VISITOR})
    assert "was erased on" in page.content.decode()
    assert not User.objects.filter(email__iexact=erased["email"]).exists()


def test_erased_identity_refused_by_the_admin_add_form(erased, world, client):
    client.force_login(world.coordinator)
    page = client.post(
        reverse("admin:trusts_person_add"),
        {"first_name": "X", "last_name": "Y", "email": erased["email"], "job_role": "teacher"},
    )
    assert "was erased on" in page.content.decode()
    assert not Person.objects.filter(email__iexact=erased["email"]).exists()


def test_lifting_the_refusal_lets_them_rejoin(erased, world):
    ErasedIdentity.objects.all().delete()  # a coordinator, in the admin, when they ask to rejoin
    result = _import([(erased["email"], "Back", "Again", world.academy_a.urn, "teacher")])
    assert not result.has_validation_errors()


def test_erased_identity_is_not_recreated_by_the_demo():
    call_command("seed_demo", stdout=io.StringIO())
    leader = User.objects.get(email="leader@demo.network")
    person = leader.person
    email, people = person.email, Person.objects.count()
    person_erase(person=person, by=None)

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert not Person.objects.filter(email__iexact=email).exists()
    assert not User.objects.filter(email="leader@demo.network").exists()
    assert Person.objects.count() == people  # the anonymous row stays; nobody is added
    assert "Left out 2 demo people or logins whose personal data was erased" in out.getvalue()
