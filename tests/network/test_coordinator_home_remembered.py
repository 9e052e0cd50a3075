"""The coordinator's home remembers the network's size between page loads
(`network.programme.selectors.coordinator_overview`, under the records' generation): the
second load pays none of its six queries, a new academy shows on the next load, and the email
outbox's state is always read live.
(Committed, with remembering on: tests/conftest.py `remembering`.)"""

import re

import pytest
from django.urls import reverse

from network.base.models import OutboxMessage
from tests import factories as f
from tests.conftest import queries_fresh_and_kept

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("remembering")]


def _academies_shown(client) -> int:
    html = client.get(reverse("network:home")).content.decode()
    return int(re.search(r"Open academies</p><p class=\"stat mb-0\">([\d,]+)<", html).group(1).replace(",", ""))


def test_the_second_load_pays_no_count_and_a_new_academy_shows(client):
    coordinator = f.coordinator()
    f.AcademyFactory.create_batch(3)
    client.force_login(coordinator)
    url = reverse("network:home")
    fresh, kept = queries_fresh_and_kept(client, url)
    assert kept == fresh - 6  # the network's size: six queries, now one cache read
    assert _academies_shown(client) == 3
    f.AcademyFactory()
    assert _academies_shown(client) == 4


def test_the_outbox_is_read_live(client):
    coordinator = f.coordinator()
    client.force_login(coordinator)
    url = reverse("network:home")
    assert b"could not be sent" not in client.get(url).content
    OutboxMessage.objects.create(
        key="test-failed",
        to="someone@school.example",
        subject="Hello",
        body_text="Hi",
        status=OutboxMessage.Status.FAILED,
    )
    assert b"1 email could not be sent" in client.get(url).content
