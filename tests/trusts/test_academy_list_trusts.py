"""The academy list's trust filter lists the trusts the door shows the reader,
remembered between page loads (`trusts.selectors.trust_choice_rows`); a trust chosen is
still checked against the door's own.
(Committed, with remembering on: tests/conftest.py `remembering`.)"""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.conftest import queries_fresh_and_kept, select_options

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("remembering")]


def test_the_trusts_are_read_once_then_remembered_and_a_new_trust_shows(client):
    f.TrustFactory(name="Oak & <Ash> Trust")
    client.force_login(f.coordinator())
    url = reverse("trusts:academy_list")
    fresh, kept = queries_fresh_and_kept(client, url)
    assert kept == fresh - 1
    assert select_options(client.get(url).content.decode(), "trust") == ["Any trust", "Oak &amp; &lt;Ash&gt; Trust"]
    f.TrustFactory(name="Birch Trust")
    assert "Birch Trust" in select_options(client.get(url).content.decode(), "trust")


def test_an_executive_lists_and_may_filter_by_only_their_own_trust(client):
    ours, theirs = f.TrustFactory(name="Oak Trust"), f.TrustFactory(name="Elm Trust")
    f.AcademyFactory(trust=ours, name="Oak Academy")
    f.AcademyFactory(trust=theirs, name="Elm Academy")
    client.force_login(f.trust_executive(ours))
    url = reverse("trusts:academy_list")
    assert select_options(client.get(url).content.decode(), "trust") == ["Any trust", "Oak Trust"]
    chosen = client.get(url, {"trust": theirs.pk}).content.decode()
    assert "Elm Academy" not in chosen
    assert "Select a valid choice" in chosen


def test_the_doors_trusts_are_built_only_to_check_a_trust_sent(client, monkeypatch):
    """The list comes from the remembered rows; the scoped queryset is built only when a
    trust was sent, and it is the door's: another trust is refused."""
    from trusts import selectors

    ours, theirs = f.TrustFactory(name="Oak Trust"), f.TrustFactory(name="Elm Trust")
    f.AcademyFactory(trust=ours, name="Oak Academy")
    f.AcademyFactory(trust=theirs, name="Elm Academy")
    built, real = [], selectors.trust_choices
    monkeypatch.setattr(selectors, "trust_choices", lambda user: built.append(user) or real(user))
    client.force_login(f.trust_executive(ours))
    url = reverse("trusts:academy_list")
    client.get(url)  # the list's rows are read (through `trust_choices`) and kept
    built.clear()
    page = client.get(url, {"region": ""}).content.decode()
    assert built == [] and "Oak Academy" in page and "Elm Academy" not in page
    assert select_options(page, "trust") == ["Any trust", "Oak Trust"]
    assert "Oak Academy" in client.get(url, {"trust": ours.pk}).content.decode()
    refused = client.get(url, {"trust": theirs.pk}).content.decode()
    assert len(built) == 2 and "Select a valid choice" in refused and "Elm Academy" not in refused
