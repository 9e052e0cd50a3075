"""Visits built through the services, in any state, for the visit tests and the access
matrix. Times are relative to now; a past visit is scheduled "as of" before it."""

import datetime

from django.utils import timezone

from events.visits.policy import FRAMEWORK_STRANDS
from events.visits.services import kinds, reports, requests, scheduling
from tests import factories as f


def at(days: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def kind(network, code="consultant"):
    return kinds.visit_kinds_ensure(network=network)[code]


def requested(network, academy, *, by, code="consultant", direction="host", focus=()):
    return requests.visit_request(
        academy=academy, kind=kind(network, code), direction=direction, focus_areas=focus, by=by
    )


def scheduled(network, host, visitors, *, by, days=14, hours=3, code="consultant", contact=None, **extra):
    """A visit to `host` scheduled `days` from now (negative: in the past)."""
    visit = requested(network, host, by=by, code=code)
    starts = at(days)
    now = min(timezone.now(), starts - datetime.timedelta(days=1))
    return scheduling.visit_schedule(
        visit=visit,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours),
        visitors=list(visitors),
        host_contact=contact,
        by=by,
        now=now,
        **extra,
    )


def completed(network, host, visitors, *, by, days=-3, **extra):
    visit = scheduled(network, host, visitors, by=by, days=days, **extra)
    return scheduling.visit_complete(visit=visit, by=by)


def submitted(network, host, visitors, *, by, owner, due_in=30, days=-3, **extra):
    visit = completed(network, host, visitors, by=by, days=days, **extra)
    reports.report_save(
        visit=visit,
        by=by,
        seen="Year 9 practical lessons in three labs.",
        strengths="Clear modelling of method.",
        development="Questioning to check understanding.",
        strands={code: "embedding" for code, _ in FRAMEWORK_STRANDS},
        actions=[
            reports.ActionDraft(
                "Plan hinge questions into each practical.",
                owner,
                timezone.localdate() + datetime.timedelta(days=due_in),
            )
        ],
        submit=True,
    )
    visit.refresh_from_db()
    return visit


def agreed(network, host, visitors, *, by, owner, **extra):
    visit = submitted(network, host, visitors, by=by, owner=owner, **extra)
    return reports.report_review(visit=visit, agree=True, by=by)


def b_visit(w):
    """Trust B's agreed visit: host academy B, visited by someone from another trust B
    academy, with one open action owned at academy B. One per world (the accessibility
    sweep asks for it on every page; more would pass academy B's cap per term)."""
    if getattr(w, "_b_visit", None) is None:
        other = f.AcademyFactory(trust=w.trust_b, name="Academy B2")
        visitor = f.PersonFactory(academy=other)
        owner = f.PersonFactory(academy=w.academy_b)
        w._b_visit = agreed(w.network, w.academy_b, [visitor], by=w.coordinator, owner=owner)
    return w._b_visit


def b_visit_pk(w):
    return {"pk": b_visit(w).pk}


def b_action_pk(w):
    return {"pk": b_visit(w).actions.get().pk}


def b_requested_pk(w):
    return {"pk": requested(w.network, w.academy_b, by=w.coordinator).pk}


def current_year(network):
    """The membership year containing today (1 April – 31 March), as the factories make it."""
    today = timezone.localdate()
    start = today.year if today.month >= 4 else today.year - 1
    return f.MembershipYearFactory(
        network=network,
        label=f"{start}-{(start + 1) % 100:02d}",
        starts_on=datetime.date(start, 4, 1),
        ends_on=datetime.date(start + 1, 3, 31),
        review_on=datetime.date(start + 1, 3, 1),
    )


def log_entry(visit, by):
    from events.visits.services.history import log

    return log(visit, action="action", by=by, text="A note.")
