"""The membership list's filter lists (years, networks, trusts) are remembered between
page loads under the records' generation and the reader's scope
(`selectors.membership_filter_choices`); what is chosen is still checked against the
door's own rows.

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


def _options(html: str, name: str) -> list[str]:
    select = html[html.index(f'name="{name}"') :].split("</select>")[0]
    return [part.split("</option>")[0].split(">")[-1] for part in select.split("<option")[1:]]


def test_the_lists_are_read_once_then_remembered_and_a_new_trust_shows():
    from django.test import Client

    client = Client()
    network = f.NetworkFactory(name="Science & <Maths>")
    f.MembershipYearFactory(network=network)
    f.TrustFactory(name="Ash Trust")
    client.force_login(f.coordinator())
    url = reverse("network:membership_list")
    client.get(url)
    changes.records_changed()
    fresh = count_queries(client, url)
    kept = count_queries(client, url)
    assert kept == fresh - 3  # the years, the networks and the trusts
    html = client.get(url).content.decode()
    assert "Science &amp; &lt;Maths&gt;" in _options(html, "network") and "Ash Trust" in _options(html, "trust")
    f.TrustFactory(name="Birch Trust")
    assert "Birch Trust" in _options(client.get(url).content.decode(), "trust")


def test_an_executive_lists_and_may_choose_only_their_own_trust(client):
    ours, theirs = f.TrustFactory(name="Oak Trust"), f.TrustFactory(name="Elm Trust")
    year = f.MembershipYearFactory(network=f.NetworkFactory())
    f.MembershipFactory(year=year, academy=f.AcademyFactory(trust=ours, name="Oak Academy"), trust=ours)
    f.MembershipFactory(year=year, academy=f.AcademyFactory(trust=theirs, name="Elm Academy"), trust=theirs)
    client.force_login(f.trust_executive(ours))
    url = reverse("network:membership_list")
    assert _options(client.get(url).content.decode(), "trust") == ["Any trust", "Oak Trust"]
    chosen = client.get(url, {"trust": theirs.pk})
    assert not chosen.context["form"].is_valid()  # not one of the door's trusts: not applied
    assert "Elm Academy" not in chosen.content.decode() and "Oak Academy" in chosen.content.decode()
