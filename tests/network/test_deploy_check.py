"""Production settings pass Django's deployment checklist (`check --deploy`) with no
warning at all, and the development key is caught when it slips through."""

import os
import re
import secrets
import string
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHECK_ID = re.compile(r"\((\w+\.[EW]\d+)\)")


def run_deploy_check(**overrides) -> subprocess.CompletedProcess:
    # Only the variables under test differ from the suite's environment (DATABASE_URL
    # stays); a test harness's DJANGO_ALLOW_ASYNC_UNSAFE is no setting and would be
    # reported (async.E001).
    drop = ("SECURE_", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "TRUSTED_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(drop)}
    env.update(
        DJANGO_SETTINGS_MODULE="network.settings",
        DEBUG="0",
        ALLOWED_HOSTS="portal.example.org",
        EMAIL_URL="smtp+tls://u:p@smtp.example.org:587",
        TRUSTED_PROXY_COUNT="1",  # behind the TLS proxy, as docker-compose.yml sets it
    )
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(60))


def test_deploy_check_passes_with_production_settings():
    result = run_deploy_check(SECRET_KEY=production_secret_key())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert CHECK_ID.findall(output) == [], output
    assert "System check identified no issues" in output


def test_deploy_check_reports_the_development_key():
    result = run_deploy_check()  # no SECRET_KEY: settings fall back to the dev key
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert CHECK_ID.findall(output) == ["network.W001"], output


def test_deploy_check_reports_a_client_address_taken_from_the_proxy_itself():
    result = run_deploy_check(SECRET_KEY=production_secret_key(), TRUSTED_PROXY_COUNT="0")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert CHECK_ID.findall(output) == ["network.W003"], output


def test_env_example_lists_every_setting_read_from_the_environment():
    settings_source = (PROJECT_ROOT / "network" / "settings.py").read_text()
    read = set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", settings_source))
    example = (PROJECT_ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))
    assert len(read) > 15  # the pattern still finds them
    assert sorted(read - listed) == [], "add these to .env.example with their default and a comment"
