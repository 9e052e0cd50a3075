"""Reads for the visit pages, each from the access door (`scoped`) and at a fixed
number of queries. Brokering suggestions are in `brokering.py`, the coverage planner
and the figures for dashboards in `coverage.py`."""

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.visits.models import Visit, VisitAction, VisitKind, VisitLog, VisitReport, VisitVisitor
from network.base import access, remembered
from network.base.school_years import Year
from trusts.models import Trust

S = Visit.Status
SHOW = {
    "open": ~Q(status__in=(S.CLOSED, S.CANCELLED)),
    "closed": Q(status__in=(S.CLOSED, S.CANCELLED)),
    "all": Q(),
}


def _listed(qs: QuerySet) -> QuerySet:
    """What a list row shows: kind, academies, visitors and open actions."""
    return (
        qs.select_related("kind", "host_academy__trust", "visiting_academy__trust")
        .prefetch_related(
            Prefetch("assignments", queryset=VisitVisitor.objects.select_related("person").order_by("pk"))
        )
        .annotate(
            open_actions=Count("actions", filter=~Q(actions__status=VisitAction.Status.CLOSED), distinct=True),
            when=Coalesce("starts_at", "requested_at"),
        )
    )


# Dated visits soonest first, then undated requests newest first.
SOONEST_FIRST = (F("starts_at").asc(nulls_last=True), "-requested_at", "-pk")


def visits_for(user, *, show: str = "open") -> QuerySet:
    """The visits `user` sees (their academy's, their trust's, those assigned to them,
    or all for a coordinator), soonest or newest first."""
    return _listed(access.scoped(user, Visit).filter(SHOW.get(show, SHOW["open"]))).order_by(*SOONEST_FIRST)


STATUS_LABELS = dict(Visit.Status.choices)  # what `get_status_display()` shows


def home_visits(user, *, limit: int = 5) -> list[dict]:
    """A role home's panel: open visits the user sees, the next ones first, as plain
    values (id, status, date, kind and host). Only what the panel shows: the list page's
    counts and visitors are a third of a leader's home page's cost. And a query that
    every reader of a home page asks for while the records rarely change: so remembered
    under the records' generation (network.base.remembered) and the user's own scope
    (speed, issue 14)."""

    def read():
        visits = (
            access.scoped(user, Visit)
            .filter(SHOW["open"])
            .order_by(*SOONEST_FIRST)
            .values(
                "pk",
                "status",
                "starts_at",
                "host_academy_id",
                kind_name=F("kind__name"),
                host_name=F("host_academy__name"),
            )[:limit]
        )
        return [{**visit, "status_label": STATUS_LABELS.get(visit["status"], visit["status"])} for visit in visits]

    return remembered.remember("home-visits", (access.scope_key(user), limit), read)


def brokering_queue(user) -> QuerySet:
    """Open requests waiting for a broker, oldest first (coordinators)."""
    return (
        _listed(access.scoped(user, Visit).filter(status__in=Visit.OPEN_REQUEST))
        .prefetch_related("focus_areas")
        .order_by("requested_at", "pk")
    )


def trust_visits(user, trust: Trust, *, show: str = "all") -> QuerySet:
    """Visits to or from one trust's academies (a trust executive's page)."""
    about = Q(host_academy__trust=trust) | Q(visiting_academy__trust=trust) | Q(host_trust=trust)
    return _listed(access.scoped(user, Visit).filter(about).filter(SHOW.get(show, SHOW["all"]))).order_by(
        F("starts_at").desc(nulls_first=True), "-pk"
    )


def visit_trust(user, pk: int) -> Trust:
    return access.get_scoped_or_404(user, Trust, pk=pk)


def visit_detail(user, pk: int) -> Visit:
    """One visit with everything its page shows; 404 outside the user's scope."""
    qs = (
        access.scoped(user, Visit)
        .select_related(
            "kind",
            "network",
            "host_academy__trust",
            "visiting_academy__trust",
            "host_contact",
            "requested_by",
            "annual_for",
            "invoice_line",
        )
        .prefetch_related(
            "focus_areas",
            Prefetch("assignments", queryset=VisitVisitor.objects.select_related("person__academy").order_by("pk")),
            Prefetch(
                "actions", queryset=VisitAction.objects.select_related("owner", "closed_by").order_by("due_on", "pk")
            ),
            Prefetch("log", queryset=VisitLog.objects.select_related("by").order_by("at", "pk")),
        )
    )
    visit = access.get_scoped_or_404(user, qs.select_related("report"), pk=pk)
    visit.report_or_none = getattr(visit, "report", None)  # a reverse one-to-one: absent is None here
    return visit


def visit_action(user, pk: int) -> VisitAction:
    return access.get_scoped_or_404(
        user, VisitAction.objects.select_related("visit__kind", "visit__host_academy", "owner"), pk=pk
    )


def calendar_visit(user, pk: int) -> Visit:
    """A visit on the diary, for its .ics: anyone who sees it; 404 before it is scheduled."""
    qs = access.scoped(user, Visit).filter(status__in=Visit.ON_THE_DIARY).select_related("kind", "host_academy")
    return access.get_scoped_or_404(user, qs, pk=pk)


def agreed_report_visit(user, pk: int) -> Visit:
    """A visit whose report is agreed, for the PDF; 404 until the host has agreed it."""
    qs = (
        access.scoped(user, Visit)
        .filter(report__status=VisitReport.Status.AGREED)
        .select_related("kind", "network", "host_academy__trust", "visiting_academy", "report", "report__agreed_by")
        .prefetch_related(
            "focus_areas",
            Prefetch("assignments", queryset=VisitVisitor.objects.select_related("person").order_by("pk")),
            Prefetch("actions", queryset=VisitAction.objects.select_related("owner").order_by("due_on", "pk")),
        )
    )
    return access.get_scoped_or_404(user, qs, pk=pk)


def in_range(*, network, starts_on, ends_on) -> QuerySet:
    """A network's visits whose date falls between two days (inclusive, UK time)."""
    start, end = Year("range", starts_on, ends_on).bounds()
    return Visit.objects.filter(network=network, starts_at__gte=start, starts_at__lt=end)


def request_kinds(network_ids) -> QuerySet:
    return VisitKind.objects.filter(network_id__in=network_ids, is_active=True).select_related("network")


def feed_visits(person) -> QuerySet:
    """A person's visits on the diary (as visitor or host contact), for their personal
    calendar feed beside their CPD bookings (`events.attendance` feed view)."""
    return (
        Visit.objects.filter(status__in=Visit.ON_THE_DIARY)
        .filter(Q(assignments__person=person) | Q(host_contact=person))
        .select_related("kind", "host_academy")
        .distinct()
        .order_by("starts_at", "pk")
    )


def upcoming_for_person(person) -> QuerySet:
    return feed_visits(person).filter(status=S.SCHEDULED, ends_at__gte=timezone.now())


def agreed_reports_of(user, *, academy) -> QuerySet:
    """Hook for `impact` (evidence, attached in one click): the agreed reports of visits
    to `academy` that `user` may read (the access door), newest visit first."""
    return (
        access.scoped(user, VisitReport)
        .filter(status=VisitReport.Status.AGREED, visit__host_academy=academy)
        .select_related("visit__kind")
        .order_by("-visit__starts_at", "pk")
    )


def agreed_reports(*, network, starts_on, ends_on, trust_ids=None) -> QuerySet:
    """Impact evidence: visit reports agreed by their host, for visits in the range.
    This is the hook the impact room's evidence log reads (events never imports
    impact): each row is a report with its visit, host academy, focus areas and actions,
    and counts as evidence of the network's work with that academy."""
    qs = VisitReport.objects.filter(
        status=VisitReport.Status.AGREED, visit__in=in_range(network=network, starts_on=starts_on, ends_on=ends_on)
    )
    if trust_ids is not None:
        qs = qs.filter(visit__host_trust_id__in=trust_ids)
    return qs.select_related("visit__kind", "visit__host_academy", "visit__host_trust").prefetch_related(
        "visit__focus_areas", "visit__actions"
    )
