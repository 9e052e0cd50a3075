"""The directory's reach (the trusts that share a network with the reader's) is
remembered under the records' generation (`network.base.access.network_trust_ids`):
the second page load reads it from the cache, and a trust leaving the network takes its
people out of the directory on the next load.
(Committed, with remembering on: tests/conftest.py `remembering`.)"""

import pytest
from django.urls import reverse

from network.base import access, changes
from tests import factories as f
from tests.conftest import count_queries

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("remembering")]


def test_the_reach_is_remembered_and_a_trust_leaving_the_network_leaves_the_directory(client, monkeypatch):
    ours, theirs = f.TrustFactory(name="Oak Trust"), f.TrustFactory(name="Elm Trust")
    network = f.NetworkFactory()
    network.member_trusts.set([ours, theirs])
    leader = f.leader(f.AcademyFactory(trust=ours), email="leader.reach@portal.example")
    f.PersonFactory(
        academy=f.AcademyFactory(trust=theirs), first_name="Elsie", last_name="Elmwood", directory_consent=True
    )
    client.force_login(leader)
    url = reverse("network:directory")
    client.get(url)
    changes.records_changed()
    read = []
    real = access._trusts_sharing
    monkeypatch.setattr(access, "_trusts_sharing", lambda ids: read.append(ids) or real(ids))
    fresh = count_queries(client, url)
    kept = count_queries(client, url)
    assert kept < fresh and read == [(ours.pk,)]  # read once, for the reader's own trust
    assert "Elsie Elmwood" in client.get(url).content.decode()
    network.member_trusts.remove(theirs)
    assert "Elsie Elmwood" not in client.get(url).content.decode()


def test_two_readers_of_different_trusts_never_share_a_reach(client):
    oak, elm, ash = (f.TrustFactory(name=n) for n in ("Oak Trust", "Elm Trust", "Ash Trust"))
    f.NetworkFactory(slug="north", name="North").member_trusts.set([oak, elm])
    f.NetworkFactory(slug="south", name="South").member_trusts.set([ash])
    f.PersonFactory(
        academy=f.AcademyFactory(trust=elm), first_name="Elsie", last_name="Elmwood", directory_consent=True
    )
    north = f.leader(f.AcademyFactory(trust=oak), email="north@portal.example")
    south = f.leader(f.AcademyFactory(trust=ash), email="south@portal.example")
    url = reverse("network:directory")
    client.force_login(north)
    assert "Elsie Elmwood" in client.get(url).content.decode()
    client.force_login(south)
    assert "Elsie Elmwood" not in client.get(url).content.decode()
