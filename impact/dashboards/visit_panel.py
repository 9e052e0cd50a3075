"""The visits panel of the dashboards, the KPIs and the report: a network's academy
visits in a window of days (`events.visits`), raw and unscoped (the pages narrow them to
the reader's trust with `by_trust`). Two queries.

Counting rules: a visit counts on the day it took place (cancelled ones never count,
but are counted as cancelled); it is *hosted* by the academy visited and credited to
that academy's trust when the host was set; a peer visit is also *made* by the academy
whose leaders went (credited to its trust now)."""

import datetime
from collections import defaultdict

from events.visits.models import Visit
from events.visits.selectors import in_range


def visit_figures(*, network, starts_on: datetime.date, ends_on: datetime.date) -> dict:
    visits = in_range(network=network, starts_on=starts_on, ends_on=ends_on)
    rows = list(
        visits.filter(status__in=Visit.HAPPENED).values_list(
            "host_academy_id", "host_trust_id", "visiting_academy_id", "visiting_academy__trust_id"
        )
    )
    by_trust: dict = defaultdict(lambda: {"hosted": 0, "made": 0})
    by_academy: dict = defaultdict(lambda: {"hosted": 0, "made": 0})
    for host, host_trust, visiting, visiting_trust in rows:
        if host is not None:
            by_academy[host]["hosted"] += 1
        if host_trust is not None:
            by_trust[host_trust]["hosted"] += 1
        if visiting is not None:
            by_academy[visiting]["made"] += 1
        if visiting_trust is not None:
            by_trust[visiting_trust]["made"] += 1
    return {
        "delivered": len(rows),
        "cancelled": visits.filter(status=Visit.Status.CANCELLED).count(),
        "trusts": len({host_trust for _h, host_trust, _v, _vt in rows if host_trust is not None}),
        "by_trust": dict(by_trust),
        "by_academy": dict(by_academy),
    }
