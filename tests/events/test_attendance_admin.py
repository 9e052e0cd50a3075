"""The back office shows attendance and its history read-only."""

import pytest
from django.urls import reverse

from events.attendance import services as svc
from tests import factories as f
from tests.events.cpd_helpers import past_event

pytestmark = pytest.mark.django_db


def test_coordinator_reads_attendance_and_its_history_in_the_admin(client, world):
    booking = f.BookingFactory(event=past_event(world.network), person=world.person_a)
    row = svc.attendance_override(
        booking=booking, attended=True, reason="Signed the paper register", by=world.coordinator
    )
    client.force_login(world.coordinator)
    assert client.get(reverse("admin:events_attendance_changelist")).status_code == 200
    change = client.get(reverse("admin:events_attendance_change", args=[row.pk]))
    assert change.status_code == 200
    assert "Signed the paper register" in change.text
    history = client.get(reverse("admin:events_attendance_history", args=[row.pk]))
    assert history.status_code == 200
    assert client.get(reverse("admin:events_calendarfeed_changelist")).status_code == 200
    assert client.get(reverse("admin:events_attendance_add")).status_code == 403
