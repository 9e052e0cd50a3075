"""The production server, as the image runs it (gunicorn -c gunicorn.conf.py): no
`Server` banner, and Django's headers (no-store, Permissions-Policy, CSP) on its pages."""

import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.redis_server import _free_port

pytestmark = pytest.mark.integration

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def gunicorn_server(tmp_path):
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SECURE_", "DJANGO_ALLOW_ASYNC"))}
    env.update(
        DJANGO_SETTINGS_MODULE="network.settings",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SECURE_SSL_REDIRECT="0",
        WEB_CONCURRENCY="1",
    )
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
        + ["network.wsgi:application"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("gunicorn did not start: " + process.stderr.read().decode()[-2000:])
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=10)


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response


# The database is an empty SQLite file: these answers need no table.
PAGES = {"/healthz": 200, "/no-such-page/": 404, "/static/css/portal.css": 200}


def test_gunicorn_sends_no_server_banner(gunicorn_server):
    for path, status in PAGES.items():
        response = get(gunicorn_server, path)
        assert response.status == status, path
        assert response.getheader("Server") is None, (path, response.getheaders())


def test_pages_are_not_stored_and_ask_for_no_device(gunicorn_server):
    response = get(gunicorn_server, "/no-such-page/")
    assert "no-store" in response.getheader("Cache-Control")
    assert "camera=()" in response.getheader("Permissions-Policy")
    assert "script-src 'self'" in response.getheader("Content-Security-Policy")
    # Static files keep their own caching.
    assert "no-store" not in (get(gunicorn_server, "/static/css/portal.css").getheader("Cache-Control") or "")
