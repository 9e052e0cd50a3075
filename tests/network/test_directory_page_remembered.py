"""The directory's pages (people and their tags) are remembered for everyone with the
same reach and filters (`network.programme.selectors.directory_page`): a person who
withdraws consent or changes their card is gone or changed on the next load, readers of
different networks never share a page, and a search is read each time.
(Committed, with remembering on: tests/conftest.py `remembering`.)"""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.conftest import queries_fresh_and_kept

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("remembering")]
URL = reverse("network:directory")


@pytest.fixture
def networks():
    """Two networks of two trusts each; a leader in each network, and a consenting
    physicist in each."""
    ours, theirs = f.NetworkFactory(name="North", slug="north"), f.NetworkFactory(name="South", slug="south")
    found = {}
    for network, name in ((ours, "north"), (theirs, "south")):
        trust = f.TrustFactory(name=f"{name} trust")
        network.member_trusts.add(trust)
        academy = f.AcademyFactory(trust=trust, name=f"{name} academy")
        found[f"{name}_leader"] = f.leader(academy, email=f"leader@{name}.example")
        found[f"{name}_physicist"] = f.PersonFactory(
            academy=academy, first_name=f"{name.title()}", last_name="Physicist", directory_consent=True
        )
    return found


def test_a_page_is_read_once_and_a_withdrawn_consent_shows_at_once(client, networks):
    client.force_login(networks["north_leader"])
    fresh, kept = queries_fresh_and_kept(client, URL)
    assert kept < fresh
    assert "North Physicist" in client.get(URL).content.decode()
    person = networks["north_physicist"]
    person.directory_consent = False
    person.save()
    assert "North Physicist" not in client.get(URL).content.decode()


def test_readers_of_different_networks_never_share_a_page(client, networks):
    client.force_login(networks["north_leader"])
    page = client.get(URL).content.decode()
    assert "North Physicist" in page and "South Physicist" not in page
    client.force_login(networks["south_leader"])
    page = client.get(URL).content.decode()
    assert "South Physicist" in page and "North Physicist" not in page


def test_a_search_is_read_each_time(client, networks):
    client.force_login(networks["north_leader"])
    fresh, kept = queries_fresh_and_kept(client, URL + "?q=physicist")
    page_queries = queries_fresh_and_kept(client, URL)
    assert fresh - kept < page_queries[0] - page_queries[1]
