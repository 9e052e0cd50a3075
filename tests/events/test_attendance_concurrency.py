"""Two people taking one register at once, on PostgreSQL: the booking's row lock means one
attendance row per booking and no error pages, whatever order the writes land in."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from events.attendance import services as svc
from events.attendance.platform_report import attendance_import_csv
from events.models import Attendance
from tests import factories as f
from tests.events.cpd_helpers import csv_file, past_event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _together(jobs):
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait(timeout=30)
            job()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        list(pool.map(run, jobs))
    return errors


def test_concurrent_marks_make_one_attendance_row(postgres):
    coordinator = f.coordinator()
    event = past_event(f.NetworkFactory())
    bookings = [f.BookingFactory(event=event) for _ in range(10)]
    ids = [b.pk for b in bookings]
    jobs = [
        lambda: svc.attendance_mark_bulk(event=event, booking_ids=ids, attended=True, by=coordinator),
        lambda: svc.attendance_mark_bulk(event=event, booking_ids=list(reversed(ids)), attended=True, by=coordinator),
        lambda: svc.attendance_mark(booking=bookings[0], attended=True, by=coordinator),
        lambda: attendance_import_csv(
            event=event,
            file=csv_file("Email,Minutes attended\n" + "".join(f"{b.person.email},90\n" for b in bookings)),
            minimum_minutes=45,
            by=coordinator,
        ),
    ]
    assert _together(jobs) == []
    assert Attendance.objects.count() == 10
    assert set(Attendance.objects.values_list("attended", flat=True)) == {True}
