"""The bookings a coordinator or trust science lead made for others, on My bookings, are
remembered for the booker under the records' generation
(`events.selectors.made_for_others_page`): a booking made, cancelled or offered shows
on the next load, an event that ends leaves the list with nothing written, a search is
read each time, and one booker's list is never another's. The buttons are written for
each request (their CSRF field, and whether the cut-off has passed, are the request's).
(Committed, with remembering on: tests/conftest.py `remembering`.)"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Booking
from events.services import booking as bookings
from tests import factories as f
from tests.conftest import queries_fresh_and_kept

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("remembering")]
URL = reverse("events:my_bookings")


@pytest.fixture
def booker():
    return f.coordinator(email="made.by@portal.example")


def _made(booker, title, **event):
    return f.BookingFactory(
        event=f.EventFactory(network=f.NetworkFactory(slug="made"), title=title, **event),
        person=f.PersonFactory(academy=f.AcademyFactory()),
        booked_by=booker,
    )


def _made_section(client, url=URL) -> str:
    page = client.get(url).content.decode()
    return page[page.index('id="made-for-others"') :]


def test_the_list_is_read_once_and_a_cancellation_shows_on_the_next_load(client, booker):
    made = _made(booker, "Forces and motion")
    client.force_login(booker)
    fresh, kept = queries_fresh_and_kept(client, URL)
    assert kept == fresh - 3  # the count, the rows, when the first of its events ends
    assert "Cancelled</span>" not in _made_section(client)
    bookings.booking_cancel(booking=made, by=booker)
    assert "Cancelled</span>" in _made_section(client)
    _made(booker, "Waves and sound")
    assert "Waves and sound" in _made_section(client)


def test_an_event_that_ends_leaves_the_list_with_nothing_written(client, booker, monkeypatch):
    now = timezone.now()
    _made(booker, "Ends tonight", starts_at=now + datetime.timedelta(hours=1))
    _made(booker, "Next month", starts_at=now + datetime.timedelta(days=30))
    client.force_login(booker)
    assert "Ends tonight" in _made_section(client)
    later = now + datetime.timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    made = _made_section(client)
    assert "Ends tonight" not in made and "Next month" in made


def test_the_buttons_are_the_requests_own(client, booker, monkeypatch):
    """A kept row is drawn with this request's CSRF field and this moment's cut-off."""
    now = timezone.now()
    made = _made(booker, "Cut-off soon", starts_at=now + datetime.timedelta(hours=30), cancel_until_hours=24)
    client.force_login(booker)
    first = _made_section(client)
    assert reverse("events:booking_cancel", args=[made.pk]) in first
    later = now + datetime.timedelta(hours=8)  # past the cut-off, nothing written
    monkeypatch.setattr(timezone, "now", lambda: later)
    after = _made_section(client)
    assert reverse("events:booking_cancel", args=[made.pk]) not in after
    assert "The cancellation cut-off has passed" in after


def test_an_offer_shows_its_confirm_button_with_a_working_token(client, booker):
    made = _made(booker, "Offered place")
    client.force_login(booker)
    _made_section(client)  # kept as confirmed
    Booking.objects.filter(pk=made.pk).update(
        status=Booking.Status.OFFERED, offer_expires_at=timezone.now() + datetime.timedelta(days=2)
    )
    from network.base import changes

    changes.records_changed()  # update() sends no signal
    page = _made_section(client)
    assert reverse("events:booking_confirm", args=[made.pk]) in page and "Confirm the place" in page
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    client.handler.enforce_csrf_checks = True
    response = client.post(
        reverse("events:booking_confirm", args=[made.pk]), {"csrfmiddlewaretoken": token, "next": URL}
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == Booking.Status.CONFIRMED


def test_a_search_is_read_each_time(client, booker):
    _made(booker, "Forces and motion")
    _made(booker, "Waves and sound")
    client.force_login(booker)
    found = _made_section(client, URL + "?made_q=waves")
    assert "Waves and sound" in found and "Forces and motion" not in found
    assert "Forces and motion" in _made_section(client)


def test_one_bookers_list_is_never_anothers(client, booker):
    _made(booker, "Forces and motion")
    other = f.coordinator(email="other.booker@portal.example")  # made first: nothing written between the loads
    client.force_login(booker)
    assert "Forces and motion" in _made_section(client)
    client.force_login(other)
    assert "Forces and motion" not in _made_section(client)
