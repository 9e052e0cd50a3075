"""Links the portal writes (emails, calendar feeds, certificate checks, CSV exports) use
the address it is served on: `make run PORT=8765` must not write http://127.0.0.1:8000."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run(args, *, unset=("PORTAL_BASE_URL", "HOST", "PORT"), **env_overrides) -> str:
    """Run `args` in the project with this suite's environment, minus `unset`."""
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(env_overrides)
    result = subprocess.run(args, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.strip()


def base_url(**env_overrides) -> str:
    code = "import django; django.setup(); from django.conf import settings; print(settings.PORTAL_BASE_URL)"
    return run([sys.executable, "-c", code], DJANGO_SETTINGS_MODULE="network.settings", **env_overrides)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8765"}, "http://127.0.0.1:8765"),
        ({"HOST": "localhost", "PORT": "8765"}, "http://localhost:8765"),
        # Served on every interface: reached on this machine through the loopback address.
        ({"HOST": "0.0.0.0", "PORT": "9000"}, "http://127.0.0.1:9000"),  # noqa: S104
        # Production says where it lives, whatever the server listens on.
        ({"PORT": "8765", "PORTAL_BASE_URL": "https://portal.example.org/"}, "https://portal.example.org"),
    ],
)
def test_base_url_follows_the_address_served_on(env, expected):
    assert base_url(**env) == expected


def test_make_passes_host_and_port_to_what_it_runs():
    """`make run` starts seed_demo, the worker and runserver: each must see HOST and
    PORT, including the defaults nobody typed."""

    def seen(*args) -> str:
        probe = "print-address: ; @echo $$HOST:$$PORT"
        return run(["make", "-s", "--no-print-directory", "--eval", probe, "print-address", *args])

    assert seen() == "127.0.0.1:8000"
    assert seen("PORT=8765") == "127.0.0.1:8765"
