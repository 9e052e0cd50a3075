"""Booking rules: capacity, the waitlist and its promotion, per-trust caps, windows,
audience, the cancellation cut-off, offers, approval, and the audit trail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from events.models import Booking, Event
from events.services.booking import (
    booking_approve,
    booking_cancel,
    booking_confirm_offer,
    booking_create,
    booking_decline,
)
from events.services.notifications import approval_from_token, approval_token
from events.services.waitlist import OFFER_VALID_FOR, waitlist_promote
from network.base.models import OutboxMessage
from tests import factories as f
from trusts.models import JobRole

pytestmark = pytest.mark.django_db
Status = Booking.Status


def _snapshot(event):
    """Everything a refused action must leave untouched."""
    return (
        list(Booking.objects.filter(event=event).values_list("pk", "status").order_by("pk")),
        OutboxMessage.objects.count(),
    )


def _keys():
    return set(OutboxMessage.objects.values_list("key", flat=True))


# -- Capacity and the waitlist --------------------------------------------------------


def test_booking_create_confirms_until_full_then_waitlists():
    event = f.EventFactory(capacity=2)
    bookings = [booking_create(event=event, person=f.PersonFactory(), by=None) for _ in range(3)]
    assert [b.status for b in bookings] == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
    assert bookings[2].status_reason == "The event is full."
    assert bookings[0].confirmed_at is not None
    assert _keys() == {
        f"booking:{bookings[0].pk}:confirmed",
        f"booking:{bookings[1].pk}:confirmed",
        f"booking:{bookings[2].pk}:waitlisted",
    }


def test_booking_create_twice_returns_the_live_booking():
    event = f.EventFactory()
    person = f.PersonFactory()
    first = booking_create(event=event, person=person, by=None)
    second = booking_create(event=event, person=person, by=None)
    assert second.pk == first.pk
    assert Booking.objects.filter(event=event, person=person).count() == 1
    assert OutboxMessage.objects.count() == 1


def test_booking_create_records_trust_and_academy_on_the_day_and_who_booked(world):
    event = f.EventFactory(network=world.network)
    booking = booking_create(event=event, person=world.person_a, by=world.coordinator)
    assert booking.trust_at_booking == world.trust_a
    assert booking.academy_at_booking == world.academy_a
    assert booking.booked_by == world.coordinator


def test_session_capacity_waitlists_when_the_session_is_full():
    session = f.SessionFactory(capacity=1, event__capacity=10)
    first = booking_create(event=session.event, person=f.PersonFactory(), by=None, session=session)
    second = booking_create(event=session.event, person=f.PersonFactory(), by=None, session=session)
    assert first.status == Status.CONFIRMED
    assert second.status == Status.WAITLISTED
    assert session.title in second.status_reason


def test_session_of_another_event_is_refused():
    session = f.SessionFactory()
    event = f.EventFactory()
    with pytest.raises(ValidationError):
        booking_create(event=event, person=f.PersonFactory(), by=None, session=session)
    assert Booking.objects.count() == 0


def test_per_trust_cap_waitlists_with_the_reason():
    event = f.EventFactory(capacity=10, per_trust_cap=2)
    academy = f.AcademyFactory()
    statuses = [booking_create(event=event, person=f.PersonFactory(academy=academy), by=None) for _ in range(3)]
    other_trust = booking_create(event=event, person=f.PersonFactory(), by=None)
    assert [b.status for b in statuses] == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
    assert "most one trust may hold" in statuses[2].status_reason
    assert other_trust.status == Status.CONFIRMED


# -- Windows, audience and the cut-off: a clear message, nothing changed ------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"booking_opens_at": timezone.now() + timedelta(days=2)}, "opens on"),
        ({"booking_closes_at": timezone.now() - timedelta(hours=1)}, "closed on"),
        ({"status": Event.Status.CANCELLED}, "cancelled"),
    ],
)
def test_booking_outside_the_window_is_refused_and_changes_nothing(changes, message):
    event = f.EventFactory(**changes)
    before = _snapshot(event)
    with pytest.raises(ValidationError) as error:
        booking_create(event=event, person=f.PersonFactory(), by=None)
    assert message in " ".join(error.value.messages)
    assert _snapshot(event) == before


def test_booking_an_event_for_other_roles_is_refused_and_changes_nothing():
    event = f.EventFactory(audience_roles=[JobRole.ECT, JobRole.TRAINEE])
    before = _snapshot(event)
    with pytest.raises(ValidationError) as error:
        booking_create(event=event, person=f.PersonFactory(job_role=JobRole.HEAD_OF_SCIENCE), by=None)
    text = " ".join(error.value.messages)
    assert "early career teacher (ECT), trainee teacher" in text  # the acronym keeps its capitals
    assert "head of science" in text
    assert _snapshot(event) == before
    ect = booking_create(event=event, person=f.PersonFactory(job_role=JobRole.ECT), by=None)
    assert ect.status == Status.CONFIRMED


def test_booking_an_event_for_another_phase_is_refused():
    event = f.EventFactory(audience_phases=["primary"])
    with pytest.raises(ValidationError, match="primary phase academies"):
        booking_create(event=event, person=f.PersonFactory(), by=None)
    assert Booking.objects.count() == 0


def test_cancel_after_the_cut_off_is_refused_and_changes_nothing():
    event = f.EventFactory(starts_at=timezone.now() + timedelta(hours=20), cancel_until_hours=48)
    person = f.PersonFactory()
    booking = f.BookingFactory(event=event, person=person)
    before = _snapshot(event)
    with pytest.raises(ValidationError, match="could be cancelled until"):
        booking_cancel(booking=booking, by=f.UserFactory(person=person))
    assert _snapshot(event) == before


def test_coordinator_may_cancel_after_the_cut_off():
    event = f.EventFactory(starts_at=timezone.now() + timedelta(hours=20), cancel_until_hours=48)
    booking = f.BookingFactory(event=event)
    booking_cancel(booking=booking, by=f.coordinator())
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED


def test_waitlisted_person_may_leave_the_waitlist_after_the_cut_off():
    event = f.EventFactory(starts_at=timezone.now() + timedelta(hours=20), cancel_until_hours=48)
    booking = f.BookingFactory(event=event, status=Status.WAITLISTED, confirmed_at=None)
    booking_cancel(booking=booking, by=None)
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED


def test_cancel_by_someone_else_is_refused(world):
    booking = f.BookingFactory(person=world.person_b)
    with pytest.raises(PermissionDenied):
        booking_cancel(booking=booking, by=world.leader_a)
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED


def test_cancel_twice_is_harmless():
    booking = f.BookingFactory()
    booking_cancel(booking=booking, by=None)
    booking_cancel(booking=booking, by=None)
    assert OutboxMessage.objects.filter(key=f"booking:{booking.pk}:cancelled").count() == 1


# -- Promotion --------------------------------------------------------------------------


def test_cancel_promotes_the_first_waitlisted_and_emails_them(django_capture_on_commit_callbacks):
    event = f.EventFactory(capacity=1)
    leaver = booking_create(event=event, person=f.PersonFactory(), by=None)
    first = booking_create(event=event, person=f.PersonFactory(), by=None)
    second = booking_create(event=event, person=f.PersonFactory(), by=None)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=leaver, by=None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.CONFIRMED
    assert second.status == Status.WAITLISTED
    promoted = OutboxMessage.objects.get(key=f"booking:{first.pk}:promoted")
    assert promoted.to == first.person.email
    assert promoted.status == OutboxMessage.Status.SENT
    assert {m.to[0] for m in mail.outbox} == {leaver.person.email, first.person.email}
    assert any("A place for you" in m.subject for m in mail.outbox)


def test_promotion_skips_a_trust_at_its_cap():
    event = f.EventFactory(capacity=3, per_trust_cap=1)
    academy = f.AcademyFactory()
    capped = booking_create(event=event, person=f.PersonFactory(academy=academy), by=None)
    others = [booking_create(event=event, person=f.PersonFactory(), by=None) for _ in range(2)]
    same_trust = booking_create(event=event, person=f.PersonFactory(academy=academy), by=None)
    later = booking_create(event=event, person=f.PersonFactory(), by=None)
    assert same_trust.status == Status.WAITLISTED  # cap
    assert later.status == Status.WAITLISTED  # full
    booking_cancel(booking=others[0], by=None)
    same_trust.refresh_from_db()
    later.refresh_from_db()
    assert same_trust.status == Status.WAITLISTED  # still capped: `capped` holds the trust's place
    assert later.status == Status.CONFIRMED
    booking_cancel(booking=capped, by=None)
    same_trust.refresh_from_db()
    assert same_trust.status == Status.CONFIRMED


def test_place_freed_close_to_the_event_is_offered_with_a_time_limit():
    event = f.EventFactory(capacity=1, starts_at=timezone.now() + timedelta(hours=50), cancel_until_hours=24)
    leaver = booking_create(event=event, person=f.PersonFactory(), by=None)
    waiting = booking_create(event=event, person=f.PersonFactory(), by=None)
    booking_cancel(booking=leaver, by=None)
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    assert timezone.now() < waiting.offer_expires_at <= timezone.now() + OFFER_VALID_FOR
    assert OutboxMessage.objects.filter(key=f"booking:{waiting.pk}:offer").exists()
    # The offer holds the place: a newcomer goes on the waitlist.
    newcomer = booking_create(event=event, person=f.PersonFactory(), by=None)
    assert newcomer.status == Status.WAITLISTED
    booking_confirm_offer(booking=waiting, by=None)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert waiting.offer_expires_at is None


def test_place_freed_after_the_cut_off_is_offered_not_confirmed():
    # Four days away is outside OFFER_WHEN_WITHIN, but the cut-off (96 hours) has passed:
    # confirming outright would leave the person in a place they could not give up.
    event = f.EventFactory(capacity=1, starts_at=timezone.now() + timedelta(hours=80), cancel_until_hours=96)
    leaver = booking_create(event=event, person=f.PersonFactory(), by=None)
    waiting = booking_create(event=event, person=f.PersonFactory(), by=None)
    booking_cancel(booking=leaver, by=f.coordinator())
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    assert waiting.offer_expires_at is not None
    body = OutboxMessage.objects.get(key=f"booking:{waiting.pk}:offer").body_text
    assert "cancellation cut-off" in body
    # Asked, they may still say no.
    booking_cancel(booking=waiting, by=None)
    waiting.refresh_from_db()
    assert waiting.status == Status.CANCELLED


def test_place_freed_just_before_the_cut_off_is_offered():
    # The cut-off is 10 hours away: too little time to notice a confirmation and cancel.
    event = f.EventFactory(capacity=1, starts_at=timezone.now() + timedelta(hours=100), cancel_until_hours=90)
    leaver = booking_create(event=event, person=f.PersonFactory(), by=None)
    waiting = booking_create(event=event, person=f.PersonFactory(), by=None)
    booking_cancel(booking=leaver, by=None)
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED


def test_place_freed_well_before_the_cut_off_is_confirmed():
    event = f.EventFactory(capacity=1, starts_at=timezone.now() + timedelta(hours=200), cancel_until_hours=96)
    leaver = booking_create(event=event, person=f.PersonFactory(), by=None)
    waiting = booking_create(event=event, person=f.PersonFactory(), by=None)
    booking_cancel(booking=leaver, by=None)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert waiting.can_cancel()


def test_offer_never_outlasts_the_start():
    event = f.EventFactory(capacity=1, starts_at=timezone.now() + timedelta(hours=3), cancel_until_hours=0)
    leaver = booking_create(event=event, person=f.PersonFactory(), by=None)
    waiting = booking_create(event=event, person=f.PersonFactory(), by=None)
    booking_cancel(booking=leaver, by=None)
    waiting.refresh_from_db()
    assert waiting.offer_expires_at == event.starts_at


def test_expired_offer_cannot_be_confirmed():
    event = f.EventFactory(capacity=1, starts_at=timezone.now() + timedelta(hours=50))
    booking = f.BookingFactory(
        event=event, status=Status.OFFERED, offer_expires_at=timezone.now() - timedelta(minutes=1), confirmed_at=None
    )
    with pytest.raises(ValidationError, match="expired"):
        booking_confirm_offer(booking=booking, by=None)
    booking.refresh_from_db()
    assert booking.status == Status.OFFERED


def test_raising_capacity_lets_the_waitlist_in():
    event = f.EventFactory(capacity=1)
    booking_create(event=event, person=f.PersonFactory(), by=None)
    waiting = booking_create(event=event, person=f.PersonFactory(), by=None)
    Event.objects.filter(pk=event.pk).update(capacity=2)
    promoted = waitlist_promote(event=event)
    assert [b.pk for b in promoted] == [waiting.pk]


# -- Approval ----------------------------------------------------------------------------


@pytest.fixture
def approval_world(world):
    """An event needing approval; leader_a (a head of science) approves for academy A."""
    teacher = f.PersonFactory(academy=world.academy_a, job_role=JobRole.TEACHER)
    headteacher = f.PersonFactory(academy=world.academy_a, job_role=JobRole.HEADTEACHER)
    event = f.EventFactory(network=world.network, needs_approval=True, capacity=1)
    return world, teacher, headteacher, event


def test_needs_approval_waits_and_emails_the_approvers(approval_world):
    world, teacher, headteacher, event = approval_world
    booking = booking_create(event=event, person=teacher, by=None)
    assert booking.status == Status.PENDING_APPROVAL
    requests = OutboxMessage.objects.filter(key__startswith=f"booking:{booking.pk}:approval-request:")
    assert {m.to for m in requests} == {world.person_a.email, headteacher.email}
    assert all("/events/approvals/" in m.body_text for m in requests)
    # Awaiting approval holds no place.
    other = booking_create(event=f.EventFactory(capacity=1), person=f.PersonFactory(), by=None)
    assert other.status == Status.CONFIRMED


def test_approval_request_email_shows_hours_as_people_write_them(approval_world):
    world, teacher, _, event = approval_world  # the factory's event gives 1.5 CPD hours
    booking = booking_create(event=event, person=teacher, by=None)
    request = OutboxMessage.objects.get(key=f"booking:{booking.pk}:approval-request:{world.person_a.pk}")
    assert "CPD hours: 1.5\n" in request.body_text
    assert "CPD hours: 1.5</p>" in request.body_html
    assert "1.50" not in request.body_text + request.body_html


def test_approval_by_the_head_of_science_confirms(approval_world):
    world, teacher, _, event = approval_world
    booking = booking_create(event=event, person=teacher, by=None)
    booking_approve(booking=booking, by=world.leader_a)
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert booking.approved_by == world.leader_a
    assert booking.approved_at is not None
    assert OutboxMessage.objects.filter(key=f"booking:{booking.pk}:confirmed").exists()


def test_approval_when_full_waitlists(approval_world):
    world, teacher, _, event = approval_world
    f.BookingFactory(event=event)
    booking = booking_create(event=event, person=teacher, by=None)
    booking_approve(booking=booking, by=world.leader_a)
    booking.refresh_from_db()
    assert booking.status == Status.WAITLISTED


def test_decline_tells_the_person(approval_world):
    world, teacher, _, event = approval_world
    booking = booking_create(event=event, person=teacher, by=None)
    booking_decline(booking=booking, by=world.leader_a)
    booking.refresh_from_db()
    assert booking.status == Status.DECLINED
    assert booking.declined_by == world.leader_a
    assert OutboxMessage.objects.get(key=f"booking:{booking.pk}:declined").to == teacher.email
    # Declined is not live: they may ask again.
    again = booking_create(event=event, person=teacher, by=None)
    assert again.pk != booking.pk


def test_approval_after_the_event_has_started_is_refused_and_changes_nothing(approval_world):
    world, teacher, headteacher, event = approval_world
    booking = booking_create(event=event, person=teacher, by=None)
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=1))
    before = _snapshot(event)
    with pytest.raises(ValidationError, match="can no longer be approved"):
        booking_approve(booking=booking, by=world.leader_a)
    with pytest.raises(ValidationError, match="can no longer be approved"):
        booking_approve(booking=booking, by=None, approver=headteacher)
    assert _snapshot(event) == before
    # Declining still closes the request and tells the person.
    booking_decline(booking=booking, by=world.leader_a)
    booking.refresh_from_db()
    assert booking.status == Status.DECLINED
    assert OutboxMessage.objects.filter(key=f"booking:{booking.pk}:declined").exists()


def test_approval_by_another_academy_or_by_themselves_is_refused(approval_world):
    world, teacher, _, event = approval_world
    booking = booking_create(event=event, person=teacher, by=None)
    stranger = f.leader(world.academy_b)
    with pytest.raises(PermissionDenied):
        booking_approve(booking=booking, by=stranger)
    own = booking_create(event=event, person=world.person_a, by=world.leader_a)
    with pytest.raises(PermissionDenied):
        booking_approve(booking=own, by=world.leader_a)
    booking.refresh_from_db()
    assert booking.status == Status.PENDING_APPROVAL


def test_approval_link_token_names_the_booking_and_the_approver(approval_world):
    _, teacher, headteacher, event = approval_world
    booking = booking_create(event=event, person=teacher, by=None)
    token = approval_token(booking=booking, approver=headteacher)
    assert approval_from_token(token) == (booking, headteacher)
    assert approval_from_token(token + "x") is None
    booking_approve(booking=booking, by=None, approver=headteacher)
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert booking.history.first().history_change_reason == f"Approved by {headteacher}"


def test_academy_without_an_approver_asks_the_coordinators(world):
    coordinator = world.coordinator
    lone = f.PersonFactory(academy=f.AcademyFactory(), job_role=JobRole.TEACHER)
    booking = booking_create(event=f.EventFactory(needs_approval=True), person=lone, by=None)
    assert OutboxMessage.objects.get(key=f"booking:{booking.pk}:approval-request:user-{coordinator.pk}").to == (
        coordinator.email
    )


# -- Audit trail ---------------------------------------------------------------------------


def test_every_state_change_is_in_the_history_with_who_and_when():
    event = f.EventFactory(capacity=1, starts_at=timezone.now() + timedelta(days=10))
    leaver_user = f.UserFactory(person=f.PersonFactory())
    waiting_user = f.UserFactory(person=f.PersonFactory())
    leaver = booking_create(event=event, person=leaver_user.person, by=leaver_user)
    waiting = booking_create(event=event, person=waiting_user.person, by=waiting_user)
    booking_cancel(booking=leaver, by=leaver_user)
    trail = list(
        waiting.history.order_by("history_date").values_list("status", "history_user", "history_change_reason")
    )
    assert trail == [
        (Status.WAITLISTED, waiting_user.pk, "Booked"),
        (Status.CONFIRMED, leaver_user.pk, "Promoted from the waitlist"),
    ]
    assert [h.status for h in leaver.history.order_by("history_date")] == [Status.CONFIRMED, Status.CANCELLED]
    assert all(h.history_date for h in leaver.history.all())


def test_booking_for_someone_out_of_scope_is_refused(world):
    with pytest.raises(PermissionDenied):
        booking_create(event=f.EventFactory(), person=world.person_b, by=world.leader_a)
    assert not Booking.objects.exists()
