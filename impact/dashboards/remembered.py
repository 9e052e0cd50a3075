"""Dashboards and the report remembered between readers.

A dashboard or the annual report aggregates a whole year of attendance, survey
invitations and evidence: at ten times the Secondary Science Network (143,000
invitations and ~50,000 attendances a year) that is half a second of database time,
and every trust's executive reads the same network-wide benchmark. So each page's
figures are computed once and kept in the cache (Redis in production, shared by every
web worker) under a *generation*:

- a committed write to a record the figures count (`counts`: every model of the rooms
  whose rows a figure reads, less the ones that never feed a figure) moves the
  generation on, and the next reader computes afresh. A page computed by another
  request while the write's transaction was open is stored under the old generation,
  so it is never read after the commit;
- inside a transaction that has written a counted record, figures are computed and not
  remembered (they would show what others cannot see yet);
- writes that send no signal (a queryset `update()`, a bulk import) are caught by the
  time limit: figures of a year under way are kept at most `OPEN_SECONDS`, of a year
  that has ended `CLOSED_SECONDS`;
- the page says when its figures were computed (`computed_at`).

Scope is not the cache's business: views fetch the trust or network through the access
door before asking, and the key names the trust, so one trust's figures are never
another's. Without a cache (Redis down) every request computes, as before.
"""

import hashlib
import time

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "impact:figures:generation"
OPEN_SECONDS = 10 * 60
CLOSED_SECONDS = 24 * 60 * 60
COUNTED_APPS = ("trusts", "network", "events", "impact")
# Records of those rooms that no figure reads: sign-ins write `last_login`, the outbox
# and the importers' job rows are written all day, and none of them is counted.
NOT_COUNTED = frozenset(
    {
        "network.User",
        "network.OutboxMessage",
        "network.ImportJob",
        "network.Invitation",
        "network.ErasureRecord",
        "network.RetentionRemoval",
        "events.CalendarFeed",
        "events.VisitLog",
    }
)


def counts(model) -> bool:
    """Does a write to `model` change a figure some dashboard or report shows?"""
    meta = model._meta
    return meta.app_label in COUNTED_APPS and meta.label not in NOT_COUNTED


def generation() -> int:
    found = cache.get(GENERATION_KEY)
    if found is None:
        found = time.time_ns()
        cache.add(GENERATION_KEY, found, None)
        found = cache.get(GENERATION_KEY) or found
    return found


def move_on() -> None:
    """Every figure remembered so far is out of date."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def _written_here() -> bool:
    """Has the open transaction written a counted record (its move-on is pending)?
    A savepoint rolled back takes its pending callbacks with it."""
    return connection.in_atomic_block and any(func is move_on for _ids, func, _robust in connection.run_on_commit)


def _changed(sender, **kwargs):
    if not counts(sender) or _written_here():
        return
    transaction.on_commit(move_on, robust=True)  # at once outside a transaction


def connect() -> None:
    """Called once from `ImpactConfig.ready`."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"impact-figures-{signal!r}")


def remember(name: str, parts: tuple, compute, *, under_way: bool):
    """`compute()`'s value for the figures `name` of `parts` (ids, dates and options,
    each with a stable repr), from the cache while no counted record has changed.
    `under_way`: the period has not ended (or not begun), so its figures keep moving."""
    if _written_here():
        return compute()
    digest = hashlib.sha1(repr((name, generation(), parts)).encode(), usedforsecurity=False).hexdigest()
    key = f"impact:figures:{name}:{digest}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, OPEN_SECONDS if under_way else CLOSED_SECONDS)
    return found
