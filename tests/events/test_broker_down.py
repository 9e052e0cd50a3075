"""A booking succeeds within seconds while the broker refuses connections, and its
confirmation goes out on the next outbox sweep."""

import time
from datetime import timedelta
from unittest import mock

import pytest

from events.models import Booking
from events.services.booking import booking_create
from network.base import outbox
from network.base.models import OutboxMessage
from tests import factories as f
from tests.integration.test_broker_down import broker_refusing  # noqa: F401  (fixture)

pytestmark = pytest.mark.integration


def test_booking_succeeds_with_the_broker_down_and_the_sweep_sends_the_confirmation(
    broker_refusing,  # noqa: F811  (the fixture imported above)
    transactional_db,
    mailoutbox,
):
    event = f.EventFactory(title="Required practicals in physics")
    person = f.PersonFactory()
    started = time.perf_counter()
    booking = booking_create(event=event, person=person, by=None)
    elapsed = time.perf_counter() - started
    print(f"\nbooking_create with the broker refusing connections took {elapsed:.3f} s")
    assert elapsed < 5
    assert booking.status == Booking.Status.CONFIRMED
    message = OutboxMessage.objects.get(key=f"booking:{booking.pk}:confirmed")
    assert message.status == OutboxMessage.Status.PENDING
    assert mailoutbox == []
    with mock.patch.object(outbox, "SWEEP_GRACE", timedelta(0)):
        assert outbox.sweep() == 1
    assert [m.to for m in mailoutbox] == [[person.email]]
    assert "Required practicals in physics" in mailoutbox[0].subject
