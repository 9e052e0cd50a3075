"""Who may cancel a booking or confirm its offer, as a table: the person, whoever booked
it for them, a coordinator, and their trust's science lead. Anyone else gets 404, even
when they may *see* the booking (a colleague's head of science, the trust's executive),
and nothing changes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import selectors
from events.models import Booking
from network.base.rules import has
from tests import factories as f
from trusts.models import JobRole

pytestmark = pytest.mark.django_db
Status = Booking.Status


@pytest.fixture
def offer(world):
    """A place on offer to a teacher at academy A (who has a login)."""
    teacher = f.UserFactory(person=f.PersonFactory(academy=world.academy_a, job_role=JobRole.TEACHER))
    booking = f.BookingFactory(
        event=f.EventFactory(network=world.network),
        person=teacher.person,
        status=Status.OFFERED,
        offer_expires_at=timezone.now() + timedelta(hours=12),
        confirmed_at=None,
    )
    return booking, teacher


def _trust_science_lead(trust, academy=None):
    person = f.PersonFactory(academy=academy, trust=None if academy else trust, job_role=JobRole.TRUST_SCIENCE_LEAD)
    return f.UserFactory(person=person)


# who -> (status code, whether the action happens)
WHO = {
    "the person": lambda w, teacher: teacher,
    "coordinator": lambda w, teacher: w.coordinator,
    "trust science lead of the trust": lambda w, teacher: _trust_science_lead(w.trust_a),
    "trust science lead based at another academy of the trust": lambda w, teacher: _trust_science_lead(
        w.trust_a, academy=f.AcademyFactory(trust=w.trust_a)
    ),
    "colleague at the same academy": lambda w, teacher: f.UserFactory(
        person=f.PersonFactory(academy=w.academy_a, job_role=JobRole.TEACHER)
    ),
    "head of science of the academy": lambda w, teacher: w.leader_a,
    "trust executive": lambda w, teacher: w.executive_a,
    "trust science lead of another trust": lambda w, teacher: _trust_science_lead(w.trust_b),
    "leader at another trust": lambda w, teacher: f.leader(w.academy_b),
    "visitor": lambda w, teacher: w.visitor,
    "steering group": lambda w, teacher: w.steering,
}
MAY_CHANGE = {
    "the person",
    "coordinator",
    "trust science lead of the trust",
    "trust science lead based at another academy of the trust",
}


@pytest.mark.parametrize(
    ("action", "after"), [("events:booking_cancel", Status.CANCELLED), ("events:booking_confirm", Status.CONFIRMED)]
)
@pytest.mark.parametrize("who", list(WHO))
def test_cancel_and_confirm_answer_404_to_anyone_who_may_not_change_the_booking(
    client, world, offer, who, action, after
):
    booking, teacher = offer
    client.force_login(WHO[who](world, teacher))
    response = client.post(reverse(action, args=[booking.pk]), {"confirm": "yes"})
    booking.refresh_from_db()
    if who in MAY_CHANGE:
        assert response.status_code == 302, who
        assert booking.status == after, who
    else:
        assert response.status_code == 404, who
        assert booking.status == Status.OFFERED, who
        assert booking.history.count() == 1  # only the factory's save


def test_whoever_booked_it_may_change_it(client, world):
    # A coordinator's assistant books for someone, then loses the coordinator role: the
    # booking they made is still theirs to manage (events.cancel_booking, events.rules.may_change).
    person = f.PersonFactory(academy=world.academy_b)
    booker = f.UserFactory(person=f.PersonFactory(academy=world.academy_a))
    booking = f.BookingFactory(event=f.EventFactory(network=world.network), person=person, booked_by=booker)
    client.force_login(booker)
    response = client.post(reverse("events:booking_cancel", args=[booking.pk]), {"confirm": "yes"}, follow=True)
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert f"{person.full_name}'s booking" in " ".join(str(m) for m in response.context["messages"])


def test_changeable_bookings_follow_may_change_for_every_role(world):
    """The queryset and the service's rule agree, booking by booking."""
    lead = _trust_science_lead(world.trust_a)
    teacher = f.UserFactory(person=f.PersonFactory(academy=world.academy_a, job_role=JobRole.TEACHER))
    event = f.EventFactory(network=world.network)
    bookings = [
        f.BookingFactory(event=event, person=world.person_a),
        f.BookingFactory(event=event, person=teacher.person),
        f.BookingFactory(event=event, person=world.person_b),
        f.BookingFactory(event=event, person=f.PersonFactory(academy=None, trust=world.trust_a)),
        f.BookingFactory(event=event, person=f.PersonFactory(academy=world.academy_b), booked_by=lead),
        f.BookingFactory(event=event, person=f.PersonFactory(academy=f.AcademyFactory(trust=world.trust_a))),
    ]
    users = [world.coordinator, world.executive_a, world.leader_a, world.visitor, world.steering, lead, teacher]
    for user in users:
        expected = {b.pk for b in bookings if has(user, "events.cancel_booking", b)}
        assert set(selectors.bookings_changeable_by(user).values_list("pk", flat=True)) == expected, user
