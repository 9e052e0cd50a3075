"""Helpers for the attendance, certificate, calendar and CPD-record tests: events that
have already happened (attendance can only be taken once an event has started) and
attendance rows made directly, for tests that are not about how they were made."""

import datetime
import io

from django.utils import timezone

from events.models import Attendance
from tests import factories as f


def days_ago(days: int, hour: int = 16) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def at(day: datetime.date, hour: int = 16) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def past_event(network, *, days: int = 2, **kwargs):
    """A 90-minute webinar that happened `days` ago."""
    starts_at = kwargs.pop("starts_at", None) or days_ago(days)
    return f.EventFactory(
        network=network, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=90), **kwargs
    )


def attended(booking, *, attended: bool = True, minutes=None) -> Attendance:
    return Attendance.objects.create(booking=booking, attended=attended, minutes_attended=minutes, source="register")


def csv_file(text: str, encoding: str = "utf-8", name: str = "attendance.csv") -> io.BytesIO:
    handle = io.BytesIO(text.encode(encoding))
    handle.name = name
    return handle


# -- Trust B's objects for tests/test_access_matrix.py ------------------------------------


def b_past_booking(world):
    """A confirmed booking of trust B's person for an event that has happened."""
    return f.BookingFactory(event=past_event(world.network), person=world.person_b)


def b_register(world) -> dict:
    return {"pk": b_past_booking(world).event_id}


def b_override(world) -> dict:
    booking = b_past_booking(world)
    return {"pk": booking.event_id, "booking_pk": booking.pk}


def b_certificate(world) -> dict:
    return {"booking_pk": attended(b_past_booking(world)).booking_id}


def b_verification_code(world) -> dict:
    return {"code": attended(b_past_booking(world)).verification_code}


def b_upcoming_booking(world) -> dict:
    return {"pk": f.BookingFactory(event=f.EventFactory(network=world.network), person=world.person_b).pk}
