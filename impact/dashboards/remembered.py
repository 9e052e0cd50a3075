"""Dashboards and the report remembered between readers.

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
another's.
"""

from network.base.changes import remember

# The platform keeps the value (network.base.changes.remember): the directory remembers
# its filter lists the same way. The dashboards, the report and their tests ask here.
__all__ = ["remember"]
