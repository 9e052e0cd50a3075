"""The academy list's trust filter lists the trusts the door shows the reader,
remembered between page loads (`trusts.selectors.trust_choice_rows`); a trust chosen is
still checked against the door's own.

These tests commit (`transactional_db`): inside a transaction that has written a
counted record, figures are computed and never kept."""

import pytest
from django.urls import reverse

from network.base import changes
from tests import factories as f
from tests.conftest import count_queries

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def remembering(settings):
    settings.FIGURES_REMEMBERED = True


def _trust_options(html: str) -> list[str]:
    select = html[html.index('name="trust"') :].split("</select>")[0]
    return [part.split("</option>")[0].split(">")[-1] for part in select.split("<option")[1:]]


def test_the_trusts_are_read_once_then_remembered_and_a_new_trust_shows(client):
    f.TrustFactory(name="Oak & <Ash> Trust")
    client.force_login(f.coordinator())
    url = reverse("trusts:academy_list")
    client.get(url)
    changes.records_changed()
    fresh = count_queries(client, url)
    kept = count_queries(client, url)
    assert kept == fresh - 1
    assert _trust_options(client.get(url).content.decode()) == ["Any trust", "Oak &amp; &lt;Ash&gt; Trust"]
    f.TrustFactory(name="Birch Trust")
    assert "Birch Trust" in _trust_options(client.get(url).content.decode())


def test_an_executive_lists_and_may_filter_by_only_their_own_trust(client):
    ours, theirs = f.TrustFactory(name="Oak Trust"), f.TrustFactory(name="Elm Trust")
    f.AcademyFactory(trust=ours, name="Oak Academy")
    f.AcademyFactory(trust=theirs, name="Elm Academy")
    client.force_login(f.trust_executive(ours))
    url = reverse("trusts:academy_list")
    assert _trust_options(client.get(url).content.decode()) == ["Any trust", "Oak Trust"]
    chosen = client.get(url, {"trust": theirs.pk}).content.decode()
    assert "Elm Academy" not in chosen
    assert "Select a valid choice" in chosen
