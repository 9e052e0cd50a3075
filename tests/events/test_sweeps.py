"""Sweeps: reminders and the joining link once per (booking, kind), offer expiry, and the
post-event survey recorded as due. Each is safe to run twice or on two workers."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from events import tasks
from events.models import Booking
from events.services.reminders import reminders_send, surveys_mark_due
from events.services.waitlist import offers_expire, requests_expire
from network.base import outbox
from network.base.models import OutboxMessage
from tests import factories as f

Status = Booking.Status


def _confirmed(event, *, booked_days_before=30, **kwargs):
    return f.BookingFactory(event=event, confirmed_at=event.starts_at - timedelta(days=booked_days_before), **kwargs)


@pytest.mark.django_db
def test_reminder_sweep_twice_sends_one_email_per_booking_and_kind(django_capture_on_commit_callbacks):
    now = timezone.now()
    week = f.EventFactory(starts_at=now + timedelta(days=6, hours=12), is_online=False, joining_link="")
    tomorrow = f.EventFactory(starts_at=now + timedelta(hours=20), is_online=False, joining_link="")
    far = f.EventFactory(starts_at=now + timedelta(days=30))
    a, b = _confirmed(week), _confirmed(week)
    c = _confirmed(tomorrow)
    _confirmed(far)
    f.BookingFactory(event=week, status=Status.WAITLISTED, confirmed_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(now=now) == 3
        assert reminders_send(now=now) == 0
        assert tasks.send_reminders() == 0  # the task, as beat runs it
    keys = set(OutboxMessage.objects.values_list("key", flat=True))
    assert keys == {f"booking:{a.pk}:reminder-7d", f"booking:{b.pk}:reminder-7d", f"booking:{c.pk}:reminder-1d"}
    assert len(mail.outbox) == 3
    assert "tomorrow" in next(m.subject for m in mail.outbox if m.to == [c.person.email])


@pytest.mark.django_db
def test_reminders_skip_people_who_booked_after_the_reminder_came_due():
    now = timezone.now()
    event = f.EventFactory(starts_at=now + timedelta(days=3), is_online=False, joining_link="")
    late = f.BookingFactory(event=event, confirmed_at=now - timedelta(hours=1))  # booked 3 days before
    assert reminders_send(now=now) == 0
    assert reminders_send(now=event.starts_at - timedelta(hours=23)) == 1
    assert OutboxMessage.objects.get().key == f"booking:{late.pk}:reminder-1d"


@pytest.mark.django_db
def test_joining_link_goes_an_hour_before_to_confirmed_attendees_only():
    now = timezone.now()
    webinar = f.EventFactory(starts_at=now + timedelta(minutes=50), joining_link="https://meet.example/abc")
    confirmed = _confirmed(webinar)
    f.BookingFactory(event=webinar, status=Status.WAITLISTED, confirmed_at=None)
    f.BookingFactory(event=webinar, status=Status.CANCELLED)
    reminders_send(now=now)
    reminders_send(now=now + timedelta(minutes=5))
    link = OutboxMessage.objects.get(key__endswith=":joining-link")
    assert link.key == f"booking:{confirmed.pk}:joining-link"
    assert "https://meet.example/abc" in link.body_text
    assert "https://meet.example/abc" in link.body_html


@pytest.mark.django_db
def test_no_reminders_for_a_cancelled_event():
    now = timezone.now()
    event = f.EventFactory(starts_at=now + timedelta(hours=10), status="cancelled")
    _confirmed(event)
    assert reminders_send(now=now) == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_queue_and_send_each_reminder_once(postgres):
    now = timezone.now()
    event = f.EventFactory(starts_at=now + timedelta(hours=20), is_online=False, joining_link="")
    bookings = [_confirmed(event) for _ in range(10)]
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            reminders_send(now=now)
            for message_id in OutboxMessage.objects.values_list("pk", flat=True):
                outbox.deliver(message_id)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert OutboxMessage.objects.count() == len(bookings)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(b.person.email for b in bookings)


@pytest.mark.django_db
def test_offer_expiry_sweep_cancels_and_offers_the_next_person():
    event = f.EventFactory(capacity=1, starts_at=timezone.now() + timedelta(hours=40))
    stale = f.BookingFactory(
        event=event, status=Status.OFFERED, offer_expires_at=timezone.now() - timedelta(minutes=1), confirmed_at=None
    )
    next_in_line = f.BookingFactory(event=event, status=Status.WAITLISTED, confirmed_at=None)
    assert tasks.expire_offers() == 1
    assert offers_expire() == 0
    stale.refresh_from_db()
    next_in_line.refresh_from_db()
    assert stale.status == Status.CANCELLED
    assert next_in_line.status == Status.OFFERED
    keys = set(OutboxMessage.objects.values_list("key", flat=True))
    assert keys == {f"booking:{stale.pk}:offer-expired", f"booking:{next_in_line.pk}:offer"}
    assert stale.history.first().history_change_reason == "Offer expired"


@pytest.mark.django_db
def test_survey_is_recorded_as_due_once_after_the_event():
    from events.models import Attendance

    now = timezone.now()
    ended = f.EventFactory(starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1))
    attended = _confirmed(ended)
    unmarked = _confirmed(ended)
    absent = _confirmed(ended)
    Attendance.objects.create(booking=attended, attended=True, source="register")
    Attendance.objects.create(booking=absent, attended=False, source="register")
    cancelled = f.BookingFactory(event=ended, status=Status.CANCELLED)
    upcoming = _confirmed(f.EventFactory())
    long_ago = _confirmed(
        f.EventFactory(starts_at=now - timedelta(days=200), ends_at=now - timedelta(days=200) + timedelta(hours=1))
    )
    assert tasks.mark_surveys_due() == 2
    assert surveys_mark_due() == 0
    due = set(Booking.objects.filter(survey_due_at__isnull=False).values_list("pk", flat=True))
    assert due == {attended.pk, unmarked.pk}
    assert not {absent.pk, cancelled.pk, upcoming.pk, long_ago.pk} & due


@pytest.mark.django_db
def test_requests_nobody_approved_before_the_start_are_closed_and_the_person_told():
    started = f.EventFactory(starts_at=timezone.now() - timedelta(minutes=5), needs_approval=True)
    ahead = f.EventFactory(starts_at=timezone.now() + timedelta(days=3), needs_approval=True)
    stale = f.BookingFactory(event=started, status=Status.PENDING_APPROVAL, confirmed_at=None)
    waiting = f.BookingFactory(event=ahead, status=Status.PENDING_APPROVAL, confirmed_at=None)
    assert tasks.expire_requests() == 1
    assert requests_expire() == 0  # twice: nothing more, no second email
    stale.refresh_from_db()
    waiting.refresh_from_db()
    assert stale.status == Status.DECLINED and "before the event started" in stale.status_reason
    assert waiting.status == Status.PENDING_APPROVAL
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == [f"booking:{stale.pk}:declined"]
    assert stale.history.first().history_change_reason == "Not approved before the event started"
