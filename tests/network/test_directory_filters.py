"""The directory's filter lists, remembered under the records' generation (and read
afresh after a committed change)."""

import pytest
from django.urls import reverse

from network.base import access, changes
from network.programme.models import Hub
from tests import factories as f
from tests.conftest import count_queries
from trusts.models import Person


@pytest.mark.django_db
def test_only_users_the_door_shows_every_hub_share_one_hub_list(world):
    assert access.sees_every(world.leader_a, Hub) and access.sees_every(world.coordinator, Hub)
    assert not access.sees_every(world.steering, Hub)  # steering members see no `everyone` rows
    assert not access.sees_every(world.leader_a, Person) and access.sees_every(world.coordinator, Person)
    world.leader_a.is_active = False
    assert not access.sees_every(world.leader_a, Hub)
    for user in (world.coordinator, world.executive_a, world.steering, world.visitor):
        if access.sees_every(user, Hub):
            assert set(access.scoped(user, Hub)) == set(Hub.objects.all())


@pytest.mark.django_db(transaction=True)
def test_the_filter_lists_are_remembered_until_a_committed_change(client, world, settings):
    client.force_login(world.leader_a)
    url = reverse("network:directory")
    settings.FIGURES_REMEMBERED = False
    client.get(url)  # the session's first page also asks the menu's rules
    every_time = count_queries(client, url)
    settings.FIGURES_REMEMBERED = True
    client.get(url)
    # Expertise, designations, hubs; the count; the reach; the page of people and their tags.
    assert count_queries(client, url) == every_time - 7
    f.ExpertiseTagFactory(name="Astrophysics", slug="astrophysics")
    f.HubFactory(network=world.network, name="Moorland Cluster")
    content = client.get(url).content.decode()
    assert ">Astrophysics</option>" in content and ">Moorland Cluster</option>" in content
    Hub.objects.filter(name="Moorland Cluster").update(status=Hub.Status.PROPOSED)  # no signal: say so
    changes.records_changed()
    assert ">Moorland Cluster</option>" not in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_hub_chosen_is_still_checked_through_the_door(client, world, settings):
    settings.FIGURES_REMEMBERED = True
    proposed = f.HubFactory(network=world.network, status=Hub.Status.PROPOSED)
    client.force_login(world.leader_a)
    url = reverse("network:directory")
    client.get(url)
    response = client.get(url, {"hub": proposed.pk})
    assert response.context["form"].errors["hub"]
    assert f'value="{proposed.pk}"' not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_count_is_remembered_per_reach_and_filters_until_a_committed_change(client, world, settings):
    settings.FIGURES_REMEMBERED = True
    url = reverse("network:directory")
    client.force_login(world.leader_a)

    def shown(response) -> int:
        return int(response.content.decode().split('<div class="col-lg-9">\n    <p>')[1].split(" ")[0])

    assert shown(client.get(url)) == 1  # person_b (the leader has not consented)
    f.PersonFactory(academy=world.academy_a, directory_consent=True)
    assert shown(client.get(url)) == 2  # committed: counted afresh
    tag = f.ExpertiseTagFactory()
    world.person_b.expertise.add(tag)
    assert shown(client.get(url, {"expertise": tag.pk})) == 1  # each filter has its own count
    # Another reach has its own count: a trust outside the leader's network.
    outsider = f.TrustFactory(name="Trust C")
    other_network = f.NetworkFactory(name="Primary Science Network", slug="psn")
    other_network.member_trusts.set([outsider])
    f.PersonFactory(academy=f.AcademyFactory(trust=outsider), directory_consent=True)
    assert shown(client.get(url)) == 2
    client.force_login(world.coordinator)
    assert shown(client.get(url)) == 3
    client.force_login(f.trust_executive(outsider))
    assert shown(client.get(url)) == 1


@pytest.mark.django_db
def test_users_of_the_same_reach_see_the_same_directory(world):
    colleague = f.leader(world.academy_b)
    assert access.directory_reach(colleague) == access.directory_reach(world.leader_a)
    assert set(access.directory(colleague)) == set(access.directory(world.leader_a))
    assert access.directory_reach(world.coordinator) != access.directory_reach(world.leader_a)
    assert access.directory_reach(world.visitor) != access.directory_reach(world.coordinator)
