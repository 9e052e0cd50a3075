"""A person's CPD record (its totals and its pages of credited attendance) is
remembered for them under the records' generation (`cpd-totals`, `cpd-entries`): a
register taken or corrected shows on the next load, and one person's record is never
another's.
(Committed, with remembering on: tests/conftest.py `remembering`.)"""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.conftest import queries_fresh_and_kept
from tests.events.cpd_helpers import attended, past_event

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("remembering")]
URL = reverse("events:my_cpd")


def test_the_record_is_read_once_and_a_register_shows_on_the_next_load(client):
    leader = f.leader(f.AcademyFactory(), email="leader.cpd@portal.example")
    network = f.NetworkFactory()
    first = f.BookingFactory(event=past_event(network, title="Forces and motion", cpd_hours=1.5), person=leader.person)
    attended(first)
    client.force_login(leader)
    fresh, kept = queries_fresh_and_kept(client, URL)
    assert kept == fresh - 2  # the totals and the page of attendance
    assert "Forces and motion" in client.get(URL).content.decode()
    second = f.BookingFactory(event=past_event(network, days=3, title="Waves", cpd_hours=2), person=leader.person)
    attended(second)
    page = client.get(URL).content.decode()
    assert "Waves" in page and "3.5" in page  # the new row and the new total
    register = second.attendance
    register.attended = False
    register.save()
    assert "Waves" not in client.get(URL).content.decode()  # no longer credited


def test_one_persons_record_is_never_anothers(client):
    leader = f.leader(f.AcademyFactory(), email="leader.cpd2@portal.example")
    attended(f.BookingFactory(event=past_event(f.NetworkFactory(), title="Forces and motion"), person=leader.person))
    other = f.leader(f.AcademyFactory())  # made first: nothing is written between the two loads
    client.force_login(leader)
    assert "Forces and motion" in client.get(URL).content.decode()
    client.force_login(other)
    assert "Forces and motion" not in client.get(URL).content.decode()
