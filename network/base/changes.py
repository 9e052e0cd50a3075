"""Have the records changed? A *generation* per room (trusts, network, events, impact),
kept in the shared cache, that moves on whenever a committed write touches a record of
that room some figure counts, so anything computed from the records and remembered
under the generations of the rooms it reads (the dashboards and the report, the lists:
`network/base/remembered.py`) is computed afresh by its next reader. A value read from
the register alone (`REGISTER`: trusts, academies, people, networks, hubs, memberships)
is left as it is by the bookings, registers and survey answers of a busy morning.

- Saves and deletes of counted models (`counts`: the rooms' models, less those no
  figure reads and django-simple-history's copies) move it on when their transaction
  commits; a save that only touches fields no figure reads (`QUIET_FIELDS`: a survey's
  autosaved draft, every few seconds while someone types) does not.
- Writes that send no signal (bulk imports, `update()`) call `records_changed()`
  themselves (the importers' base does, after writing).
- Each room's generation key expires after `LIFETIME` seconds, so a move-on that was
  lost (the cache refused the write) costs at most that long.
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
# The network's register: trusts, academies, people and their tags (trusts), networks,
# hubs and memberships (network). A value read from these alone declares it
# (`remember(..., reads=REGISTER)`) and is not computed afresh for a booking, a register
# taken or a survey answered (the events and impact rooms), which a busy morning writes
# every few seconds.
REGISTER = ("trusts", "network")
# Each room's generation, moved on by a committed write to one of its counted records.
KEYS = {room: f"{GENERATION_KEY}:{room}" for room in COUNTED_APPS}
# Records of those rooms that no figure reads: the outbox and the importers' job rows
# are written all day, and none of them is counted.
NOT_COUNTED = frozenset(
    {
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
# Saves that touch only these fields move nothing on: a survey's autosaved draft, and a
# sign-in's `last_login`. A login is counted otherwise: a booker's name is on the rows
# of bookings remembered for others ("Booked for you by …", "Who is booked").
QUIET_FIELDS = {
    "impact.SurveyInvitation": frozenset({"draft", "started_at", "reminded_at"}),
    "network.User": frozenset({"last_login"}),
}


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


def generation(rooms: tuple[str, ...] = COUNTED_APPS) -> tuple | None:
    """The current generation of `rooms` (every room's by default); None when nothing
    may be remembered (see `shared`)."""
    if not shared():
        return None
    return current(rooms, cache.get_many([KEYS[room] for room in rooms]))


def current(rooms: tuple[str, ...], found: dict) -> tuple:
    """The generation of `rooms` from `found` (what a `get_many` of their `KEYS` read),
    a room whose key has expired (or was never set) starting a new one now."""
    values = []
    for room in rooms:
        value = found.get(KEYS[room])
        if value is None:
            value = time.time_ns()
            cache.add(KEYS[room], value, LIFETIME)
            value = cache.get(KEYS[room]) or value
        values.append(value)
    return tuple(values)


def move_on(rooms: tuple[str, ...] = COUNTED_APPS) -> None:
    """Everything remembered from `rooms` (every room by default) is out of date."""
    now = time.time_ns()
    cache.set_many({KEYS[room]: now for room in rooms}, LIFETIME)


class _MoveOn:
    """The move-on of some rooms, run when the transaction that wrote to them commits;
    one object per room (and one for every room), so a transaction's pending move-ons
    can be found among its callbacks."""

    def __init__(self, rooms: tuple[str, ...]):
        self.rooms = rooms

    def __call__(self):
        move_on(self.rooms)


MOVERS = {room: _MoveOn((room,)) for room in COUNTED_APPS}
EVERY_ROOM = _MoveOn(COUNTED_APPS)  # one write to the cache for a bulk write's every room


def _pending(movers: set) -> bool:
    """Is one of `movers` waiting for the open transaction to commit? A savepoint rolled
    back takes its pending callbacks with it."""
    return connection.in_atomic_block and any(func in movers for _ids, func, _robust in connection.run_on_commit)


def _pending_here(room: str | None = None) -> bool:
    """Has the open transaction written a counted record (of `room`, or of any room:
    its move-on is pending)?"""
    return _pending({EVERY_ROOM, MOVERS[room]} if room else {EVERY_ROOM, *MOVERS.values()})


def written_here() -> bool:
    """Inside a transaction that changed counted records (of any room): what is
    computed now shows what others cannot see yet, so it must not be remembered."""
    return _pending_here()


def records_changed(*rooms: str) -> None:
    """Say that counted records of `rooms` (every room when none is named) changed, for
    writes that send no signal: their generations move on when the transaction commits
    (at once outside one)."""
    if not rooms:
        if not _pending({EVERY_ROOM}):
            transaction.on_commit(EVERY_ROOM, robust=True)
        return
    for room in rooms:
        if not _pending_here(room):
            transaction.on_commit(MOVERS[room], robust=True)


def _saved(sender, update_fields=None, **kwargs):
    if update_fields and frozenset(update_fields) <= QUIET_FIELDS.get(sender._meta.label, frozenset()):
        return
    records_changed(sender._meta.app_label)


def _deleted(sender, **kwargs):
    records_changed(sender._meta.app_label)


def _related(sender, **kwargs):
    # m2m_changed's sender is the through model (its app is the declaring model's).
    if counts(sender):
        records_changed(sender._meta.app_label)


def connect() -> None:
    """Called once from `NetworkConfig.ready`. Receivers are connected per counted model:
    a `post_delete` receiver for every model would stop Django's fast delete everywhere
    (a retention purge would load each row it deletes)."""
    for model in apps.get_models():
        if counts(model):
            post_save.connect(_saved, sender=model, dispatch_uid=f"records-saved-{model._meta.label}")
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"records-deleted-{model._meta.label}")
    m2m_changed.connect(_related, dispatch_uid="records-related")
