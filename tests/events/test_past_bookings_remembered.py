"""A person's past bookings on My bookings are remembered for them under the records'
generation (`remembered.remember_page`, "past-bookings"): attendance taken shows on the
next load, a booked event that ends joins the list with nothing written, and one
person's list is never another's.
(Committed, with remembering on: tests/conftest.py `remembering`.)"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.conftest import queries_fresh_and_kept
from tests.events.cpd_helpers import attended, past_event

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("remembering")]
URL = reverse("events:my_bookings")


@pytest.fixture
def leader():
    return f.leader(f.AcademyFactory(), email="leader.past@portal.example")


def test_the_past_list_is_read_once_and_attendance_shows_on_the_next_load(client, leader):
    booking = f.BookingFactory(event=past_event(f.NetworkFactory(), title="Forces and motion"), person=leader.person)
    client.force_login(leader)
    fresh, kept = queries_fresh_and_kept(client, URL)
    assert kept == fresh - 3  # the count, the rows, when the next booked event ends
    assert "Not recorded yet" in client.get(URL).content.decode()
    attended(booking)
    assert "Attended" in client.get(URL).content.decode()


def test_a_booked_event_that_ends_joins_the_past_with_nothing_written(client, leader, monkeypatch):
    now = timezone.now()
    f.BookingFactory(
        event=f.EventFactory(title="Ends tonight", starts_at=now + datetime.timedelta(hours=1)), person=leader.person
    )
    client.force_login(leader)
    page = client.get(URL).content.decode()
    assert page.index("Ends tonight") < page.index('id="past"')
    later = now + datetime.timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = client.get(URL).content.decode()
    assert page.index("Ends tonight") > page.index('id="past"')


def test_one_persons_past_is_never_anothers(client, leader):
    f.BookingFactory(event=past_event(f.NetworkFactory(), title="Forces and motion"), person=leader.person)
    other = f.leader(f.AcademyFactory())  # made first: nothing is written between the two loads
    client.force_login(leader)
    assert "Forces and motion" in client.get(URL).content.decode()
    client.force_login(other)
    assert "Forces and motion" not in client.get(URL).content.decode()
