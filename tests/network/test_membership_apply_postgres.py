"""A double-clicked application on PostgreSQL: two submits for the same academy and year
at the same moment make one application; the second is shown that one rather than an
error, and none of its evidence files stay on disk."""

import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import timezone

from network.programme.membership import policy
from network.programme.membership.models import ApplicationEvidence, Membership, MembershipApplication
from network.programme.membership.services import applications, years
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def evidence_files_on_disk() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "membership" / "evidence"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def waiting_on_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_application_submit_twice_at_once_makes_one_application_and_leaves_no_files(postgres, monkeypatch):
    trust = f.TrustFactory()
    network = f.NetworkFactory()
    network.member_trusts.add(trust)
    academy = f.AcademyFactory(trust=trust)
    leader = f.leader(academy)
    label = policy.policy_for(network).year_containing(timezone.localdate())[0]
    years.membership_year_get_or_create(network=network, label=label)

    # The first submit stops just before it commits, holding its new membership row; the
    # second then passes the "already applied?" check (it cannot see the uncommitted row)
    # and waits on the unique key. Then the first commits.
    first_inside, release_first = threading.Event(), threading.Event()
    notify = applications.notify_users

    def notify_then_wait(**kwargs):
        result = notify(**kwargs)
        if threading.current_thread().name == "first":
            first_inside.set()
            release_first.wait(timeout=30)
        return result

    monkeypatch.setattr(applications, "notify_users", notify_then_wait)
    results, errors = {}, {}

    def submit(name):
        try:
            results[name] = applications.application_submit(
                academy=academy,
                network=network,
                label=label,
                evidence_text="Three years of rising results.",
                files=[SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 " + name.encode())],
                by=leader,
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors[name] = exc
        finally:
            connection.close()

    first = threading.Thread(target=submit, args=("first",), name="first")
    second = threading.Thread(target=submit, args=("second",), name="second")
    first.start()
    assert first_inside.wait(timeout=30)
    second.start()
    deadline = time.monotonic() + 30
    while not waiting_on_a_lock() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert waiting_on_a_lock(), "the second submit should be waiting on the first one's row"
    release_first.set()
    first.join(timeout=60)
    second.join(timeout=60)

    application = MembershipApplication.objects.get()
    assert results == {"first": application}
    assert isinstance(errors["second"], applications.ApplicationAlreadySent)
    assert errors["second"].application.pk == application.pk
    assert Membership.objects.count() == 1
    [evidence] = ApplicationEvidence.objects.all()
    assert evidence_files_on_disk() == [Path(settings.MEDIA_ROOT) / evidence.file.name]
