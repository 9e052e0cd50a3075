"""The main menu (`network/templatetags/menu.py`): declared as data, each link shown by
the rule it names, the current page marked, and its markup written once per combination
of answers and then only looked up."""

import re

import pytest
from django.urls import reverse

from network.base.memo import Bounded
from network.templatetags import menu

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<ul class="navbar-nav me-auto">(.*?)</ul>\s*<ul class="navbar-nav">', re.S)


def _menu(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return NAV.search(response.content.decode()).group(1)


def _labels(html: str) -> list[str]:
    """The menu's entries in order: group buttons and links, by their text."""
    return re.findall(r"(?:<button[^>]*>|<a [^>]*>)([^<]+)</(?:button|a)>", html)


def test_a_science_leader_sees_their_own_links_in_order(client, world):
    client.force_login(world.leader_a)
    labels = _labels(_menu(client, reverse("network:privacy")))
    assert labels[:9] == [
        "Home", "Network", "Trusts", "Academies", "Expertise directory", "Membership",
        "CPD", "CPD events", "My bookings",
    ]  # fmt: skip
    assert "My CPD record" in labels and "My visits" in labels
    # Not a coordinator's: no Manage group, no referrals, no dashboard.
    assert not {"Manage", "Annual review", "Admin", "Referrals", "Dashboard"} & set(labels)


def test_a_coordinator_sees_the_manage_group_and_the_dashboard(client, world):
    client.force_login(world.coordinator)
    labels = _labels(_menu(client, reverse("network:privacy")))
    assert {"Manage", "Annual review", "Membership growth", "Invite academies", "Dashboard"} <= set(labels)
    assert "Six-lens review" not in labels  # the dashboard takes its place


def test_a_visitor_without_rules_sees_home_only_of_the_members_links(client, world):
    client.force_login(world.visitor)
    labels = _labels(_menu(client, reverse("network:privacy")))
    assert labels[0] == "Home"
    assert not {"Manage", "Membership", "My bookings", "Dashboard", "Referrals"} & set(labels)


def test_the_current_page_is_marked_and_only_it(client, world):
    client.force_login(world.leader_a)
    html = _menu(client, reverse("events:event_list"))
    assert html.count('aria-current="page"') == 1
    assert (
        f'<a class="dropdown-item active" aria-current="page" href="{reverse("events:event_list")}">CPD events</a>'
        in html
    )
    assert 'aria-current="page"' not in _menu(client, reverse("network:privacy"))  # not a menu page


def test_the_dashboard_hides_the_six_lens_review_link():
    nobody = dict.fromkeys(menu.MENU_RULES, False)
    reader = menu.write_menu({**nobody, "impact.read_lens_reviews": True}, "")
    assert "Six-lens review" in reader and "Dashboard" not in reader
    both = menu.write_menu({**nobody, "impact.read_lens_reviews": True, "impact.open_trust_dashboard": True}, "")
    assert "Dashboard" in both and "Six-lens review" not in both


def test_a_group_shows_only_when_one_of_its_rules_answers_yes():
    nobody = dict.fromkeys(menu.MENU_RULES, False)
    assert _labels(menu.write_menu(nobody, "")) == ["Home"]
    answering = menu.write_menu({**nobody, "impact.answer_surveys": True}, "")
    assert "Impact" in answering and "My surveys" in answering and "Evidence of impact" not in answering


def test_the_markup_is_written_once_per_combination_of_answers(client, world, monkeypatch):
    written = []
    real = menu.write_menu
    monkeypatch.setattr(menu, "write_menu", lambda may, path: written.append(path) or real(may, path))
    monkeypatch.setattr(menu, "_written", Bounded(2048))
    client.force_login(world.leader_a)
    client.get(reverse("network:privacy"))
    client.get(reverse("network:privacy"))
    client.get(reverse("trusts:academy_detail", args=[world.academy_a.urn]))  # not a menu page either
    assert written == [""]
    client.get(reverse("events:event_list"))  # a menu page: its own markup, marked
    assert written == ["", reverse("events:event_list")]
    client.force_login(world.coordinator)  # other answers
    client.get(reverse("network:privacy"))
    assert len(written) == 3


def test_every_rule_the_menu_names_exists():
    from rules.permissions import permissions

    assert set(menu.MENU_RULES) <= set(permissions), set(menu.MENU_RULES) - set(permissions)
