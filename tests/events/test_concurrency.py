"""Capacity under load, on PostgreSQL: concurrent bookings queue on the event's row lock,
so exactly `capacity` are confirmed, the rest waitlisted, none lost, none doubled."""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from events.models import Booking
from events.services.booking import booking_cancel, booking_create
from network.base.models import OutboxMessage
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 100
PLACES = 30
# Each thread holds its own connection; PostgreSQL's default max_connections is 100 and
# other clients share the server, so 100 attempts run on a pool of this many threads,
# all released at once by a barrier.
THREADS = int(os.environ.get("EVENTS_CONCURRENCY_THREADS", "25"))


def _run_at_once(jobs):
    """Run `jobs` on THREADS threads, each with its own database connection; every
    thread's first job waits at a barrier so they start together."""
    barrier = threading.Barrier(min(THREADS, len(jobs)))
    results, errors = [], []
    started = threading.local()

    def run(job):
        try:
            if not getattr(started, "yes", False):
                started.yes = True
                barrier.wait(timeout=30)
            results.append(job())
        except Exception as exc:  # noqa: BLE001 - every failure is reported below
            errors.append(exc)
        finally:
            connection.close()  # so the test database can be dropped afterwards

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(run, jobs))
    return results, errors


def test_100_concurrent_bookings_for_30_places(postgres):
    event = f.EventFactory(capacity=PLACES)
    people = [f.PersonFactory() for _ in range(ATTEMPTS)]
    jobs = [lambda p=p: booking_create(event=event, person=p, by=None).status for p in people]
    results, errors = _run_at_once(jobs)
    assert errors == []
    assert len(results) == ATTEMPTS
    statuses = list(Booking.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(Booking.Status.CONFIRMED) == PLACES
    assert statuses.count(Booking.Status.WAITLISTED) == ATTEMPTS - PLACES
    assert Booking.objects.filter(event=event).values("person").distinct().count() == ATTEMPTS
    assert OutboxMessage.objects.filter(key__endswith=":confirmed").count() == PLACES
    assert OutboxMessage.objects.filter(key__endswith=":waitlisted").count() == ATTEMPTS - PLACES


def test_concurrent_double_submits_book_once(postgres):
    event = f.EventFactory(capacity=PLACES)
    person = f.PersonFactory()
    jobs = [lambda: booking_create(event=event, person=person, by=None).pk for _ in range(10)]
    results, errors = _run_at_once(jobs)
    assert errors == []
    assert len(set(results)) == 1
    assert Booking.objects.filter(event=event, person=person).count() == 1


def test_concurrent_session_bookings_respect_the_session_capacity(postgres):
    session = f.SessionFactory(capacity=5, event__capacity=50)
    people = [f.PersonFactory() for _ in range(20)]
    jobs = [lambda p=p: booking_create(event=session.event, person=p, by=None, session=session).status for p in people]
    results, errors = _run_at_once(jobs)
    assert errors == []
    assert results.count(Booking.Status.CONFIRMED) == 5
    assert results.count(Booking.Status.WAITLISTED) == 15


def test_concurrent_cancellations_promote_each_waiting_person_once(postgres):
    event = f.EventFactory(capacity=10)
    confirmed = [booking_create(event=event, person=f.PersonFactory(), by=None) for _ in range(10)]
    waiting = [booking_create(event=event, person=f.PersonFactory(), by=None) for _ in range(10)]
    jobs = [lambda b=b: booking_cancel(booking=b, by=None).status for b in confirmed]
    results, errors = _run_at_once(jobs)
    assert errors == []
    statuses = set(Booking.objects.filter(pk__in=[b.pk for b in waiting]).values_list("status", flat=True))
    assert statuses == {Booking.Status.CONFIRMED}
    assert Booking.objects.filter(event=event, status=Booking.Status.CONFIRMED).count() == 10
