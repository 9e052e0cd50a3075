"""The programme's part of "Download my data" and erasure (issue 13)."""

import pytest

from network.base.personal_data import personal_data_for
from network.base.privacy.erasure import person_erase
from network.programme.connections import services
from network.programme.connections.models import ConnectionRequest, ProgrammePreference
from network.programme.hubs.models import HubMembership

pytestmark = pytest.mark.django_db


def test_export_and_erase_the_programme_data_of_a_person(world):
    request = services.connection_request(recipient=world.person_b, topic="Practicals", message="Hi", by=world.leader_a)
    services.connection_respond(request=request, accept=True, phone="07700 900123")
    services.preference_set(person=world.person_a, radar_opt_out=True)
    HubMembership.objects.create(hub=world.hub, person=world.person_a)

    data = personal_data_for(world.leader_a).as_json()
    assert data["connection_requests"][0]["topic"] == "Practicals"
    assert data["programme_preferences"]["radar_opt_out"] is True
    assert data["hub_memberships"][0]["hub"] == world.hub.name

    person_erase(person=world.person_b, by=world.coordinator)
    request = ConnectionRequest.objects.get()
    assert (request.shared_phone, request.message) == ("", "")
    person_erase(person=world.person_a, by=world.coordinator)
    assert not ProgrammePreference.objects.exists() and not HubMembership.objects.exists()
