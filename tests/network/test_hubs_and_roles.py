"""Hubs and clusters (join and accept, trust-internal hubs, resources with limits served
through the door, meeting notes, clusters proposed and approved) and the role review
reminders (once per role and date)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from network.base.models import OutboxMessage
from network.base.rules import NotAllowed
from network.programme.hubs import services
from network.programme.hubs.models import HubMembership
from network.programme.models import Hub
from network.programme.roles.models import NetworkRole
from network.programme.roles.services import role_review_reminders
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def b_hub(world):
    hub = f.HubFactory(network=world.network, name="Calder Cluster", lead=world.person_b)
    hub.academies.set([world.academy_b])
    return hub


def test_a_leader_asks_to_join_and_the_hub_lead_accepts(client, world, b_hub):
    client.force_login(world.leader_a)
    client.post(reverse("network:hub_join", args=[b_hub.pk]), {"message": "We run a similar club."})
    membership = HubMembership.objects.get()
    assert OutboxMessage.objects.filter(key__startswith=f"hub-membership:{membership.pk}:request").count() == 1
    lead = f.UserFactory(role="leader", person=world.person_b)
    client.force_login(lead)
    assert "We run a similar club." in client.get(reverse("network:hub_detail", args=[b_hub.pk])).content.decode()
    client.post(reverse("network:hub_join_decide", args=[membership.pk]), {"decision": "accept"})
    membership.refresh_from_db()
    assert membership.status == "accepted"
    assert world.academy_a in b_hub.academies.all()
    assert OutboxMessage.objects.filter(key=f"hub-membership:{membership.pk}:decision").count() == 1


def test_only_the_hub_lead_accepts(world, b_hub):
    membership = services.hub_join_request(hub=b_hub, by=world.leader_a)
    with pytest.raises(NotAllowed):
        services.hub_join_decide(membership=membership, accept=True, by=f.leader(world.academy_a))


def test_a_trust_internal_hub_is_for_its_trust(world, b_hub):
    Hub.objects.filter(pk=b_hub.pk).update(scope="trust", trust=world.trust_b)
    b_hub.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.hub_join_request(hub=b_hub, by=world.leader_a)
    assert services.hub_join_request(hub=b_hub, by=f.leader(world.academy_b)).status == "requested"


def test_resources_have_limits_and_are_served_through_the_door(client, world, b_hub, settings):
    lead = f.UserFactory(role="leader", person=world.person_b)
    with pytest.raises(ValidationError, match="please share a document"):
        services.hub_resource_add(hub=b_hub, title="Script", upload=SimpleUploadedFile("x.exe", b"MZ"), by=lead)
    big = SimpleUploadedFile("big.pdf", b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="larger than 10 MB"):
        services.hub_resource_add(hub=b_hub, title="Big", upload=big, by=lead)
    resource = services.hub_resource_add(
        hub=b_hub, title="Booklet", upload=SimpleUploadedFile("booklet.pdf", b"%PDF-1.4 hi"), by=lead
    )
    url = reverse("network:hub_resource_download", args=[resource.pk])
    client.force_login(lead)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(world.leader_a)  # not in the hub
    assert client.get(url).status_code == 404
    with pytest.raises(NotAllowed):
        services.hub_resource_add(hub=b_hub, title="Link", url="https://example.org", by=world.leader_a)


def test_the_hub_lead_writes_meeting_notes_members_read_them(client, world, b_hub):
    event = f.EventFactory(network=world.network, hub=b_hub, kind="hub_meeting")
    lead = f.UserFactory(role="leader", person=world.person_b)
    url = reverse("network:hub_meeting_notes", args=[b_hub.pk, event.pk])
    client.force_login(lead)
    client.post(url, {"notes": "We compared practical plans.", "actions": "Share the plan."})
    member = f.leader(world.academy_b)
    client.force_login(member)
    page = client.get(url).content.decode()
    assert "We compared practical plans." in page and "<textarea" not in page
    assert client.post(url, {"notes": "Mine"}).status_code == 404
    client.force_login(world.leader_a)
    assert client.get(url).status_code == 404


def test_a_school_proposes_a_cluster_and_a_coordinator_approves_it(client, world):
    client.force_login(world.leader_a)
    client.post(
        reverse("network:cluster_propose"),
        {"network": world.network.pk, "name": "Fylde Coast Cluster", "purpose": "Coastal schools' science."},
    )
    hub = Hub.objects.get(name="Fylde Coast Cluster")
    assert (hub.status, hub.lead, hub.proposed_by) == ("proposed", world.person_a, world.person_a)
    other = f.leader(world.academy_b)
    client.force_login(other)
    assert "Fylde Coast Cluster" not in client.get(reverse("network:hub_list")).content.decode()
    client.force_login(world.coordinator)
    client.post(reverse("network:cluster_approve", args=[hub.pk]))
    hub.refresh_from_db()
    assert hub.status == "approved"
    assert OutboxMessage.objects.filter(key=f"hub:{hub.pk}:approved").count() == 1
    client.force_login(other)
    assert "Fylde Coast Cluster" in client.get(reverse("network:hub_list")).content.decode()


def test_a_role_review_is_reminded_once_per_date(world):
    today = timezone.localdate()
    role = NetworkRole.objects.create(
        network=world.network,
        kind="hub_lead",
        hub=world.hub,
        responsibilities="Runs the hub.",
        holder=world.person_a,
        starts_on=today - datetime.timedelta(days=300),
        review_on=today + datetime.timedelta(days=10),
    )
    assert role_review_reminders(today=today) == 1
    assert role_review_reminders(today=today) == 0
    sent = OutboxMessage.objects.filter(key__startswith=f"role:{role.pk}:review:")
    assert sorted(sent.values_list("to", flat=True)) == sorted([world.person_a.email, world.coordinator.email])
    role.review_on = today + datetime.timedelta(days=5)
    role.save()
    assert role_review_reminders(today=today) == 1
