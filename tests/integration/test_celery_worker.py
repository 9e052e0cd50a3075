"""A real Celery worker, a real Redis, a real PostgreSQL: an email written through the
outbox is delivered by a worker process, by the task queued on commit and by the sweep.
How the worker is started, and why these tests need PostgreSQL: tests/integration/workers.py.
"""

import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from network.base import outbox
from network.base.models import OutboxMessage
from network.base.tasks import sweep_outbox
from tests.integration.workers import publishing_to_own_queue, require_postgres_and_redis, start_worker, stop_worker

pytestmark = pytest.mark.integration

WAIT_SECONDS = 60  # worker start-up (Django, Celery) on a busy 2-core CI machine included


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    """Start a worker on a queue of its own; stop it afterwards, always. Yields the
    worker process and its log file path, for failure messages."""
    require_postgres_and_redis()
    log = tmp_path / "worker.log"
    with publishing_to_own_queue() as queue:
        worker = start_worker(queue=queue, log=log)
        try:
            yield worker, log
        finally:
            stop_worker(worker)


def wait_until_sent(message_id: int, worker, log: Path) -> OutboxMessage:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        message = OutboxMessage.objects.get(pk=message_id)
        if message.status not in (OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING):
            return message
        if worker.poll() is not None:
            pytest.fail(f"The worker exited with {worker.returncode}:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    pytest.fail(f"Message {message_id} still pending after {WAIT_SECONDS} s. Worker log:\n{log.read_text()[-3000:]}")


@contextmanager
def broker_down_while_enqueuing():
    """Write the row as if the broker had been down: nothing is queued on commit."""
    with mock.patch("network.base.outbox.dispatch") as dispatch:
        yield
    assert dispatch.called


def test_worker_sends_the_message_queued_on_commit(celery_worker, mailoutbox):
    worker, log = celery_worker
    with transaction.atomic():
        message = outbox.enqueue(
            key="integration:worker:1",
            to="amira.hussain@school.example",
            template="network/email/invitation",
            context={"role": "Science leader", "link": "http://testserver/invitations/not-a-token/"},
        )
        assert message.status == OutboxMessage.Status.PENDING
    # On commit, dispatch() published network.send_outbox_message to Redis; the worker
    # process takes it from there.
    message = wait_until_sent(message.pk, worker, log)
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    # Sent by the worker process (its console backend printed it), not by this one.
    assert "amira.hussain@school.example" in log.read_text()
    assert mailoutbox == []


def test_worker_sweep_delivers_a_message_left_pending(celery_worker, mailoutbox):
    worker, log = celery_worker
    with broker_down_while_enqueuing(), transaction.atomic():
        message = outbox.enqueue_rendered(
            key="integration:sweep:1", to="owen.price@school.example", subject="Hub meeting", body_text="See you."
        )
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - outbox.SWEEP_GRACE - timedelta(minutes=1)
    )

    sweep_outbox.delay()  # what beat does every minute, run by the worker

    message = wait_until_sent(message.pk, worker, log)
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert "owen.price@school.example" in log.read_text()
    assert mailoutbox == []
