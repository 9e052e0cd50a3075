"""The event list's hub filter lists the hubs the door shows the reader, remembered
between page loads (`network.programme.selectors.hub_choice_rows`); a hub chosen is
still checked against the door's own.

These tests commit (`transactional_db`): inside a transaction that has written a
counted record, figures are computed and never kept."""

import pytest
from django.urls import reverse

from network.base import changes
from network.programme.models import Hub
from tests import factories as f
from tests.conftest import count_queries

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def remembering(settings):
    settings.FIGURES_REMEMBERED = True


def _hub_options(html: str) -> list[str]:
    select = html[html.index('name="hub"') :].split("</select>")[0]
    return [part.split("</option>")[0].split(">")[-1] for part in select.split("<option")[1:]]


def test_the_hubs_are_read_once_then_remembered_and_a_new_hub_shows(client):
    network = f.NetworkFactory()
    f.HubFactory(network=network, name="North & <West>")
    leader = f.leader(f.AcademyFactory(), email="leader.hubs@portal.example")
    client.force_login(leader)
    url = reverse("events:event_list")
    client.get(url)
    changes.records_changed()
    fresh = count_queries(client, url)
    kept = count_queries(client, url)
    assert kept == fresh - 1
    html = client.get(url).content.decode()
    assert _hub_options(html)[0] == "Any hub" and "North &amp; &lt;West&gt;" in _hub_options(html)
    f.HubFactory(network=network, name="South hub")
    assert "South hub" in _hub_options(client.get(url).content.decode())


def test_a_hub_the_door_does_not_show_is_refused(client):
    network = f.NetworkFactory()
    proposed = f.HubFactory(network=network, name="Proposed cluster", status=Hub.Status.PROPOSED)
    leader = f.leader(f.AcademyFactory(), email="leader.hubs2@portal.example")
    client.force_login(leader)
    response = client.get(reverse("events:event_list"), {"hub": proposed.pk})
    assert response.status_code == 200
    assert "Proposed cluster" not in _hub_options(response.content.decode())
    assert "Select a valid choice" in response.content.decode()


def test_someone_without_a_person_record_asking_for_their_role_gets_the_list(client):
    """ "Only events for my role" is offered only with a person record; sent anyway (an
    old link, a forged address), it is ignored, never a server error."""
    client.force_login(f.UserFactory(role="visitor", email="visitor.forme@portal.example"))
    response = client.get(reverse("events:event_list"), {"for_me": "on"})
    assert response.status_code == 200 and 'name="for_me"' not in response.content.decode()
