"""The coordinators' back office: event list, sessions inline, actions that call the
services (duplicate, cancel and tell everyone), bookings with their audit trail."""

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Booking, Event
from network.base.models import OutboxMessage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client):
    client.force_login(f.coordinator())
    return client


def test_event_admin_pages_load(coordinator_client):
    session = f.SessionFactory()
    f.BookingFactory(event=session.event, session=session)
    for url in (
        reverse("admin:events_event_changelist") + "?kind__exact=conference",
        reverse("admin:events_event_change", args=[session.event.pk]),
        reverse("admin:events_event_add"),
        reverse("admin:events_booking_changelist") + "?status__exact=confirmed",
        reverse("admin:events_booking_change", args=[Booking.objects.get().pk]),
        reverse("admin:events_booking_history", args=[Booking.objects.get().pk]),
    ):
        assert coordinator_client.get(url).status_code == 200, url


def test_duplicate_action_asks_how_far_then_copies(coordinator_client):
    event = f.EventFactory(title="Termly webinar")
    url = reverse("admin:events_event_changelist")
    form = coordinator_client.post(url, {"action": "duplicate", "_selected_action": [event.pk]})
    assert form.status_code == 200 and b"Move by (days)" in form.content
    coordinator_client.post(
        url, {"action": "duplicate", "_selected_action": [event.pk], "shift_days": 91, "apply": "1"}
    )
    copy = Event.objects.exclude(pk=event.pk).get()
    assert (copy.title, copy.duplicated_from) == ("Termly webinar", event)


def test_cancel_action_cancels_and_tells_everyone(coordinator_client):
    event = f.EventFactory()
    bookings = [f.BookingFactory(event=event) for _ in range(3)]
    url = reverse("admin:events_event_changelist")
    coordinator_client.post(
        url, {"action": "cancel_events", "_selected_action": [event.pk], "reason": "Snow", "apply": "1"}
    )
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert OutboxMessage.objects.filter(key__endswith=":event-cancelled").count() == len(bookings)


def test_raising_capacity_in_the_admin_promotes_the_waitlist(coordinator_client):
    event = f.EventFactory(capacity=1)
    f.BookingFactory(event=event)
    waiting = f.BookingFactory(event=event, status=Booking.Status.WAITLISTED, confirmed_at=None)
    data = {
        "kind": event.kind,
        "title": event.title,
        "description": "",
        "network": event.network_id,
        "hub": "",
        "series": "",
        "starts_at_0": event.starts_at.strftime("%d/%m/%Y"),
        "starts_at_1": "16:00:00",
        "ends_at_0": event.ends_at.strftime("%d/%m/%Y"),
        "ends_at_1": "17:30:00",
        "is_online": "on",
        "venue": "",
        "joining_link": event.joining_link,
        "capacity": 2,
        "per_trust_cap": "",
        "booking_opens_at_0": "",
        "booking_opens_at_1": "",
        "booking_closes_at_0": "",
        "booking_closes_at_1": "",
        "cancel_until_hours": 48,
        "cpd_hours": "1.5",
        "duplicated_from": "",
        "sessions-TOTAL_FORMS": 0,
        "sessions-INITIAL_FORMS": 0,
        "sessions-MIN_NUM_FORMS": 0,
        "sessions-MAX_NUM_FORMS": 1000,
    }
    response = coordinator_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.CONFIRMED


def test_booking_admin_cancel_action_uses_the_service(coordinator_client):
    booking = f.BookingFactory()
    coordinator_client.post(
        reverse("admin:events_booking_changelist"), {"action": "cancel_bookings", "_selected_action": [booking.pk]}
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert OutboxMessage.objects.filter(key=f"booking:{booking.pk}:cancelled").exists()


def test_event_list_shows_upcoming_events_first_then_past_latest_first(coordinator_client):
    from tests.events.cpd_helpers import past_event

    network = f.NetworkFactory()
    long_ago, yesterday = past_event(network, days=60, title="Long ago"), past_event(network, days=1, title="Yesterday")
    later = f.EventFactory(network=network, title="Next month", starts_at=f._in_days(30))
    soon = f.EventFactory(network=network, title="Next week", starts_at=f._in_days(7))
    response = coordinator_client.get(reverse("admin:events_event_changelist"))
    assert list(response.context["cl"].result_list) == [soon, later, yesterday, long_ago]


def test_event_list_shows_places_taken_of_capacity_and_status(coordinator_client):
    event = f.EventFactory(capacity=30, starts_at=f._in_days(7, hour=9))
    f.BookingFactory(event=event)
    html = coordinator_client.get(reverse("admin:events_event_changelist")).content.decode()
    assert '<td class="field-places">1 of 30</td>' in html
    assert f'<td class="field-when">{timezone.localtime(event.starts_at):%a\u00a0%d/%m/%Y} 09:00</td>' in html
    assert '<td class="field-status">Scheduled</td>' in html
