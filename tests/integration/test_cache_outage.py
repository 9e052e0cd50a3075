"""A cache outage never stops anyone signing in or using pages. allauth counts sign-in
attempts in the cache; with Django's RedisCache a stopped Redis made sign-in a 500 and a
frozen one made it hang. The cache here is a Redis of the test's own, configured exactly
as in production (settings.REDIS_CACHE_OPTIONS), which the test stops and freezes."""

import logging
import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

from tests import factories as f
from tests.integration.redis_server import OwnRedis

pytestmark = pytest.mark.integration

EMAIL = "sam.okafor@school.example"
# One sign-in may wait for one socket timeout before the cache gives up on Redis.
SIGN_IN_BUDGET = 3.0


@pytest.fixture
def own_redis(settings):
    server = OwnRedis()
    settings.CACHES = {
        "default": {
            "BACKEND": "network.base.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "OPTIONS": django_settings.REDIS_CACHE_OPTIONS,
            "RETRY_AFTER": 30,
        }
    }
    yield server
    server.close()


def sign_in(client, password=f.PASSWORD):
    started = time.perf_counter()
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": password})
    return response, time.perf_counter() - started


@pytest.mark.django_db
def test_sign_in_counts_in_redis_while_it_answers(client, own_redis):
    f.UserFactory(email=EMAIL)
    response, _ = sign_in(client, "wrong-password")
    assert response.status_code == 200
    # allauth's attempt counter is in Redis (the cache really is this server).
    assert cache._cache.get_client().keys("*allauth*rl*login_failed*")


@pytest.mark.django_db
def test_sign_in_succeeds_with_redis_stopped(client, own_redis, caplog):
    user = f.UserFactory(email=EMAIL)
    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="network.base.cache"):
        response, elapsed = sign_in(client)
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == reverse("network:home")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert elapsed < SIGN_IN_BUDGET
    assert any("Redis cache failed" in r.getMessage() for r in caplog.records)
    assert client.get(reverse("network:home")).status_code == 200


@pytest.mark.django_db
def test_sign_in_succeeds_with_redis_frozen(client, own_redis, record_property):
    user = f.UserFactory(email=EMAIL)
    own_redis.freeze()
    assert not own_redis.answers()
    response, elapsed = sign_in(client)
    record_property("sign_in_seconds_with_redis_frozen", round(elapsed, 3))
    print(f"\nsign-in with Redis frozen took {elapsed:.3f} s")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert elapsed < SIGN_IN_BUDGET
    # Later requests do not wait for Redis again: the cache stays away for a while.
    started = time.perf_counter()
    assert client.get(reverse("events:event_list")).status_code == 200
    assert time.perf_counter() - started < 0.5


@pytest.mark.django_db
def test_lockout_still_holds_while_redis_is_down(client, own_redis):
    """Failing over is not failing open: attempts are counted in the process's memory."""
    f.UserFactory(email=EMAIL)
    own_redis.stop()
    for _ in range(5):
        assert sign_in(client, "wrong-password")[0].status_code == 200
    response, _ = sign_in(client)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.django_db
def test_cache_uses_redis_again_once_it_answers(own_redis, caplog):
    cache.set("probe", 1)
    own_redis.freeze()
    assert cache.get("probe") is None  # from memory: Redis is not waited for
    own_redis.thaw()
    cache._down_until = 0  # as if RETRY_AFTER had passed
    with caplog.at_level(logging.INFO, logger="network.base.cache"):
        assert cache.get("probe") == 1
    assert any("answers again" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_one_redis_client_serves_every_operation_and_outlives_a_restart(own_redis):
    """The backend keeps one redis.Redis per pool (Django's makes one per operation,
    a fifth of a millisecond each: issue 14); a restarted Redis is reached again by the
    same client, through its pool."""
    import redis

    backend = cache._cache
    client = backend.get_client()
    assert backend.get_client(write=True) is client
    cache.set("probe", 1)
    own_redis.restart()
    cache._down_until = 0  # if the first operation after the restart failed over
    cache.set("probe", 2)
    assert cache.get("probe") == 2 and cache.sharing
    assert backend.get_client() is client
    assert redis.Redis.from_url(own_redis.url).get(cache.make_and_validate_key("probe")) is not None
