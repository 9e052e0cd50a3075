"""The science leader's home (speed, issue 14): the same page for fewer queries, its
academy card, hubs and colleagues remembered under the records' generation and the
reader's own scope, and read afresh after a committed change."""

import pytest
from django.urls import reverse

from network.base import access, changes
from network.programme.models import Hub
from tests import factories as f
from tests.conftest import count_queries
from trusts.models import Academy

URL = reverse("network:home")


def _page(client) -> str:
    """The page's main part (the menu's forms carry a fresh CSRF token each time)."""
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


@pytest.mark.django_db(transaction=True)
def test_the_academy_side_is_remembered_until_a_committed_change(client, world, settings):
    colleague = f.PersonFactory(academy=world.academy_a, first_name="Ada", last_name="Lovelace")
    client.force_login(world.leader_a)
    settings.FIGURES_REMEMBERED = False
    first = _page(client)  # the session's first page also asks the menu's rules
    every_time = count_queries(client, URL)
    settings.FIGURES_REMEMBERED = True
    assert _page(client) == first  # computed and kept: the same page
    assert count_queries(client, URL) == every_time - 3  # the academy, its hubs, the colleagues
    assert _page(client) == first
    assert "Ada Lovelace" in first and world.hub.name in first and "Academy A" in first

    f.PersonFactory(academy=world.academy_a, first_name="Grace", last_name="Hopper")
    assert "Grace Hopper" in _page(client)  # committed: read afresh
    colleague.delete()
    assert "Ada Lovelace" not in _page(client)
    Academy.objects.filter(pk=world.academy_a.pk).update(name="Academy Alpha")  # no signal: say so
    changes.records_changed()
    assert "Academy Alpha" in _page(client)
    world.hub.academies.remove(world.academy_a)
    assert "Your academy is not in a hub yet." in _page(client)
    f.HubFactory(network=world.network, name="Moorland Cluster").academies.add(world.academy_a)
    assert "Moorland Cluster" in _page(client)


@pytest.mark.django_db(transaction=True)
def test_each_reader_has_their_own_remembered_academy_side(client, world, settings):
    settings.FIGURES_REMEMBERED = True
    other = f.leader(world.academy_a, email="second.leader@portal.example")
    client.force_login(world.leader_a)
    mine = _page(client)
    assert other.person.full_name in mine and f"<li>{world.person_a.full_name} –" not in mine
    client.force_login(other)
    theirs = _page(client)  # the same academy, but their colleagues leave them out
    assert world.person_a.full_name in theirs and f"<li>{other.person.full_name} –" not in theirs
    # A login is not a counted record: moving it to another person moves no generation,
    # so the key (access.scope_key) must name the person.
    other.person = world.person_b
    other.save()
    assert "Academy B" in _page(client) and "Academy A" not in _page(client)
    other.person = None
    other.save()
    assert "not linked to an academy" in _page(client)


@pytest.mark.django_db
def test_the_scope_key_names_what_the_door_reads_from_a_login(world):
    leader = world.leader_a
    assert access.scope_key(leader) == ("user", leader.pk, "leader", leader.person_id, world.academy_a.pk)
    assert access.scope_key(world.coordinator) == ("everything",)
    leader.is_active = False
    assert access.scope_key(leader) == ("nobody",)


@pytest.mark.django_db
def test_the_page_shows_the_academy_card_hubs_and_colleagues(client, world):
    world.academy_a.pupils_on_roll = 1234
    world.academy_a.support_tier = "stabilise"
    world.academy_a.region = "North East"
    world.academy_a.save()
    lead = f.PersonFactory(academy=world.academy_b, first_name="Rosalind", last_name="Franklin")
    Hub.objects.filter(pk=world.hub.pk).update(lead=lead, deputy_lead=world.person_b)
    f.PersonFactory(academy=world.academy_a, first_name="Ada", last_name="Lovelace", job_role="technician")
    client.force_login(world.leader_a)
    page = _page(client)
    assert "Trust A · North East" in page
    assert "1,234 pupils · Support tier: Stabilise &amp; Repair" in page
    assert (
        f"<li>{world.hub.name} ({world.hub.get_kind_display()}, Secondary Science Network) – led by Rosalind Franklin,"
        f" deputy {world.person_b.full_name}</li>"
    ) in page
    assert "<li>Ada Lovelace – Science technician</li>" in page


@pytest.mark.django_db
def test_an_academy_without_a_trust_or_hubs(client, world):
    academy = f.AcademyFactory(trust=None, name="Lone Academy", pupils_on_roll=None, region="")
    client.force_login(f.leader(academy))
    page = _page(client)
    assert "No trust · </p>" in page
    assert "Your academy is not in a hub yet." in page and "No colleagues recorded yet." in page
