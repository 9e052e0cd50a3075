"""Shared test setup. Layers, by marker: unit tests (default, any database),
`postgres` (PostgreSQL behaviour), `integration` (Redis, a real Celery worker) and `e2e`
(a real Chromium). Under REQUIRE_SERVICES=1 (CI) a missing service fails the test;
elsewhere it skips with the reason."""

import os
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.celery import app as celery_app
from tests import factories as f

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def require(available: bool, what: str):
    """Skip locally, fail in CI, when a service the test needs is missing."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required (REQUIRE_SERVICES=1) but not available")
    pytest.skip(f"{what} not available")


@pytest.fixture
def postgres(db):
    require(connection.vendor == "postgresql", "PostgreSQL (set DATABASE_URL=postgres://...)")


@pytest.fixture(autouse=True)
def _isolation(settings):
    # allauth's rate limits live in the cache; with Redis in CI they would leak between
    # tests. Tasks run inline unless a test starts a real worker.
    cache.clear()
    settings.PORTAL_BASE_URL = "http://testserver"
    settings.SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
    # A fast hasher: PBKDF2's 1,000,000 rounds per user would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploads (e.g. application evidence) go to a folder per test, never to var/media.
    settings.MEDIA_ROOT = str(tmp_path / "media")


@dataclass
class World:
    """Two trusts, A (ours) and B (someone else's), with an academy each and one user of
    every role. Most access tests ask: can A's people see B's things? (They must not.)"""

    trust_a: object
    trust_b: object
    academy_a: object
    academy_b: object
    person_a: object
    person_b: object
    coordinator: object
    executive_a: object
    leader_a: object
    visitor: object
    network: object
    hub: object
    steering: object = None  # a steering-group member: referred applications only


@pytest.fixture
def world(db):
    trust_a = f.TrustFactory(name="Trust A")
    trust_b = f.TrustFactory(name="Trust B")
    academy_a = f.AcademyFactory(trust=trust_a, name="Academy A")
    academy_b = f.AcademyFactory(trust=trust_b, name="Academy B")
    network = f.NetworkFactory()
    network.member_trusts.set([trust_a, trust_b])
    hub = f.HubFactory(network=network)
    hub.academies.set([academy_a, academy_b])
    leader_a = f.leader(academy_a, email="leader.a@portal.example")
    return World(
        trust_a=trust_a,
        trust_b=trust_b,
        academy_a=academy_a,
        academy_b=academy_b,
        person_a=leader_a.person,
        person_b=f.PersonFactory(academy=academy_b, directory_consent=True),
        coordinator=f.coordinator(email="coordinator@portal.example"),
        executive_a=f.trust_executive(trust_a, email="ceo.a@portal.example"),
        leader_a=leader_a,
        visitor=f.UserFactory(role="visitor", email="visitor@portal.example"),
        network=network,
        hub=hub,
        steering=f.steering_member(email="steering@portal.example"),
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.fixture
def assert_no_n_plus_one(client):
    """Load a page with one row, add more rows, load it again: the query count must not
    grow. `grow` adds the extra rows (a callable)."""

    def check(url, grow, *, user):
        client.force_login(user)
        client.get(url)  # the first page of a session also asks the menu's rules (kept in the session)
        before = count_queries(client, url)
        grow()
        after = count_queries(client, url)
        assert after == before, f"{url}: {before} queries with 1 row, {after} with more (N+1)"
        return after

    return check


@pytest.fixture
def remembering(settings):
    """Remembered figures and lists on (`network.base.remembered`; by default only with
    Redis, as in CI): these tests use the process's cache. Use with
    `django_db(transaction=True)`: inside a transaction that has written a counted
    record, as every `db` test's is, values are computed and never kept."""
    settings.FIGURES_REMEMBERED = True


def select_options(html: str, name: str) -> list[str]:
    """The option labels of the page's `<select name="…">`, in order, as written."""
    select = html[html.index(f'name="{name}"') :].split("</select>")[0]
    return [part.split("</option>")[0].split(">")[-1] for part in select.split("<option")[1:]]


def queries_fresh_and_kept(client, url) -> tuple[int, int]:
    """Queries of `url` computing its remembered values afresh, then reading them kept
    (with `remembering`; the page is loaded first, so the session's one-off reads are
    out of the count)."""
    from network.base import changes

    client.get(url)
    changes.records_changed()
    return count_queries(client, url), count_queries(client, url)
