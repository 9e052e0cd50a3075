"""The event list's hub filter lists the hubs the door shows the reader, remembered
between page loads (`network.programme.selectors.hub_choice_rows`); a hub chosen is
still checked against the door's own.
(Committed, with remembering on: tests/conftest.py `remembering`.)"""

import pytest
from django.urls import reverse

from network.programme.models import Hub
from tests import factories as f
from tests.conftest import queries_fresh_and_kept, select_options

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("remembering")]


def test_the_hubs_are_read_once_then_remembered_and_a_new_hub_shows(client):
    network = f.NetworkFactory()
    f.HubFactory(network=network, name="North & <West>")
    leader = f.leader(f.AcademyFactory(), email="leader.hubs@portal.example")
    client.force_login(leader)
    url = reverse("events:event_list")
    fresh, kept = queries_fresh_and_kept(client, url)
    # The hubs; and the (empty) list's count and first end (events.selectors.upcoming_page).
    assert kept == fresh - 1 - 2
    html = client.get(url).content.decode()
    assert select_options(html, "hub")[0] == "Any hub" and "North &amp; &lt;West&gt;" in select_options(html, "hub")
    f.HubFactory(network=network, name="South hub")
    assert "South hub" in select_options(client.get(url).content.decode(), "hub")


def test_a_hub_the_door_does_not_show_is_refused(client):
    network = f.NetworkFactory()
    proposed = f.HubFactory(network=network, name="Proposed cluster", status=Hub.Status.PROPOSED)
    leader = f.leader(f.AcademyFactory(), email="leader.hubs2@portal.example")
    client.force_login(leader)
    response = client.get(reverse("events:event_list"), {"hub": proposed.pk})
    assert response.status_code == 200
    assert "Proposed cluster" not in select_options(response.content.decode(), "hub")
    assert "Select a valid choice" in response.content.decode()


def test_someone_without_a_person_record_asking_for_their_role_gets_the_list(client):
    """ "Only events for my role" is offered only with a person record; sent anyway (an
    old link, a forged address), it is ignored, never a server error."""
    client.force_login(f.UserFactory(role="visitor", email="visitor.forme@portal.example"))
    response = client.get(reverse("events:event_list"), {"for_me": "on"})
    assert response.status_code == 200 and 'name="for_me"' not in response.content.decode()
