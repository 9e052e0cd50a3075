"""Each events list page costs the same number of queries with one row or many."""

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Booking
from tests import factories as f
from trusts.models import JobRole

pytestmark = pytest.mark.django_db


def test_event_list_has_no_n_plus_one(world, assert_no_n_plus_one):
    f.BookingFactory(event=f.EventFactory(network=world.network, hub=world.hub), person=world.person_a)

    def grow():
        for _ in range(4):
            event = f.EventFactory(network=world.network, hub=f.HubFactory(network=world.network))
            f.BookingFactory(event=event, person=world.person_a)
            f.BookingFactory(event=event, status=Booking.Status.WAITLISTED)

    assert_no_n_plus_one(reverse("events:event_list") + "?for_me=on", grow, user=world.leader_a)


def test_my_bookings_has_no_n_plus_one(world, assert_no_n_plus_one):
    f.BookingFactory(event=f.EventFactory(network=world.network), person=world.person_a)
    past = timezone.now() - timezone.timedelta(days=10)
    f.BookingFactory(
        event=f.EventFactory(network=world.network, starts_at=past, ends_at=past + timezone.timedelta(hours=1)),
        person=world.person_a,
    )

    def grow():
        for _ in range(3):
            f.BookingFactory(
                event=f.EventFactory(network=world.network, hub=world.hub),
                person=world.person_a,
                booked_by=world.coordinator,
            )
            f.BookingFactory(
                event=f.SessionFactory(event__network=world.network).event,
                person=world.person_a,
                status=Booking.Status.WAITLISTED,
                confirmed_at=None,
            )
            f.BookingFactory(
                event=f.EventFactory(network=world.network, starts_at=past, ends_at=past + timezone.timedelta(hours=1)),
                person=world.person_a,
            )

    assert_no_n_plus_one(reverse("events:my_bookings"), grow, user=world.leader_a)


def test_my_bookings_made_for_others_has_no_n_plus_one(world, assert_no_n_plus_one):
    lead = f.UserFactory(person=f.PersonFactory(academy=None, trust=world.trust_a, job_role=JobRole.TRUST_SCIENCE_LEAD))
    f.BookingFactory(event=f.EventFactory(network=world.network), person=world.person_a, booked_by=lead)

    def grow():
        for status in ("confirmed", "offered", "waitlisted"):
            f.BookingFactory(
                event=f.SessionFactory(event__network=world.network).event,
                person=f.PersonFactory(academy=f.AcademyFactory(trust=world.trust_a)),
                booked_by=lead,
                status=status,
                offer_expires_at=timezone.now() + timezone.timedelta(hours=12) if status == "offered" else None,
            )
            f.BookingFactory(
                event=f.EventFactory(network=world.network),
                person=f.PersonFactory(academy=None, trust=world.trust_a),
                booked_by=lead,
            )

    assert_no_n_plus_one(reverse("events:my_bookings"), grow, user=lead)


def test_book_on_behalf_has_no_n_plus_one(world, assert_no_n_plus_one):
    event = f.EventFactory(network=world.network)

    def grow():
        for _ in range(4):
            f.PersonFactory(academy=f.AcademyFactory(trust=world.trust_b))
            f.PersonFactory(academy=None, trust=world.trust_a, job_role=JobRole.TRUST_SCIENCE_LEAD)

    url = reverse("events:book_on_behalf", args=[event.pk])
    assert_no_n_plus_one(url, grow, user=world.coordinator)
    assert_no_n_plus_one(url + "?q=okafor", grow, user=world.coordinator)


def test_approvals_has_no_n_plus_one(world, assert_no_n_plus_one):
    event = f.EventFactory(network=world.network, needs_approval=True)
    f.BookingFactory(
        event=event,
        person=f.PersonFactory(academy=world.academy_a, job_role=JobRole.TEACHER),
        status="pending_approval",
    )

    def grow():
        for _ in range(3):
            f.BookingFactory(
                event=f.EventFactory(network=world.network, needs_approval=True),
                person=f.PersonFactory(academy=world.academy_a, job_role=JobRole.TEACHER),
                status="pending_approval",
                booked_by=world.coordinator,
            )

    assert_no_n_plus_one(reverse("events:approvals"), grow, user=world.leader_a)


def test_leader_home_with_bookings_has_no_n_plus_one(world, assert_no_n_plus_one):
    f.BookingFactory(event=f.EventFactory(network=world.network), person=world.person_a)

    def grow():
        for _ in range(3):
            f.BookingFactory(event=f.EventFactory(network=world.network), person=world.person_a)

    assert_no_n_plus_one(reverse("network:home"), grow, user=world.leader_a)
