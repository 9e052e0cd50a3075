"""Calendars: the .ics per booking and the personal feed, parsed back with icalendar."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from events import exporters
from events.models import CalendarFeed
from tests import factories as f

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def make_feed(client, user) -> str:
    client.force_login(user)
    response = client.post(reverse("events:calendar_feed_manage"), {"action": "create"})
    assert response.status_code == 200
    url = response.context["feed_url"]
    client.logout()
    return url.removeprefix("http://testserver")


def test_booking_ics_parses_back_with_the_event(client, world):
    event = f.EventFactory(network=world.network, title="Assessment in science", venue="")
    booking = f.BookingFactory(event=event, person=world.person_a)
    client.force_login(world.leader_a)
    response = client.get(reverse("events:booking_ics", args=[booking.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    [entry] = parse(response).events
    assert str(entry["uid"]) == f"booking-{booking.pk}@testserver"
    assert str(entry["summary"]) == "Assessment in science"
    assert entry.start == event.starts_at
    assert entry.end == event.ends_at
    assert entry.start.utcoffset() == datetime.timedelta(0)
    assert str(entry["status"]) == "CONFIRMED"
    assert "https://meet.example/ssn-webinar" in str(entry["description"])  # confirmed: the joining link


def test_booking_ics_uid_is_stable(client, world):
    booking = f.BookingFactory(event=f.EventFactory(network=world.network), person=world.person_a)
    client.force_login(world.leader_a)
    url = reverse("events:booking_ics", args=[booking.pk])
    first, second = (parse(client.get(url)).events[0]["uid"] for _ in range(2))
    assert first == second


@pytest.mark.parametrize("status", ["waitlisted", "cancelled", "offered"])
def test_booking_ics_only_for_confirmed_bookings(client, world, status):
    booking = f.BookingFactory(
        event=f.EventFactory(network=world.network),
        person=world.person_a,
        status=status,
        **({"offer_expires_at": datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)} if status == "offered" else {}),
    )
    client.force_login(world.leader_a)
    assert client.get(reverse("events:booking_ics", args=[booking.pk])).status_code == 404


def test_booking_ics_of_someone_else_is_404(client, world):
    colleague = f.BookingFactory(
        event=f.EventFactory(network=world.network), person=f.PersonFactory(academy=world.academy_a)
    )
    client.force_login(world.leader_a)
    assert client.get(reverse("events:booking_ics", args=[colleague.pk])).status_code == 404


def test_feed_lists_confirmed_bookings_and_drops_cancelled_ones(client, world):
    confirmed = [
        f.BookingFactory(event=f.EventFactory(network=world.network, title=title), person=world.person_a)
        for title in ("Forces and motion", "Practical endorsement")
    ]
    f.BookingFactory(
        event=f.EventFactory(network=world.network, title="Cancelled booking"),
        person=world.person_a,
        status="cancelled",
    )
    f.BookingFactory(
        event=f.EventFactory(network=world.network, title="Cancelled event", status="cancelled"), person=world.person_a
    )
    f.BookingFactory(event=f.EventFactory(network=world.network, title="Someone else's"), person=world.person_b)
    url = make_feed(client, world.leader_a)

    response = client.get(url)  # no sign-in: the token is the credential

    assert response.status_code == 200
    calendar = parse(response)
    assert sorted(str(e["summary"]) for e in calendar.events) == ["Forces and motion", "Practical endorsement"]
    assert {str(e["uid"]) for e in calendar.events} == {f"booking-{b.pk}@testserver" for b in confirmed}

    confirmed[0].status = "cancelled"
    confirmed[0].save()
    assert [str(e["summary"]) for e in parse(client.get(url)).events] == ["Practical endorsement"]


def test_feed_token_is_stored_only_as_a_digest(client, world):
    url = make_feed(client, world.leader_a)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get()
    assert feed.token_digest == CalendarFeed.digest(token)
    assert token not in feed.token_digest


def test_revoked_feed_is_404(client, world):
    url = make_feed(client, world.leader_a)
    client.force_login(world.leader_a)
    response = client.post(reverse("events:calendar_feed_manage"), {"action": "revoke"}, follow=True)
    assert "Your calendar feed is switched off." in response.text
    client.logout()
    assert client.get(url).status_code == 404


def test_regenerated_feed_replaces_the_old_one(client, world):
    old = make_feed(client, world.leader_a)
    new = make_feed(client, world.leader_a)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 1


def test_feed_with_a_bogus_token_is_404(client, world):
    assert client.get(reverse("events:calendar_feed", args=["not-a-real-token"])).status_code == 404


def test_feed_of_a_closed_account_is_404(client, world):
    url = make_feed(client, world.leader_a)
    world.leader_a.is_active = False
    world.leader_a.save()
    assert client.get(url).status_code == 404


def test_feed_records_when_it_was_last_read(client, world):
    url = make_feed(client, world.leader_a)
    client.get(url)
    assert CalendarFeed.objects.get().last_used_at is not None


def test_session_appears_in_the_booking_description(world):
    session = f.SessionFactory(event__network=world.network, room="Lab 3", title="Workshop: titrations")
    booking = f.BookingFactory(event=session.event, session=session, person=world.person_a)
    [entry] = Calendar.from_ical(exporters.booking_ics(booking)).events
    assert "Your session: Workshop: titrations (Lab 3)" in str(entry["description"])


def test_my_bookings_offers_the_ics_for_confirmed_bookings_only(client, world):
    confirmed = f.BookingFactory(event=f.EventFactory(network=world.network), person=world.person_a)
    waitlisted = f.BookingFactory(
        event=f.EventFactory(network=world.network), person=world.person_a, status="waitlisted"
    )
    client.force_login(world.leader_a)
    page = client.get(reverse("events:my_bookings")).text
    assert reverse("events:booking_ics", args=[confirmed.pk]) in page
    assert reverse("events:booking_ics", args=[waitlisted.pk]) not in page
