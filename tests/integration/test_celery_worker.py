"""A real Celery worker, a real Redis, a real PostgreSQL: an email written through the
outbox is delivered by a worker process, by the task queued on commit and by the sweep.

The worker is a separate process, so it must see the test's rows: the test uses
`transactional_db` (rows are committed) on PostgreSQL and hands the worker the test
database's name. SQLite's test database lives in this process's memory, which no other
process can open, so these tests require PostgreSQL (CI runs them there).

Each test gets its own queue name (the default queue is switched for the test, the worker
listens only to it), so a developer's `make run` worker on the same Redis cannot take the
test's messages and deliver them against another database.
"""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import pytest
import redis
from django.db import connection, transaction
from django.utils import timezone

from network.base import outbox
from network.base.models import OutboxMessage
from network.base.tasks import sweep_outbox
from network.celery import app as celery_app
from tests.conftest import require

pytestmark = pytest.mark.integration

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60  # worker start-up (Django, Celery) on a busy 2-core CI machine included


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping())
    except (redis.RedisError, OSError):
        return False


def test_database_url() -> str:
    """The URL of the database this test runs in (the `test_…` one), for the worker."""
    s = connection.settings_dict
    credentials = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        credentials += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{credentials}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{quote(s['NAME'], safe='')}"


test_database_url.__test__ = False  # a helper, not a test


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    """Start `celery -A network worker` on a queue of its own; stop it afterwards, always.
    Yields the worker's log file path, for failure messages."""
    require(connection.vendor == "postgresql", "PostgreSQL (set DATABASE_URL=postgres://...)")
    redis_url = os.environ.get("REDIS_URL", "")
    require(bool(redis_url) and redis_answers(redis_url), "Redis (set REDIS_URL=redis://...)")

    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "network.settings",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": redis_url,
        "EMAIL_URL": "consolemail://",  # the worker prints the email; the row's status tells us
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "network", "worker",
                "--pool=solo", "--concurrency=1", "-Q", queue, "-n", f"{queue}@%h",
                "--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel=INFO",
            ],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    saved = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False  # publish to Redis for real
    celery_app.conf.task_default_queue = queue
    try:
        yield worker, log
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = saved
        worker.terminate()  # SIGTERM: a warm shutdown
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
        # The queue's binding would otherwise stay in Redis, one per run.
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)


def wait_until_sent(message_id: int, worker, log: Path) -> OutboxMessage:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        message = OutboxMessage.objects.get(pk=message_id)
        if message.status != OutboxMessage.Status.PENDING:
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
