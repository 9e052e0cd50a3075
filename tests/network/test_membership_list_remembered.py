"""The membership list's pages are remembered under the records' generation, the
reader's scope and the filters (`membership.selectors.membership_page`): a new or
changed membership shows on the next load, an executive's kept list is never another
trust's, and each filter keeps its own list.
(Committed, with remembering on: tests/conftest.py `remembering`.)"""

import pytest
from django.urls import reverse

from network.programme.membership.models import Membership
from tests import factories as f
from tests.conftest import queries_fresh_and_kept

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("remembering")]
URL = reverse("network:membership_list")


@pytest.fixture
def two_trusts():
    year = f.MembershipYearFactory(network=f.NetworkFactory())
    oak, elm = f.TrustFactory(name="Oak Trust"), f.TrustFactory(name="Elm Trust")
    f.MembershipFactory(year=year, academy=f.AcademyFactory(trust=oak, name="Oak Academy"))
    f.MembershipFactory(year=year, academy=f.AcademyFactory(trust=elm, name="Elm Academy"))
    return oak, elm


def test_the_page_is_read_once_then_remembered_and_a_change_shows(client, two_trusts):
    client.force_login(f.coordinator())
    fresh, kept = queries_fresh_and_kept(client, URL)
    assert kept == fresh - 3 - 2  # the filter lists (years, networks, trusts); the count and the rows
    assert "Oak Academy" not in client.get(URL, {"status": "at_risk"}).content.decode()  # kept: none at risk
    membership = Membership.objects.get(academy__name="Oak Academy")
    membership.at_risk = True
    membership.save()
    page = client.get(URL, {"status": "at_risk"}).content.decode()
    assert "Oak Academy" in page and "Elm Academy" not in page
    assert "Elm Academy" in client.get(URL).content.decode()


def test_an_executives_kept_list_is_never_another_trusts(client, two_trusts):
    oak, elm = two_trusts
    # Every reader made first: nothing is written between the loads.
    ours, theirs, coordinator = f.trust_executive(oak), f.trust_executive(elm), f.coordinator()
    client.force_login(ours)
    assert "Oak Academy" in client.get(URL).content.decode()
    client.force_login(theirs)
    page = client.get(URL).content.decode()
    assert "Elm Academy" in page and "Oak Academy" not in page
    client.force_login(coordinator)
    page = client.get(URL).content.decode()
    assert "Elm Academy" in page and "Oak Academy" in page
