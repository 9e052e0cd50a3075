"""Have the records changed? A *generation*, kept in the shared cache, that moves on
whenever a committed write touches a record some figure counts, so anything computed
from the records and remembered under the generation (the dashboards and the report,
`network/base/remembered.py`) is computed afresh by its next reader.

- Saves and deletes of counted models (`counts`: the rooms' models, less those no
  figure reads and django-simple-history's copies) move it on when their transaction
  commits; a save that only touches fields no figure reads (`QUIET_FIELDS`: a survey's
  autosaved draft, every few seconds while someone types) does not.
- Writes that send no signal (bulk imports, `update()`) call `records_changed()`
  themselves (the importers' base does, after writing).
- The generation key expires after `LIFETIME` seconds, so a move-on that was lost (the
  cache refused the write) costs at most that long.
- Remembering is only worth it, and only correct, in a cache every process shares:
  `shared()` is False without `FIGURES_REMEMBERED` (on by default only with Redis: with
  `make run`'s in-process cache, the Celery worker's writes would never reach the web
  process) and while the Redis cache is failing over to process memory
  (`network.base.cache.ResilientRedisCache`).
- `network.base.remembered.remember()` keeps a value under the generation: the
  dashboards' and the report's figures, a trust's CPD participation, and lists that
  every reader of a page asks for but the records rarely change (the directory's
  filters and its count, a leader's academy side of their home page).

The platform names the rooms' models by label only (docs/architecture.md).
"""

import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "network:records:generation"
LIFETIME = 10 * 60
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
        "network.ErasedIdentity",
        "network.RetentionRemoval",
        "events.CalendarFeed",
        "events.VisitLog",
    }
)
QUIET_FIELDS = {"impact.SurveyInvitation": frozenset({"draft", "started_at", "reminded_at"})}


def counts(model) -> bool:
    """Does a write to `model` change a figure something may have remembered?"""
    meta = model._meta
    historical = meta.model_name.startswith("historical") and hasattr(model, "instance_type")
    return meta.app_label in COUNTED_APPS and meta.label not in NOT_COUNTED and not historical


def shared() -> bool:
    """Is there a cache every process shares, answering now?"""
    if not getattr(settings, "FIGURES_REMEMBERED", False):
        return False
    return getattr(cache, "sharing", True)


def generation() -> int | None:
    """The current generation; None when nothing may be remembered (see `shared`)."""
    if not shared():
        return None
    found = cache.get(GENERATION_KEY)
    if found is None:
        found = time.time_ns()
        cache.add(GENERATION_KEY, found, LIFETIME)
        found = cache.get(GENERATION_KEY) or found
    return found


def move_on() -> None:
    """Everything remembered so far is out of date."""
    cache.set(GENERATION_KEY, time.time_ns(), LIFETIME)


def _pending_here() -> bool:
    """Has the open transaction written a counted record (its move-on is pending)?
    A savepoint rolled back takes its pending callbacks with it."""
    return connection.in_atomic_block and any(func is move_on for _ids, func, _robust in connection.run_on_commit)


def written_here() -> bool:
    """Inside a transaction that changed counted records: what is computed now shows
    what others cannot see yet, so it must not be remembered."""
    return _pending_here()


def records_changed() -> None:
    """Say that counted records changed (for writes that send no signal): the
    generation moves on when the transaction commits (at once outside one)."""
    if not _pending_here():
        transaction.on_commit(move_on, robust=True)


def _saved(sender, update_fields=None, **kwargs):
    if update_fields and frozenset(update_fields) <= QUIET_FIELDS.get(sender._meta.label, frozenset()):
        return
    records_changed()


def _deleted(sender, **kwargs):
    records_changed()


def _related(sender, **kwargs):
    # m2m_changed's sender is the through model (its app is the declaring model's).
    if counts(sender):
        records_changed()


def connect() -> None:
    """Called once from `NetworkConfig.ready`. Receivers are connected per counted model:
    a `post_delete` receiver for every model would stop Django's fast delete everywhere
    (a retention purge would load each row it deletes)."""
    for model in apps.get_models():
        if counts(model):
            post_save.connect(_saved, sender=model, dispatch_uid=f"records-saved-{model._meta.label}")
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"records-deleted-{model._meta.label}")
    m2m_changed.connect(_related, dispatch_uid="records-related")
