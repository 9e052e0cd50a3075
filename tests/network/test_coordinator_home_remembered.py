"""The coordinator's home remembers the network's size between page loads
(`network.programme.selectors.coordinator_overview`, under the records' generation): the
second load pays none of its six queries, a new academy shows on the next load, and the email
outbox's state is always read live.

These tests commit (`transactional_db`): inside a transaction that has written a
counted record, as every `db` test's is, figures are computed and never kept."""

import re

import pytest
from django.urls import reverse

from network.base import changes
from network.base.models import OutboxMessage
from tests import factories as f
from tests.conftest import count_queries

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def remembering(settings):
    """On by default only with Redis (CI); these tests use the process's cache."""
    settings.FIGURES_REMEMBERED = True


def _academies_shown(client) -> int:
    html = client.get(reverse("network:home")).content.decode()
    return int(re.search(r"Open academies</p><p class=\"stat mb-0\">([\d,]+)<", html).group(1).replace(",", ""))


def test_the_second_load_pays_no_count_and_a_new_academy_shows(client):
    coordinator = f.coordinator()
    f.AcademyFactory.create_batch(3)
    client.force_login(coordinator)
    url = reverse("network:home")
    client.get(url)  # the second step and the menu's answers are read, then kept
    changes.records_changed()  # the next load computes the figures afresh
    fresh = count_queries(client, url)
    kept = count_queries(client, url)
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
