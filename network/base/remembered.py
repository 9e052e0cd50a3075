"""Figures remembered between readers: the dashboards, the annual report and a trust's
CPD participation.

A dashboard or the annual report aggregates a whole year of attendance, survey
invitations and evidence: at ten times the Secondary Science Network (143,000
invitations and ~50,000 attendances a year) that is the best part of a second, and every
trust's executive reads the same network-wide benchmark. So each page's figures are
computed once and kept in the shared cache (Redis in production) under the records'
generation (`network.base.changes`):

- a committed change to a record the figures count moves the generation on, and the
  next reader computes afresh; a page computed by another request while the change's
  transaction was open is stored under the old generation, so nobody reads it after;
- inside a transaction that has changed a counted record, figures are computed and not
  remembered (they would show what others cannot see yet);
- whatever happens, nothing is kept longer than `changes.LIFETIME` (10 minutes);
- without a shared cache that answers (`changes.shared`), every request computes;
- the pages say when their figures were computed (`computed_at`).

Scope is not the cache's business: views fetch the trust or network through the access
door before asking, and the key names the trust, so one trust's figures are never
another's; figures read through a user's own scope name the user in their key too.
It is the platform's (not one room's) so that every room's figure pages keep one rule.
"""

import hashlib

from django.core.cache import cache

from network.base import changes


def remember(name: str, parts: tuple, compute):
    """`compute()`'s value for the figures `name` of `parts` (ids, dates and options,
    each with a stable repr), from the cache while no counted record has changed."""
    generation = changes.generation()
    if generation is None or changes.written_here():
        return compute()
    digest = hashlib.sha1(repr((name, generation, parts)).encode(), usedforsecurity=False).hexdigest()
    key = f"impact:figures:{name}:{digest}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, changes.LIFETIME)
    return found
