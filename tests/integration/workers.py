"""Real Celery workers for integration tests: a separate process on a queue of its own,
against the test's PostgreSQL database and the REDIS_URL Redis.

The worker is a separate process, so it must see the test's rows: tests use
`transactional_db` (rows are committed) on PostgreSQL and hand the worker the test
database's name. SQLite's test database lives in this process's memory, which no other
process can open, so these tests require PostgreSQL (CI runs them there).

Each test gets its own queue name (the default queue is switched for the test, the worker
listens only to it), so a developer's `make run` worker on the same Redis cannot take the
test's messages and deliver them against another database.
"""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import redis
from django.db import connection

from network.celery import app as celery_app
from tests.conftest import require

PROJECT_ROOT = Path(__file__).resolve().parents[2]


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


def require_postgres_and_redis() -> str:
    require(connection.vendor == "postgresql", "PostgreSQL (set DATABASE_URL=postgres://...)")
    redis_url = os.environ.get("REDIS_URL", "")
    require(bool(redis_url) and redis_answers(redis_url), "Redis (set REDIS_URL=redis://...)")
    return redis_url


def start_worker(*, queue: str, log: Path, env: dict | None = None) -> subprocess.Popen:
    """`celery -A network worker` (solo pool: the task runs in the process a test may
    kill) listening to `queue` only, its output in `log`."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "network.settings",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "EMAIL_URL": "consolemail://",  # the worker prints the email; the row's status tells us
        "CELERY_TASK_ALWAYS_EAGER": "0",
        **(env or {}),
    }
    with open(log, "ab") as out:
        return subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "network", "worker",
                "--pool=solo", "--concurrency=1", "-Q", queue, "-n", f"{queue}-{uuid.uuid4().hex[:6]}@%h",
                "--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel=INFO",
            ],
            cwd=PROJECT_ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()  # SIGTERM: a warm shutdown
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=5)


@contextmanager
def publishing_to_own_queue():
    """Publish this test's tasks to Redis for real, on a fresh queue; yields its name.
    The queue is deleted afterwards (its binding would otherwise stay in Redis)."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    saved = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = saved
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)
