"""The event list's count and rows are remembered under the records' generation for
readers who see every event (`events.selectors.upcoming_page`): a new event shows on
the next load, an event that has ended leaves the list even though nothing was
written, and lists that depend on the reader ("only events for my role") or that any
date could name are read each time. Each reader's booking figures on the page's rows
(their own booking, their trust's places) are remembered for them alone.
(Committed, with remembering on: tests/conftest.py `remembering`.)"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.conftest import queries_fresh_and_kept

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("remembering")]
URL = reverse("events:event_list")


def test_the_list_is_read_once_then_remembered_and_a_new_event_shows(client):
    f.EventFactory(title="Required practicals")
    client.force_login(f.leader(f.AcademyFactory()))
    fresh, kept = queries_fresh_and_kept(client, URL)
    # The count, the rows and the first end among them; the hub filter's list,
    # remembered on its own (network.programme.selectors.hub_choice_rows); and the
    # reader's booking figures for the page's events (`add_booking_figures`).
    assert kept == fresh - 3 - 1 - 1
    f.EventFactory(title="Working scientifically")
    page = client.get(URL).content.decode()
    assert "2 upcoming events" in page and "Working scientifically" in page


def test_an_event_that_ends_leaves_the_list_with_nothing_written(client, monkeypatch):
    now = timezone.now()
    f.EventFactory(
        title="Ends soon", starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=1)
    )
    f.EventFactory(title="Next month")
    client.force_login(f.leader(f.AcademyFactory()))
    assert "Ends soon" in client.get(URL).content.decode()
    later = now + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = client.get(URL).content.decode()
    assert "Ends soon" not in page and "1 upcoming event" in page


def test_lists_only_the_reader_or_any_date_can_name_are_read_each_time(client):
    f.EventFactory(title="Required practicals")
    client.force_login(f.leader(f.AcademyFactory()))
    for query in ({"for_me": "on"}, {"date_from": "2020-01-01"}, {"page": "9"}):
        fresh, kept = queries_fresh_and_kept(client, URL + "?" + "&".join(f"{k}={v}" for k, v in query.items()))
        assert kept == fresh - 1 - 1, query  # only the hub filter's list and the figures are kept
    fresh, kept = queries_fresh_and_kept(client, URL + "?kind=webinar")
    assert kept == fresh - 3 - 1 - 1  # a kind is one of a few lists: kept


def test_each_page_is_kept_as_itself(client):
    for n in range(45):
        f.EventFactory(
            title=f"Event number {n:02d}", starts_at=timezone.now() + datetime.timedelta(days=n + 1, hours=1)
        )
    client.force_login(f.leader(f.AcademyFactory()))
    first = client.get(URL).content.decode()
    for asked, shown in (
        ("2", "Event number 20"),
        ("3", "Event number 40"),
        ("9", "Event number 40"),
        ("1", "Event number 00"),
    ):
        page = client.get(URL, {"page": asked}).content.decode()
        assert shown in page, asked
    assert "Event number 20" not in first


def test_the_steering_group_is_shown_no_events_from_a_remembered_list(client):
    f.EventFactory(title="Required practicals")
    client.force_login(f.leader(f.AcademyFactory()))
    client.get(URL)
    client.force_login(f.steering_member())
    response = client.get(URL)
    assert response.status_code in (200, 403)
    assert "Required practicals" not in response.content.decode()


def test_a_readers_figures_are_their_own_and_a_booking_shows_on_the_next_load(client):
    event = f.EventFactory(title="Required practicals", capacity=2)
    booker, other = f.leader(f.AcademyFactory()), f.leader(f.AcademyFactory())  # made first
    client.force_login(booker)
    assert "Confirmed</span>" not in client.get(URL).content.decode()
    client.post(reverse("events:event_book", args=[event.pk]))
    page = client.get(URL).content.decode()
    assert 'data-label="My booking"><span class="badge text-bg-success">Confirmed</span>' in page
    assert 'data-label="Places left">1</td>' in page
    client.force_login(other)
    page = client.get(URL).content.decode()
    assert "Confirmed</span>" not in page and 'data-label="Places left">1</td>' in page
