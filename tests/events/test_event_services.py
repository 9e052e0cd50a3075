"""Coordinators' event operations: cancel (everyone told once) and duplicate (a series)."""

import datetime
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Booking, Event, Session
from events.services.booking import booking_cancel, booking_create
from events.services.event_admin import event_cancel, event_duplicate
from events.services.waitlist import waitlist_promote
from network.base.models import OutboxMessage
from tests import factories as f

pytestmark = pytest.mark.django_db
Status = Booking.Status


def test_event_cancel_tells_everyone_booked_once(django_capture_on_commit_callbacks):
    event = f.EventFactory(capacity=2)
    people = [f.PersonFactory() for _ in range(4)]
    for person in people:
        booking_create(event=event, person=person, by=None)
    gone = Booking.objects.filter(event=event).first()
    booking_cancel(booking=gone, by=None)  # already cancelled: not told again
    coordinator = f.coordinator()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=event, by=coordinator, reason="The speaker is unwell.")
        event_cancel(event=event, by=coordinator, reason="Twice")
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert event.cancelled_reason == "The speaker is unwell."
    assert set(Booking.objects.filter(event=event).values_list("status", flat=True)) == {Status.CANCELLED}
    told = sorted(m.to[0] for m in mail.outbox)
    assert told == sorted(p.email for p in people if p != gone.person)
    assert all("The speaker is unwell." in m.body for m in mail.outbox)
    assert OutboxMessage.objects.filter(key__endswith=":event-cancelled").count() == 3


def test_cancelled_event_cannot_be_booked_and_promotes_no_one():
    event = f.EventFactory(capacity=1)
    event_cancel(event=event, by=None, reason="")
    assert waitlist_promote(event=event) == []
    with pytest.raises(Exception, match="cancelled"):
        booking_create(event=event, person=f.PersonFactory(), by=None)


def test_event_duplicate_moves_times_window_and_sessions():
    event = f.EventFactory(
        kind="conference",
        booking_opens_at=timezone.now() - timedelta(days=1),
        booking_closes_at=timezone.now() + timedelta(days=20),
        audience_roles=["head_of_science"],
        per_trust_cap=3,
        needs_approval=True,
    )
    f.SessionFactory(event=event, title="Practicals")
    f.BookingFactory(event=event)
    coordinator = f.coordinator()
    copy = event_duplicate(event=event, by=coordinator, shift_days=91)
    assert copy.pk != event.pk
    assert copy.starts_at == event.starts_at + timedelta(days=91)
    assert copy.ends_at == event.ends_at + timedelta(days=91)
    assert copy.booking_closes_at == event.booking_closes_at + timedelta(days=91)
    assert (copy.audience_roles, copy.per_trust_cap, copy.needs_approval) == (["head_of_science"], 3, True)
    assert copy.duplicated_from == event
    assert copy.created_by == coordinator
    assert copy.series == event.title
    event.refresh_from_db()
    assert event.series == event.title
    assert copy.bookings.count() == 0
    session = Session.objects.get(event=copy)
    assert session.title == "Practicals"
    assert session.starts_at == copy.starts_at


def test_event_duplicate_to_a_new_start():
    event = f.EventFactory()
    new_start = timezone.make_aware(datetime.datetime(2031, 1, 15, 16, 0))
    copy = event_duplicate(event=event, by=None, starts_at=new_start)
    assert copy.starts_at == new_start
    assert copy.ends_at - copy.starts_at == event.ends_at - event.starts_at
