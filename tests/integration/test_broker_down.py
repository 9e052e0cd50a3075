"""With the broker down, a change that sends email still succeeds, and the sweep delivers
the email later. The broker is a Redis address that refuses connections (port 1 on
loopback), so this runs anywhere, with or without a Redis server."""

import contextlib
import logging
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from kombu import pools
from kombu.exceptions import OperationalError

from network.base import outbox, services
from network.base.models import OutboxMessage, Role
from network.base.tasks import send_outbox_message
from network.celery import app as celery_app
from tests import factories as f

pytestmark = pytest.mark.integration

REFUSING_BROKER = "redis://127.0.0.1:1/0"


def drop_broker_connections():
    """Forget pooled broker connections so the next publish connects to the configured
    URL. Celery keeps its pools (built once, lazily) on the app and kombu keeps them in a
    registry keyed by connection: clear both, as Celery itself does after a fork."""
    pools.reset()
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextlib.contextmanager
def redis_broker_at(url):
    """Publish for real to a Redis broker at `url`, with the production transport options
    from settings (socket and connect timeouts), whatever this run's REDIS_URL is."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.broker_transport_options, conf.task_always_eager)
    conf.broker_url = url
    conf.broker_transport_options = settings.REDIS_BROKER_TRANSPORT_OPTIONS
    conf.task_always_eager = False
    drop_broker_connections()
    try:
        yield
    finally:
        conf.broker_url, conf.broker_transport_options, conf.task_always_eager = saved
        drop_broker_connections()


@pytest.fixture
def broker_refusing(monkeypatch):
    # An environment variable would win over the app's configuration.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    with redis_broker_at(REFUSING_BROKER):
        yield


def test_broker_refusing_is_what_the_app_publishes_to(broker_refusing):
    """The fixture really takes effect: publishing straight to the broker fails."""
    with celery_app.connection_for_write() as conn:
        assert (conn.hostname, conn.port) == ("127.0.0.1", 1)
    with pytest.raises(OperationalError):
        send_outbox_message.delay(0)


def test_invitation_succeeds_with_the_broker_down_and_the_sweep_sends_it(
    broker_refusing, transactional_db, mailoutbox, caplog, record_property
):
    coordinator = f.coordinator(full_name="Priya Shah")

    # transactional_db: the service's transaction really commits, so the on-commit
    # dispatch really tries the broker.
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="network.base.outbox"):
        invitation, _token = services.invitation_create(
            email="grace.adeyemi@school.example", role=Role.VISITOR, by=coordinator
        )
    elapsed = time.perf_counter() - started
    record_property("invitation_create_seconds_with_broker_down", round(elapsed, 3))
    print(f"\ninvitation_create with the broker refusing connections took {elapsed:.3f} s")

    assert any("left for the sweep" in r.getMessage() for r in caplog.records), "dispatch never tried the broker"
    message = OutboxMessage.objects.get(key=f"invitation:{invitation.pk}")
    assert message.status == OutboxMessage.Status.PENDING
    assert mailoutbox == []

    with mock.patch.object(outbox, "SWEEP_GRACE", timedelta(0)):
        assert outbox.sweep() == 1

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert [m.to for m in mailoutbox] == [["grace.adeyemi@school.example"]]
    assert "Priya Shah has invited you" in mailoutbox[0].body


@pytest.fixture
def broker_hung(monkeypatch):
    """A broker that accepts connections and never answers: the worst case, a Redis that
    is up but stuck. Without the socket and connect timeouts in settings a publish would
    wait here for as long as the operating system lets a connection hang."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held, stop = [], threading.Event()

    def accept_and_say_nothing():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_say_nothing, daemon=True)
    thread.start()
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    try:
        with redis_broker_at(f"redis://127.0.0.1:{server.getsockname()[1]}/0"):
            yield held
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


def test_booking_succeeds_with_a_hung_broker_and_its_email_waits_for_the_sweep(
    broker_hung, transactional_db, mailoutbox, record_property
):
    from events.models import Booking
    from events.services.booking import booking_create

    event = f.EventFactory()
    person = f.PersonFactory()
    started = time.perf_counter()
    booking = booking_create(event=event, person=person, by=None)
    elapsed = time.perf_counter() - started
    record_property("booking_create_seconds_with_broker_hung", round(elapsed, 3))
    print(f"\nbooking_create with a hung broker took {elapsed:.3f} s")

    assert broker_hung, "the publish never reached the hung broker"
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED
    message = OutboxMessage.objects.get(key=f"booking:{booking.pk}:confirmed")
    assert message.status == OutboxMessage.Status.PENDING and mailoutbox == []
    with mock.patch.object(outbox, "SWEEP_GRACE", timedelta(0)):
        assert outbox.sweep() >= 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
