"""The membership list's filter lists (years, networks, trusts) are remembered between
page loads under the records' generation and the reader's scope
(`selectors.membership_filter_choices`); what is chosen is still checked against the
door's own rows.
(Committed, with remembering on: tests/conftest.py `remembering`.)"""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.conftest import queries_fresh_and_kept, select_options

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("remembering")]


def test_the_lists_are_read_once_then_remembered_and_a_new_trust_shows():
    from django.test import Client

    client = Client()
    network = f.NetworkFactory(name="Science & <Maths>")
    f.MembershipYearFactory(network=network)
    f.TrustFactory(name="Ash Trust")
    client.force_login(f.coordinator())
    url = reverse("network:membership_list")
    fresh, kept = queries_fresh_and_kept(client, url)
    # The years, the networks and the trusts; and the (empty) list's count
    # (membership.selectors.membership_page).
    assert kept == fresh - 3 - 1
    html = client.get(url).content.decode()
    assert "Science &amp; &lt;Maths&gt;" in select_options(html, "network") and "Ash Trust" in select_options(
        html, "trust"
    )
    f.TrustFactory(name="Birch Trust")
    assert "Birch Trust" in select_options(client.get(url).content.decode(), "trust")


def test_an_executive_lists_and_may_choose_only_their_own_trust(client):
    ours, theirs = f.TrustFactory(name="Oak Trust"), f.TrustFactory(name="Elm Trust")
    year = f.MembershipYearFactory(network=f.NetworkFactory())
    f.MembershipFactory(year=year, academy=f.AcademyFactory(trust=ours, name="Oak Academy"), trust=ours)
    f.MembershipFactory(year=year, academy=f.AcademyFactory(trust=theirs, name="Elm Academy"), trust=theirs)
    client.force_login(f.trust_executive(ours))
    url = reverse("network:membership_list")
    assert select_options(client.get(url).content.decode(), "trust") == ["Any trust", "Oak Trust"]
    chosen = client.get(url, {"trust": theirs.pk})
    assert not chosen.context["form"].is_valid()  # not one of the door's trusts: not applied
    assert "Elm Academy" not in chosen.content.decode() and "Oak Academy" in chosen.content.decode()
