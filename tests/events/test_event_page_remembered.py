"""The event page's event, places and sessions are read once and remembered under the
records' generation (`events.selectors.event_facts`): a booking shows in the places on
the next load, the door still decides who may open the page, and the joining link
stays with confirmed attendees.
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
    client.force_login(f.coordinator())
    url = reverse("events:event_detail", args=[event.pk])
    fresh, kept = queries_fresh_and_kept(client, url)
    assert kept == fresh - 2  # the event (with its places, network and hub) and its sessions


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
