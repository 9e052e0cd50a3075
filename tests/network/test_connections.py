"""Connections: privacy (no email or phone in any response before acceptance, and then
only to the asker), the open-request limit, pausing, emails once each; and the
contribution ledger (executives their trust's, coordinators all)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from network.base.models import OutboxMessage
from network.programme.connections import services
from network.programme.connections.models import ConnectionRequest
from tests import factories as f
from tests.network import programme_helpers as ph

pytestmark = pytest.mark.django_db
PHONE = "07700 900123"


@pytest.fixture
def expert(world):
    person = world.person_b
    person.email = "grace.expert@school.example"
    person.expertise_summary = "Required practicals on a budget."
    person.save()
    return person


def _pages(client, expert):
    """Every page the asker might look at, and the answers to them."""
    urls = [
        reverse("network:directory"),
        reverse("network:directory") + "?q=" + expert.last_name,
        reverse("network:connection_request", args=[expert.pk]),
        reverse("network:my_connections"),
    ]
    return [client.get(url).content.decode() for url in urls]


def _token(request):
    body = OutboxMessage.objects.get(key=f"connection:{request.pk}:request").body_text
    return re.search(r"/connections/respond/([^/\s]+)/", body).group(1)


def test_no_email_or_phone_reaches_the_asker_before_acceptance(client, world, expert):
    client.force_login(world.leader_a)
    for page in _pages(client, expert):
        assert expert.email not in page
    response = client.post(
        reverse("network:connection_request", args=[expert.pk]),
        {"topic": "Practicals", "message": "Hello"},
        follow=True,
    )
    assert expert.email not in response.content.decode()
    request = ConnectionRequest.objects.get()
    assert OutboxMessage.objects.filter(to=world.person_a.email).count() == 0  # nothing to the asker yet
    for page in _pages(client, expert):
        assert expert.email not in page and PHONE not in page

    # The recipient answers through the emailed link (no sign-in): the asker sees it now.
    client.logout()
    answer = client.get(reverse("network:connection_respond", args=[_token(request)])).content.decode()
    assert world.person_a.email not in answer  # nor is the asker's address shown to the recipient
    client.post(reverse("network:connection_respond", args=[_token(request)]), {"decision": "accept", "phone": PHONE})
    client.force_login(world.leader_a)
    mine = client.get(reverse("network:my_connections")).content.decode()
    assert expert.email in mine and PHONE in mine
    accepted = OutboxMessage.objects.get(key=f"connection:{request.pk}:accepted")
    assert accepted.to == world.person_a.email and expert.email in accepted.body_text and PHONE in accepted.body_text

    # Nobody else sees them: another leader, in any page.
    other = f.leader(world.academy_a)
    client.force_login(other)
    for page in _pages(client, expert):
        assert expert.email not in page and PHONE not in page


def test_a_declined_request_reveals_nothing(client, world, expert):
    request = services.connection_request(recipient=expert, topic="Practicals", by=world.leader_a)
    client.post(reverse("network:connection_respond", args=[_token(request)]), {"decision": "decline", "phone": PHONE})
    client.force_login(world.leader_a)
    mine = client.get(reverse("network:my_connections")).content.decode()
    assert expert.email not in mine and PHONE not in mine
    assert ConnectionRequest.objects.get().shared_phone == ""


def test_at_most_n_open_requests_per_asker(world, settings):
    settings.CONNECTIONS_MAX_OPEN_REQUESTS = 2
    people = [f.PersonFactory(academy=world.academy_b, directory_consent=True) for _ in range(3)]
    for person in people[:2]:
        services.connection_request(recipient=person, topic="Practicals", by=world.leader_a)
    with pytest.raises(ValidationError, match="2 requests waiting for a reply"):
        services.connection_request(recipient=people[2], topic="Practicals", by=world.leader_a)
    services.connection_withdraw(request=ConnectionRequest.objects.first(), by=world.leader_a)
    services.connection_request(recipient=people[2], topic="Practicals", by=world.leader_a)


def test_a_paused_person_cannot_be_asked(world, expert):
    services.preference_set(person=expert, requests_paused=True)
    with pytest.raises(ValidationError, match="paused requests"):
        services.connection_request(recipient=expert, topic="Practicals", by=world.leader_a)


def test_each_email_goes_once(client, world, expert):
    request = services.connection_request(recipient=expert, topic="Practicals", by=world.leader_a)
    with pytest.raises(ValidationError, match="already asked"):
        services.connection_request(recipient=expert, topic="Practicals", by=world.leader_a)
    url = reverse("network:connection_respond", args=[_token(request)])
    client.post(url, {"decision": "accept"})
    client.post(url, {"decision": "decline"})  # answering twice changes nothing
    keys = sorted(OutboxMessage.objects.values_list("key", flat=True))
    assert keys == [f"connection:{request.pk}:accepted", f"connection:{request.pk}:request"]


def test_someone_outside_the_directory_cannot_be_asked(client, world):
    hidden = f.PersonFactory(academy=world.academy_b, directory_consent=False)
    client.force_login(world.leader_a)
    assert client.get(reverse("network:connection_request", args=[hidden.pk])).status_code == 404


def test_the_contribution_ledger_counts_what_each_academy_gave_and_took(client, world):
    past = timezone.now() - datetime.timedelta(days=3)
    meeting = f.EventFactory(
        network=world.network,
        hub=world.hub,
        kind="hub_meeting",
        starts_at=past,
        ends_at=past + datetime.timedelta(hours=1),
    )
    world.hub.lead = world.person_a
    world.hub.save()
    f.BookingFactory(event=meeting, person=world.person_b)
    grant_round = ph.grant_round(world.network)
    awarded = ph.bid(grant_round, world.academy_b, world.person_b, status="awarded", amount_awarded=Decimal("750"))
    awarded.decided_at = timezone.now()
    awarded.save()
    ph.final_report(awarded)

    client.force_login(world.coordinator)
    page = client.get(reverse("network:contribution_ledger")).content.decode()
    assert "Academy A" in page and "Academy B" in page and "£750.00" in page
    client.force_login(world.executive_a)
    page = client.get(reverse("network:contribution_ledger")).content.decode()
    assert "Academy A" in page and "Academy B" not in page and "£750.00" not in page
