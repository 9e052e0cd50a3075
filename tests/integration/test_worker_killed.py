"""Faults that lose nothing: a real worker killed with -9 in the middle of sending the
reminders, then a second worker (and the sweeps beat runs). Afterwards every reminder
was sent, and none more than once except at most the one in flight when the worker died
(README, "Delivery guarantee"). PostgreSQL, Redis and real worker processes: see
tests/integration/workers.py."""

import os
import signal
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from events.models import Booking
from events.tasks import send_reminders
from network.base import outbox
from network.base.models import OutboxMessage
from network.base.tasks import sweep_outbox
from tests import factories as f
from tests.integration.workers import publishing_to_own_queue, require_postgres_and_redis, start_worker, stop_worker

pytestmark = pytest.mark.integration

REMINDERS = 40
KILL_AFTER = 12  # sent when the first worker is killed
WAIT_SECONDS = 120


def _sent_ids(path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def _wait(condition, what: str, worker, logs):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline and worker.poll() is None:
        if condition():
            return
        time.sleep(0.2)
    tails = "\n".join(f"--- {log.name}\n{log.read_text()[-2500:]}" for log in logs if log.exists())
    pytest.fail(f"{what} did not happen (worker exit code {worker.poll()}).\n{tails}")


@pytest.fixture
def reminders_due(transactional_db):
    """Forty confirmed bookings of an event in three days: each is due its 7-day reminder."""
    event = f.EventFactory(starts_at=timezone.now() + timedelta(days=3), capacity=REMINDERS)
    long_ago = timezone.now() - timedelta(days=30)
    for _ in range(REMINDERS):
        f.BookingFactory(event=event, confirmed_at=long_ago)
    return event


def test_worker_killed_mid_sweep_loses_no_reminder_and_repeats_at_most_one(reminders_due, tmp_path):
    require_postgres_and_redis()
    sent_file = tmp_path / "sent.txt"
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
        "RECORDING_MAIL_FILE": str(sent_file),
        "RECORDING_MAIL_DELAY": "0.2",
        "PORTAL_BASE_URL": settings.PORTAL_BASE_URL,  # the Message-ID's host, as in this process
        # The second worker takes over a claim the dead one left after 2 s, not 10 min.
        "OUTBOX_CLAIM_LEASE_SECONDS": "2",
    }
    with publishing_to_own_queue() as queue:
        env["TEST_CELERY_QUEUE"] = queue
        first = start_worker(queue=queue, log=logs[0], env=env)
        try:
            send_reminders.delay()  # what beat does every five minutes
            _wait(lambda: len(_sent_ids(sent_file)) >= KILL_AFTER, f"{KILL_AFTER} reminders sent", first, logs)
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        finally:
            stop_worker(first)
        assert first.returncode == -signal.SIGKILL
        keys = list(OutboxMessage.objects.values_list("key", flat=True))
        assert len(keys) == REMINDERS  # the sweep had queued every reminder before dying
        left = OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).count()
        assert left > 0, "the worker was killed too late to prove anything"

        # Time passes: the sweep's grace period for fresh messages is over.
        OutboxMessage.objects.update(created_at=timezone.now() - outbox.SWEEP_GRACE - timedelta(seconds=1))
        second = start_worker(queue=queue, log=logs[1], env=env)
        try:
            send_reminders.delay()  # the next run queues nothing new: every key exists
            time.sleep(3)  # past the dead worker's 2-second claim

            def all_sent() -> bool:
                if OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists():
                    sweep_outbox.delay()  # what beat does every minute
                    time.sleep(1)
                    return False
                return True

            _wait(all_sent, "every reminder sent", second, logs)
        finally:
            stop_worker(second)

    sent = Counter(_sent_ids(sent_file))
    expected = {outbox.message_id_for(key) for key in keys}
    assert set(sent) == expected, "a reminder was lost (or something else was sent)"
    repeats = {message_id: n for message_id, n in sent.items() if n > 1}
    assert len(repeats) <= 1 and all(n == 2 for n in repeats.values()), repeats
    assert Booking.objects.count() == REMINDERS
