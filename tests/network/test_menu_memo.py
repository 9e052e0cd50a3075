"""The main menu's answers are kept in the session for a few minutes
(`network/templatetags/may.py` `menu_may`): the rules are asked once, a role change
shows at once, anything else within MENU_SECONDS, and a page never relies on them."""

import pytest
from django.urls import reverse

from network.base.models import Role
from network.templatetags import may
from tests.conftest import count_queries

pytestmark = pytest.mark.django_db


def test_the_menu_asks_the_rules_once_then_reads_the_session(client, world):
    client.force_login(world.leader_a)
    url = reverse("network:privacy")
    first = count_queries(client, url)
    answers = client.session[may.MENU_MEMO]["answers"]
    assert answers["events.browse_events"] is True and answers["network.run_membership_year"] is False
    assert count_queries(client, url) < first  # the leader's academy and membership are not read again
    assert b"My CPD record" in client.get(url).content


def test_a_role_change_shows_in_the_menu_at_once(client, world):
    client.force_login(world.leader_a)
    url = reverse("network:privacy")
    assert b"Referrals" not in client.get(url).content
    world.leader_a.role = Role.STEERING
    world.leader_a.save(update_fields=["role"])
    assert b"Referrals" in client.get(url).content


def test_the_answers_are_asked_again_after_a_few_minutes(client, world, monkeypatch):
    client.force_login(world.leader_a)
    url = reverse("network:privacy")
    client.get(url)
    asked = []
    real = may.has
    monkeypatch.setattr(may, "has", lambda user, perm, obj=None: asked.append(perm) or real(user, perm, obj))
    client.get(url)
    assert asked == []
    later = may.time.time() + may.MENU_SECONDS + 1
    monkeypatch.setattr(may.time, "time", lambda: later)
    client.get(url)
    assert "events.browse_events" in asked


def test_another_user_in_the_same_browser_gets_their_own_menu(client, world):
    client.force_login(world.leader_a)
    client.get(reverse("network:privacy"))
    client.force_login(world.coordinator)
    assert b"Annual review" in client.get(reverse("network:privacy")).content
    assert client.session[may.MENU_MEMO]["who"][0] == world.coordinator.pk
