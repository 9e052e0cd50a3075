"""A Redis cache that an outage cannot turn into errors.

The cache holds allauth's sign-in rate limits (and the portal's own, network/base/ratelimit.py).
With Django's RedisCache a stopped Redis made every sign-in a 500, and a frozen one (it
accepts connections and never answers) made each one wait for the socket timeout, several
times over. Nothing in the cache is worth a failed request, so this backend fails over:

- Redis is asked with short socket timeouts (REDIS_CACHE_OPTIONS in settings);
- on the first error it logs a warning and, for `retry_after` seconds, every operation
  goes to a small in-process memory cache instead, without asking Redis at all (so a
  frozen Redis costs one timeout per process, not one per operation);
- then it tries Redis again, and logs when Redis answers.

While Redis is away, limits are counted per process (each gunicorn worker counts its own),
so they are looser but still there: a lock-out still locks out, and no request fails.
What was counted in memory is forgotten when Redis is back.

Its client keeps one `redis.Redis` per connection pool (`KeptClientRedisCacheClient`).
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Every operation Django's cache API ends in (get_or_set, decr and the async methods go
# through these).
OPERATIONS = ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many", "clear")


class KeptClientRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one `redis.Redis` per connection pool. Django's makes a
    new one for every operation, and redis-py builds its table of ~170 response
    callbacks in each: about a fifth of a millisecond of CPU per cache read, paid twice
    on a page that remembers figures, against a floor page of ~1.6 ms (speed, issue 14).
    A `redis.Redis` is safe to share between threads: each command borrows a connection
    from the pool, which itself reconnects after a fork."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, falling over to process memory while Redis fails.
    `RETRY_AFTER` (seconds, beside BACKEND and LOCATION) sets how long it stays away."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
        self.retry_after = float(params.get("RETRY_AFTER", 30))
        self._fallback = LocMemCache(
            f"redis-fallback:{server}",
            {key: params[key] for key in ("TIMEOUT", "KEY_PREFIX", "VERSION") if key in params},
        )
        self._down_until = 0.0
        self._down = False

    @property
    def sharing(self) -> bool:
        """Is Redis answering (every process sees the same values)? False while this
        process counts in its own memory."""
        return not (self._down and time.monotonic() < self._down_until)

    def _failed(self, operation: str, error: Exception) -> None:
        self._down_until = time.monotonic() + self.retry_after
        if not self._down:
            self._down = True
            logger.warning(
                "Redis cache failed on %s (%s): using this process's memory for %.0f s; "
                "rate limits are counted per process until Redis answers again.",
                operation,
                error,
                self.retry_after,
            )

    def _recovered(self) -> None:
        self._down = False
        logger.info("Redis cache answers again: rate limits are shared again.")


def _resilient(operation: str):
    redis_method = getattr(RedisCache, operation)

    def method(self, *args, **kwargs):
        fallback = getattr(self._fallback, operation)
        if self._down and time.monotonic() < self._down_until:
            return fallback(*args, **kwargs)
        try:
            result = redis_method(self, *args, **kwargs)
        except RedisError as error:
            self._failed(operation, error)
            return fallback(*args, **kwargs)
        if self._down:
            self._recovered()
        return result

    method.__name__ = operation
    method.__doc__ = redis_method.__doc__
    return method


for _operation in OPERATIONS:
    setattr(ResilientRedisCache, _operation, _resilient(_operation))
