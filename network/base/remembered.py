"""Figures remembered between readers: the dashboards, the annual report, a trust's CPD
participation, the directory's filter lists and count, the network's size on the
coordinator's home, a science leader's academy card, hubs and colleagues on their
home page (network/programme/selectors.py), the filter lists of the event list
(its hubs), the academy list (its trusts) and the membership list (years, networks,
trusts), an academy's record and people on its page (`trusts.selectors.academy_record`),
an event's page and the event list's rows for readers who see every event
(`events.selectors.event_facts`, `upcoming_page`), a reader's booking figures on those
rows (`add_booking_figures`), a person's upcoming bookings, and pages of lists
(`remember_page`): the membership list, the directory, a person's past bookings and
CPD record, the bookings someone made for others, who is booked on an event.

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
from django.core.paginator import Page, Paginator
from django.utils import timezone

from network.base import changes
from network.base.inputs import parse_int

# A list's pages kept by `remember_page`: the first few, which most readers open.
KEPT_PAGES = 5


def remember(name: str, parts: tuple, compute, *, fresh=None, reads: tuple[str, ...] = changes.COUNTED_APPS):
    """`compute()`'s value for `name` of `parts` (ids, dates and options, each with a
    stable repr), from the cache while no counted record has changed; computed and not
    kept inside a transaction that has changed counted records (`written_here`) or
    without a shared cache (`shared`). Scope is the caller's business: `parts` must name
    whatever makes one reader's value differ from another's.

    A value that time alone can make wrong (a list of what has not ended yet, once one
    of its rows ends) comes with `fresh(value)`: is the kept value still what `compute`
    would give now? When it says no, the value is computed afresh.

    The value is kept with the generation it was computed in, and read in one round
    trip with the current generation (each trip to Redis is ~0.2 ms of CPU, and a
    directory page asks twice): a value of another generation is computed afresh, so
    one computed while a change's transaction was open is never read after it commits.
    `reads` names the rooms whose records the value is computed from (every counted
    room by default): a value read from the register alone (`changes.REGISTER`: trusts,
    academies, people, networks, hubs, memberships) passes it, and a booking, a register
    taken or a survey answered leaves it as it is. Name a room too many, never one too
    few: a write to a room left out would not reach the value for up to
    `changes.LIFETIME`."""
    if not changes.shared() or changes.written_here():
        return compute()
    digest = hashlib.sha1(repr((name, parts)).encode(), usedforsecurity=False).hexdigest()
    key = f"remembered:{name}:{digest}"
    found = cache.get_many([*(changes.KEYS[room] for room in reads), key])
    current = changes.current(reads, found)
    kept = found.get(key)
    if kept is not None and kept[0] == current and (fresh is None or fresh(kept[1])):
        return kept[1]
    value = compute()
    cache.set(key, (current, value), changes.LIFETIME)
    return value


def remember_page(
    name: str,
    parts: tuple,
    items,
    number,
    *,
    size: int,
    until=None,
    prepare=None,
    count=None,
    reads: tuple[str, ...] = changes.COUNTED_APPS,
) -> Page:
    """Page `number` of `items` (a queryset), with the list's count, as Django's
    Paginator gives it, remembered as `remember` keeps a value: `parts` must name the
    reader's scope and every filter that made `items`. A list page is two queries (its
    count and its rows), about a millisecond of CPU in Python and PostgreSQL against a
    floor page of ~1.6 ms (speed, issue 14).

    Only the first `KEPT_PAGES` pages asked for by a plain number are kept; a page past
    the end, or "abc", is Django's to answer, and read each time. So must a filter be
    left out of what is kept when any value could name it (a date, a search): each
    makes a list of its own, and a cache filled with them pushes out what is worth
    keeping. `until(items)`, for a list that time alone changes (what has not ended
    yet): the moment the kept page stops being true (None: never). `prepare(rows)`
    turns a page's rows into what is kept and shown (the same for every reader with
    these `parts`); `count()` counts the list where Django's count would be too dear
    (it may remember the count itself); `reads` is `remember`'s."""

    def read(page_number):
        paginator = Paginator(items, size)
        if count is not None:
            paginator.count = count()
        page = paginator.get_page(page_number)
        if prepare is not None:
            page.object_list = prepare(list(page.object_list))
        return page

    kept_page = parse_int(number, lowest=1, highest=KEPT_PAGES) if number else 1
    if kept_page is None:
        return read(number)

    def keep():
        page = read(kept_page)
        # Asked of an empty list too: time can fill it (past bookings) as well as empty it.
        ends = until(items) if until is not None else None
        return page.paginator.count, page.number, list(page.object_list), ends

    total, found, rows, _ends = remember(
        name,
        (*parts, kept_page, size),
        keep,
        fresh=(lambda kept: kept[3] is None or timezone.now() < kept[3]) if until is not None else None,
        reads=reads,
    )
    paginator = Paginator([], size)
    paginator.count = total  # Paginator's cached_property: the list is not read again
    return Page(rows, found, paginator)
