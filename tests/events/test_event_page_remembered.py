"""The event page's event, places and sessions are read once and remembered under the
records' generation (`events.selectors.event_facts`), and so is the coordinator's list
of who is booked (events/views.py): a booking shows in the places and in the list on
the next load, the door still decides who may open the page, the rule who may see the
list, and the joining link stays with confirmed attendees.
(Committed, with remembering on: tests/conftest.py `remembering`.)"""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.conftest import queries_fresh_and_kept

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("remembering")]


@pytest.fixture
def event():
    return f.EventFactory(capacity=30, joining_link="https://meet.example/secret-room")


def test_the_event_is_read_once_then_remembered(client, event):
    f.BookingFactory(event=event)
    client.force_login(f.coordinator())
    url = reverse("events:event_detail", args=[event.pk])
    fresh, kept = queries_fresh_and_kept(client, url)
    # The event (with its places, network and hub), its sessions, and who is booked (its
    # count and its rows: the coordinator's list).
    assert kept == fresh - 4


def test_a_booking_shows_in_the_places_on_the_next_load(client, event):
    leader = f.leader(f.AcademyFactory())
    client.force_login(leader)
    url = reverse("events:event_detail", args=[event.pk])
    assert "30 of 30 left" in client.get(url).content.decode()
    client.post(reverse("events:event_book", args=[event.pk]))
    page = client.get(url).content.decode()
    assert "29 of 30 left" in page
    assert "https://meet.example/secret-room" in page  # confirmed: the link is theirs


def test_a_remembered_event_keeps_its_link_from_others_and_its_door_shut(client, event):
    booked, other = f.leader(f.AcademyFactory()), f.leader(f.AcademyFactory())
    client.force_login(booked)
    client.post(reverse("events:event_book", args=[event.pk]))
    url = reverse("events:event_detail", args=[event.pk])
    # The first reader after the booking is not booked: the page they are shown has no
    # link, and what is remembered still has it for the attendee who reads next.
    client.force_login(other)
    assert "secret-room" not in client.get(url).content.decode()
    client.force_login(booked)
    assert "secret-room" in client.get(url).content.decode()
    client.force_login(other)
    assert "secret-room" not in client.get(url).content.decode()
    client.force_login(f.steering_member())  # the steering group sees no events
    assert client.get(url).status_code == 404
    assert client.get(reverse("events:event_detail", args=[event.pk + 1000])).status_code == 404


def test_who_is_booked_shows_a_booking_on_the_next_load_and_only_to_coordinators(client, event):
    coordinator, leader = f.coordinator(), f.leader(f.AcademyFactory())
    first = f.BookingFactory(event=event, person=f.PersonFactory(first_name="Ada", last_name="Lovelace"))
    url = reverse("events:event_detail", args=[event.pk])
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "Who is booked (1)" in page and "Ada Lovelace" in page
    client.force_login(leader)  # the list is kept now; the rule is asked each time
    page = client.get(url).content.decode()
    assert "Who is booked" not in page and "Ada Lovelace" not in page
    f.BookingFactory(event=event, person=f.PersonFactory(first_name="Mary", last_name="Somerville"))
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "Who is booked (2)" in page and "Mary Somerville" in page
    assert [b.pk for b in client.get(url).context["booked"].object_list][0] == first.pk


def test_a_bookers_new_name_shows_on_who_is_booked(client, event):
    coordinator = f.coordinator(full_name="Kim Coordinator")
    f.BookingFactory(event=event, booked_by=coordinator)
    url = reverse("events:event_detail", args=[event.pk])
    client.force_login(coordinator)
    assert "by Kim Coordinator" in client.get(url).content.decode()
    coordinator.full_name = "Kim Renamed"
    coordinator.save()
    assert "by Kim Renamed" in client.get(url).content.decode()
