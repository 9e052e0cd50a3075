"""The annual review runs exactly once per network and year on PostgreSQL, however many
workers sweep at the same moment, and a restarted worker does not run it again: the
idempotence key is the unique (network, year) row of ReviewRun, inserted in the same
transaction as the proposals."""

import datetime
import threading

import pytest
from django.db import connection

from network.programme.membership.models import ReviewProposal, ReviewRun
from network.programme.membership.review import review_run, review_sweep
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REVIEW_DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def network(postgres):
    trust = f.TrustFactory()
    network = f.NetworkFactory()
    network.member_trusts.add(trust)
    f.MembershipPolicyFactory(network=network)
    year = f.MembershipYearFactory(network=network)
    for grade in (1, 2, 3, 4):
        academy = f.AcademyFactory(trust=trust)
        f.InspectionFactory(academy=academy, grade=grade)
        f.MembershipFactory(year=year, academy=academy)
    return network


def at_once(jobs):
    """Run each job on its own thread and database connection, released together."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []

    def run(job):
        try:
            barrier.wait(timeout=30)
            results.append(job())
        except Exception as exc:  # noqa: BLE001 - every failure is reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_two_workers_sweeping_at_once_then_a_restart_run_the_review_once(network):
    results, errors = at_once([lambda: review_sweep(today=REVIEW_DAY), lambda: review_sweep(today=REVIEW_DAY)])

    assert errors == []
    assert sorted(len(runs) for runs in results) == [0, 1]  # one worker ran it, the other found it
    # The worker restarts (a new connection, nothing in memory) and sweeps again.
    connection.close()
    assert review_sweep(today=REVIEW_DAY + datetime.timedelta(days=1)) == []
    assert ReviewRun.objects.count() == 1
    assert ReviewProposal.objects.count() == 4


def test_many_concurrent_runs_past_the_cheap_check_still_create_one(network):
    # review_run skips the sweep's "already ran?" pre-check, so every thread reaches the
    # insert and the unique key alone decides.
    jobs = [lambda: review_run(network=network, label="2025-26", trigger="sweep", today=REVIEW_DAY) for _ in range(6)]
    results, errors = at_once(jobs)

    assert errors == []
    assert sorted(created for _, created in results) == [False] * 5 + [True]
    assert len({run.pk for run, _ in results}) == 1
    assert ReviewRun.objects.count() == 1
    assert ReviewProposal.objects.count() == 4
