"""What visits hold about a person, for the export (network/base/personal_data.py,
sections registered by events/apps.py), and what erasure does here. Visits, reports,
actions and the log keep the (erased) person, so the network's figures stay true; they
hold no contact details of their own, so erasure only counts them (unsent visit emails
to the person are removed by the platform's erasure)."""

from django.db.models import Q

from events.visits.models import Visit, VisitAction, VisitLog, VisitReport
from network.base.personal_data import Section, local


def _visits(user, person):
    query = Q()
    if user is not None:
        query |= Q(requested_by=user)
    if person is not None:
        query |= Q(assignments__person=person) | Q(host_contact=person)
    if not query:
        return []
    visits = Visit.objects.filter(pk__in=Visit.objects.filter(query).values("pk"))
    rows = visits.select_related("kind", "host_academy").prefetch_related("assignments")
    person_id = getattr(person, "pk", None)
    return [
        {
            "kind": v.kind.name,
            "academy_visited": v.host_academy.name if v.host_academy_id else None,
            "starts_at": local(v.starts_at),
            "status": v.get_status_display(),
            "requested_by_you": user is not None and v.requested_by_id == user.pk,
            "host_contact": person_id is not None and v.host_contact_id == person_id,
            "assigned_to_visit": person_id is not None and any(a.person_id == person_id for a in v.assignments.all()),
        }
        for v in rows.order_by("requested_at", "pk")
    ]


def _reports(user, person):
    if user is None:
        return []
    reports = (
        VisitReport.objects.filter(Q(written_by=user) | Q(agreed_by=user))
        .select_related("visit__kind", "visit__host_academy")
        .order_by("pk")
    )
    return [
        {
            "visit": str(r.visit),
            "status": r.get_status_display(),
            "written_by_you": r.written_by_id == user.pk,
            "agreed_by_you": r.agreed_by_id == user.pk,
            "submitted_at": local(r.submitted_at),
            "agreed_at": local(r.agreed_at),
        }
        for r in reports
    ]


def _actions(user, person):
    query = Q()
    if person is not None:
        query |= Q(owner=person)
    if user is not None:
        query |= Q(closed_by=user)
    if not query:
        return []
    actions = VisitAction.objects.filter(query).select_related("visit__host_academy").order_by("due_on", "pk")
    return [
        {
            "action": a.description,
            "due_on": a.due_on,
            "status": a.get_status_display(),
            "owned_by_you": person is not None and a.owner_id == person.pk,
            "closed_by_you": user is not None and a.closed_by_id == user.pk,
        }
        for a in actions
    ]


def _log(user, person):
    if user is None:
        return []
    entries = VisitLog.objects.filter(by=user).select_related("visit__kind", "visit__host_academy")
    return [
        {"visit": str(e.visit), "at": local(e.at), "action": e.action, "text": e.text}
        for e in entries.order_by("at", "pk")
    ]


SECTIONS = [
    Section(
        key="visits",
        order=62,
        title="Academy visits",
        description="Visits you asked for, are the host's contact for, or are assigned to make.",
        rows=_visits,
        links=(
            "events.Visit.requested_by",
            "events.Visit.host_contact",
            "events.Visit.visitors",
            "events.VisitVisitor.person",
        ),
    ),
    Section(
        key="visit_reports",
        order=63,
        title="Visit reports you wrote or agreed",
        rows=_reports,
        links=("events.VisitReport.written_by", "events.VisitReport.agreed_by"),
    ),
    Section(
        key="visit_actions_owned",
        order=64,
        title="Actions agreed on visits",
        description="Actions you own, or closed.",
        rows=_actions,
        links=("events.VisitAction.owner", "events.VisitAction.closed_by"),
    ),
    Section(
        key="visit_log",
        order=88,
        title="What you did on visits",
        description="Each move you made on a visit, with your reasons and comments.",
        rows=_log,
        links=("events.VisitLog.by",),
    ),
]


def erase(person, erasure=None) -> None:
    """Visits, reports and actions stay against the anonymous person (the figures);
    nothing here holds contact details. Only counted for the record."""
    if erasure is None:
        return
    erasure.note(
        "visits kept without their name (the figures stay true)",
        Visit.objects.filter(Q(assignments__person=person) | Q(host_contact=person)).distinct().count(),
    )
    erasure.note("visit actions kept without their name", VisitAction.objects.filter(owner=person).count())
