"""Rate limits for the portal's own endpoints (allauth limits sign-in and password reset
itself: ACCOUNT_RATE_LIMITS in settings).

One decorator, for any view that sends email, writes for someone else, or could be
hammered: invitations, booking, and later connection requests and surveys.

    @rate_limited("booking_create")
    def event_book(request, pk): ...

The rates live in `settings.PORTAL_RATE_LIMITS`, written like allauth's:
"20/m/user,100/h/ip" (amount / period (s, m, h, d, optionally with a number: 5m) / per
`user`, `ip` or `key`). A request over any of them gets the "too many attempts" page
(429). Counts are in the cache, per fixed window; the client's address is allauth's (so
the proxy setting applies, TRUSTED_PROXY_COUNT). The cache never stops a request: if
counting fails, the request goes ahead and the failure is logged (fail open).
"""

import hashlib
import logging
import time
from dataclasses import dataclass
from functools import wraps

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

logger = logging.getLogger(__name__)

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int
    per: str  # "user", "ip" or "key"

    @classmethod
    def parse(cls, text: str) -> "Rate":
        amount, period, per = text.strip().split("/")
        count, unit = period[:-1], period[-1]
        if unit not in UNITS or per not in ("user", "ip", "key"):
            raise ValueError(f"not a rate: {text!r}")
        return cls(int(amount), int(count or 1) * UNITS[unit], per)


def rates_for(action: str) -> list[Rate]:
    text = settings.PORTAL_RATE_LIMITS.get(action) or ""
    return [Rate.parse(part) for part in text.split(",") if part.strip()]


def _subject(request, rate: Rate, key: str | None) -> str | None:
    if rate.per == "user":
        return f"user:{request.user.pk}" if request.user.is_authenticated else None
    if rate.per == "ip":
        return f"ip:{get_adapter().get_client_ip(request)}"
    return f"key:{key}" if key else None


def _count(cache_key: str, seconds: int) -> int:
    if cache.add(cache_key, 1, timeout=seconds + 1):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds + 1)
        return 1


def allow(request, action: str, *, key: str | None = None) -> bool:
    """Count one `action` by this request; False when a rate is exceeded. Rates that do
    not apply (per user, signed out; per key, no key) are skipped."""
    now = int(time.time())
    try:
        for rate in rates_for(action):
            subject = _subject(request, rate, key)
            if subject is None:
                continue
            digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
            window = now // rate.seconds
            if _count(f"portal-rl:{action}:{rate.amount}/{rate.seconds}:{digest}:{window}", rate.seconds) > rate.amount:
                logger.info("Rate limit %s (%s) reached by %s", action, rate, subject.split(":")[0])
                return False
    except Exception:  # the cache must never stop a request: fail open, but say so
        logger.warning("Rate limit %s not counted (cache error); the request goes ahead", action, exc_info=True)
    return True


def too_many(request):
    return render(request, "429.html", status=429)


def rate_limited(action: str, *, methods: tuple[str, ...] = ("POST",), key=None):
    """Limit `methods` requests to a view by `settings.PORTAL_RATE_LIMITS[action]`.
    `key(request, *args, **kwargs)`, if given, names what a `key` rate counts (e.g. the
    invitation's token)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                subject = key(request, *args, **kwargs) if key else None
                if not allow(request, action, key=subject):
                    return too_many(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
