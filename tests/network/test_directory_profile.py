"""A person's page in the expertise directory: scoped as the directory is (consent, one's
own networks); anyone else is 404, never 403."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def profile(client, user, person):
    client.force_login(user)
    return client.get(reverse("network:directory_person", args=[person.pk]))


def test_a_person_in_the_directory_has_a_page(client, world):
    person = world.person_b
    person.designations.add(f.DesignationFactory(name="Specialist Leader of Education (SLE)"))
    person.expertise.add(f.ExpertiseTagFactory(name="Required practicals", slug="required-practicals"))
    world.hub.lead = person
    world.hub.save()
    response = profile(client, world.leader_a, person)
    assert response.status_code == 200
    text = response.content.decode()
    for shown in (person.full_name, "Specialist Leader of Education (SLE)", "Required practicals",
                  "Academy B", "Trust B", f"Leads the {world.hub.name}"):  # fmt: skip
        assert shown in text


def test_the_page_offers_an_introduction_never_the_email(client, world):
    """Contact details are shared only when the person accepts a request (the
    connections of the programme): the page asks to be put in touch instead."""
    text = profile(client, world.leader_a, world.person_b).content.decode()
    assert world.person_b.email not in text
    assert reverse("network:connection_request", args=[world.person_b.pk]) in text
    own = profile(client, world.leader_a, world.leader_a.person).content.decode()
    assert "Ask to be put in touch" not in own


def test_the_directory_links_each_person_to_their_page(client, world):
    client.force_login(world.leader_a)
    response = client.get(reverse("network:directory"))
    assert f'href="{reverse("network:directory_person", args=[world.person_b.pk])}"' in response.content.decode()


def test_someone_who_has_not_agreed_has_no_page(client, world):
    colleague = f.PersonFactory(academy=world.academy_a, directory_consent=False)
    assert profile(client, world.leader_a, colleague).status_code == 404
    assert profile(client, world.coordinator, colleague).status_code == 404  # not in the directory at all


@pytest.mark.parametrize("role", ["leader_a", "executive_a", "visitor", "steering"])
def test_someone_outside_ones_networks_is_not_found(client, world, role):
    outsider = f.PersonFactory(directory_consent=True)  # a trust in no network of A's
    assert profile(client, getattr(world, role), outsider).status_code == 404


def test_the_academy_is_linked_only_where_its_page_would_open(client, world):
    colleague = f.PersonFactory(academy=world.academy_a, directory_consent=True)
    academy_a_page = reverse("trusts:academy_detail", args=[world.academy_a.urn])
    assert academy_a_page in profile(client, world.leader_a, colleague).content.decode()
    academy_b_page = reverse("trusts:academy_detail", args=[world.academy_b.urn])
    assert academy_b_page not in profile(client, world.leader_a, world.person_b).content.decode()
    assert academy_b_page in profile(client, world.coordinator, world.person_b).content.decode()


def test_profile_has_no_n_plus_one(world, assert_no_n_plus_one):
    def grow():
        for n in range(3):
            world.person_b.designations.add(f.DesignationFactory(name=f"Designation {n}"))
            world.person_b.expertise.add(f.ExpertiseTagFactory())
            f.HubFactory(network=world.network, lead=world.person_b).academies.add(world.academy_b)

    assert_no_n_plus_one(reverse("network:directory_person", args=[world.person_b.pk]), grow, user=world.leader_a)
