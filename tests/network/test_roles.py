"""Each role signs in to a page that tells the truth, and its menu offers only pages that
work for it. The visitor / consultant role has no trust and no person record: it gets
the CPD programme and a home page that says what is (and is not yet) in the portal."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "executive_a", "leader_a", "visitor", "steering"]


def menu_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="navbar[^"]*" aria-label="Main">(.*?)</nav>', html, re.S)
    assert nav, "no main menu"
    return [href for href in re.findall(r'href="([^"#]+)"', nav[1]) if href.startswith("/")]


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_link_opens_for_the_role(client, world, role):
    client.force_login(getattr(world, role))
    links = menu_links(client.get(reverse("network:home")).content.decode())
    assert links
    for href in links:
        response = client.get(href, follow=True)  # a menu entry may lead to the role's own page
        assert response.status_code == 200, f"{role}: {href} answered {response.status_code}"
        assert "not linked to a person" not in response.content.decode(), f"{role}: {href} is an empty page"


def test_the_visitor_is_offered_only_what_works_for_them(client, world):
    client.force_login(world.visitor)
    links = set(menu_links(client.get(reverse("network:home")).content.decode()))
    assert reverse("events:event_list") in links
    for page in (
        "network:directory",
        "trusts:trust_list",
        "trusts:academy_list",
        "events:my_bookings",
        "events:my_cpd",
        "network:membership_list",
    ):
        assert reverse(page) not in links, page


def test_the_visitor_home_lists_their_visits_and_what_else_they_can_do(client, world):
    client.force_login(world.visitor)
    text = client.get(reverse("network:home")).content.decode()
    assert "Visits assigned to you" in text and reverse("events:visit_list") in text
    assert "No visits are assigned to you at the moment." in text
    assert "not in the portal yet" not in text
    assert reverse("events:event_list") in text and reverse("events:certificate_verify_form") in text


@pytest.mark.parametrize("role", ["visitor", "steering"])
def test_the_directory_says_why_it_shows_no_one(client, world, role):
    client.force_login(getattr(world, role))
    response = client.get(reverse("network:directory"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "there is no one to show you here" in text
    assert "No one in your network has shared" not in text
    assert world.person_b.full_name not in text


@pytest.mark.parametrize("page", ["events:my_bookings", "events:my_cpd"])
def test_a_visitor_is_not_told_to_get_their_login_linked(client, world, page):
    client.force_login(world.visitor)
    text = client.get(reverse(page)).content.decode()
    assert "Visitor and consultant logins have no" in text
    assert "ask your network coordinator to link it" not in text
