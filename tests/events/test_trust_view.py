"""The trust executive's CPD view: their trust only, credited to the trust on the day,
academies with nobody at any CPD, and the query count."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from events.attendance.selectors import academic_year, trust_cpd
from tests import factories as f
from tests.events.cpd_helpers import attended, past_event

pytestmark = pytest.mark.django_db


def _this_year():
    return academic_year(timezone.localdate())


def _in_this_year(world, **kwargs):
    """An event that has started, in this academic year (whatever today's date)."""
    year_start, _ = _this_year().bounds()
    starts_at = max(year_start, timezone.now() - datetime.timedelta(days=1))
    return past_event(world.network, starts_at=starts_at, **kwargs)


def test_trust_view_shows_own_trust_by_academy_and_by_event(client, world):
    event = _in_this_year(world, title="Trust A's webinar", cpd_hours=Decimal("1.5"))
    a1 = attended(f.BookingFactory(event=event, person=world.person_a))
    colleague = f.PersonFactory(academy=world.academy_a)
    attended(f.BookingFactory(event=event, person=colleague), attended=False)
    attended(f.BookingFactory(event=_in_this_year(world, title="Only trust B went"), person=world.person_b))
    client.force_login(world.executive_a)

    response = client.get(reverse("events:trust_cpd", args=[world.trust_a.pk]))

    assert response.status_code == 200
    page = response.text
    assert "Trust A&#x27;s webinar" in page or "Trust A's webinar" in page
    assert "Only trust B went" not in page
    assert "Academy B" not in page
    by_academy = list(response.context["by_academy"])
    assert [
        (r["academy_at_booking__name"], r["booked"], r["attended"], r["absent"], r["hours"]) for r in by_academy
    ] == [("Academy A", 2, 1, 1, Decimal("1.5"))]
    assert a1.booking.trust_at_booking == world.trust_a


def test_trust_view_of_another_trust_is_404(client, world):
    client.force_login(world.executive_a)
    assert client.get(reverse("events:trust_cpd", args=[world.trust_b.pk])).status_code == 404


def test_trust_view_is_404_for_leaders_even_of_their_own_trust(client, world):
    client.force_login(world.leader_a)
    assert client.get(reverse("events:trust_cpd", args=[world.trust_a.pk])).status_code == 404


def test_participation_is_credited_to_the_trust_on_the_day(world):
    """An academy that moved from B to A: its bookings made while in B stay B's."""
    mover = f.AcademyFactory(trust=world.trust_a, name="Moved Academy")
    person = f.PersonFactory(academy=mover)
    event = _in_this_year(world, title="Booked while in trust B")
    attended(f.BookingFactory(event=event, person=person, trust_at_booking=world.trust_b, academy_at_booking=mover))

    data = trust_cpd(world.executive_a, world.trust_a, year=_this_year())

    assert list(data["by_event"]) == []
    assert [a.name for a in data["without_attendance"]] == ["Academy A", "Moved Academy"]
    trust_b = trust_cpd(world.coordinator, world.trust_b, year=_this_year())
    assert [r["event__title"] for r in trust_b["by_event"]] == ["Booked while in trust B"]


def test_academies_with_no_one_at_any_cpd_this_year(client, world):
    quiet = f.AcademyFactory(trust=world.trust_a, name="Quiet Academy")
    booked_ahead = f.AcademyFactory(trust=world.trust_a, name="Booked Ahead Academy")
    f.AcademyFactory(trust=world.trust_a, name="Closed Academy", is_open=False)
    attended(f.BookingFactory(event=_in_this_year(world), person=world.person_a))
    attended(
        f.BookingFactory(event=past_event(world.network, days=400), person=f.PersonFactory(academy=quiet))
    )  # last year's attendance does not count this year
    f.BookingFactory(event=f.EventFactory(network=world.network), person=f.PersonFactory(academy=booked_ahead))
    client.force_login(world.executive_a)

    response = client.get(reverse("events:trust_cpd", args=[world.trust_a.pk]))

    without = list(response.context["without_attendance"])
    assert [(a.name, a.has_upcoming) for a in without] == [("Booked Ahead Academy", True), ("Quiet Academy", False)]
    assert "has a booking for an event still to come" in response.text


def test_trust_view_earlier_year_is_chosen_from_the_form(client, world):
    last_year = _this_year().starts_on.year - 1
    event = past_event(
        world.network, starts_at=timezone.make_aware(datetime.datetime(last_year, 11, 5, 16)), title="Last year's"
    )
    attended(f.BookingFactory(event=event, person=world.person_a))
    client.force_login(world.executive_a)
    url = reverse("events:trust_cpd", args=[world.trust_a.pk])
    assert "Last year&#x27;s" not in client.get(url).text
    assert "Last year&#x27;s" in client.get(url, {"year": last_year}).text


def test_executive_home_links_to_the_trust_cpd_view(client, world):
    client.force_login(world.executive_a)
    response = client.get(reverse("network:home"))
    assert reverse("events:trust_cpd", args=[world.trust_a.pk]) in response.text


def test_trust_view_has_no_n_plus_one(world, assert_no_n_plus_one):
    def academy_with_attendance():
        academy = f.AcademyFactory(trust=world.trust_a)
        event = _in_this_year(world)
        attended(f.BookingFactory(event=event, person=f.PersonFactory(academy=academy)))
        f.AcademyFactory(trust=world.trust_a)  # and one with nobody

    academy_with_attendance()
    assert_no_n_plus_one(
        reverse("events:trust_cpd", args=[world.trust_a.pk]),
        lambda: [academy_with_attendance() for _ in range(2)],
        user=world.executive_a,
    )
