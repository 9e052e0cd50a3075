"""A person's past and upcoming bookings on My bookings are remembered for them under
the records' generation ("past-bookings", "upcoming-bookings"): attendance taken shows
on the next load, and so does a waitlist place moving up; a booked event that ends
moves from one list to the other with nothing written, and one person's lists are
never another's.
(Committed, with remembering on: tests/conftest.py `remembering`.)"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Booking
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
    # The count, the rows, when the next booked event ends; and the upcoming bookings.
    assert kept == fresh - 3 - 1
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


def test_one_persons_lists_are_never_anothers(client, leader):
    f.BookingFactory(event=past_event(f.NetworkFactory(), title="Forces and motion"), person=leader.person)
    f.BookingFactory(event=f.EventFactory(title="Waves and sound"), person=leader.person)
    other = f.leader(f.AcademyFactory())  # made first: nothing is written between the two loads
    client.force_login(leader)
    page = client.get(URL).content.decode()
    assert "Forces and motion" in page and "Waves and sound" in page
    client.force_login(other)
    page = client.get(URL).content.decode()
    assert "Forces and motion" not in page and "Waves and sound" not in page


def test_a_waitlist_place_moving_up_shows_on_the_next_load(client, leader):
    event = f.EventFactory(title="Full event", capacity=1)
    ahead = f.BookingFactory(event=event, status=Booking.Status.WAITLISTED)
    f.BookingFactory(event=event, person=leader.person, status=Booking.Status.WAITLISTED)
    client.force_login(leader)
    assert "Position 2 on the waitlist" in client.get(URL).content.decode()
    Booking.objects.get(pk=ahead.pk).delete()  # a counted record: the generation moves on
    assert "Position 1 on the waitlist" in client.get(URL).content.decode()
