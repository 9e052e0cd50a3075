"""Visit pages: my visits, request a visit, a visit with its report and actions, the
report editor, downloads (.ics, the agreed report's PDF), the coordinators' brokering
queue, brokering page and coverage planner, and a trust's visits. Thin: parse, call a
selector or a service, render. State changes are POSTs; out of scope is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from events.visits import brokering, coverage, exporters, selectors
from events.visits.forms import (
    ActionFormSet,
    ActionUpdateForm,
    CoverageFilterForm,
    ReasonForm,
    ReportForm,
    ReviewForm,
    VisitRequestForm,
    VisitScheduleForm,
)
from events.visits.models import Visit, VisitAction, VisitReport
from events.visits.services import actions as action_services
from events.visits.services import reports, requests, scheduling
from network.base import access
from network.base.inputs import parse_id, parse_int
from network.base.ratelimit import rate_limited
from network.base.rules import has
from network.base.web import permission_required, service_errors
from network.programme.membership.models import MembershipYear
from network.programme.models import Hub, Network
from trusts.models import Academy, Person, Region, Trust

PAGE_SIZE = 20


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _say(request, error) -> None:
    for message in getattr(error, "messages", [str(error)]):
        messages.error(request, message)


# -- Lists -----------------------------------------------------------------------------


@permission_required("events.see_visits")
@require_GET
def visit_list(request):
    """My visits: a leader's academy's, a visitor's assigned ones, an executive's trust's,
    a coordinator's all."""
    show = request.GET.get("show", "open")
    return render(
        request,
        "events/visits/visit_list.html",
        {"page": _page(request, selectors.visits_for(request.user, show=show)), "show": show},
    )


@permission_required("events.open_trust_visits")
@require_GET
def trust_visits(request, pk):
    trust = selectors.visit_trust(request.user, pk)
    network = Network.objects.filter(member_trusts=trust).first()
    year = coverage.current_year(network) if network else None
    figures = (
        coverage.visit_figures(network=network, starts_on=year.starts_on, ends_on=year.ends_on, trust_ids=[trust.pk])
        if year
        else None
    )
    return render(
        request,
        "events/visits/trust_visits.html",
        {
            "trust": trust,
            "page": _page(request, selectors.trust_visits(request.user, trust)),
            "figures": figures,
            "year": year,
        },
    )


@permission_required("events.broker_visits")
@require_GET
def visit_queue(request):
    years = MembershipYear.objects.select_related("network").order_by("-starts_on")[:6]
    return render(
        request,
        "events/visits/queue.html",
        {"page": _page(request, selectors.brokering_queue(request.user)), "years": years},
    )


@permission_required("events.broker_visits")
@require_POST
@rate_limited("visit_change")
def visits_annual(request):
    year_id = parse_id(request.POST.get("year"))
    year = MembershipYear.objects.filter(pk=year_id).select_related("network").first() if year_id else None
    if year is None:
        raise Http404
    created = requests.visits_create_annual(year=year, by=request.user)
    messages.success(
        request,
        f"{created} annual visit request{'s' if created != 1 else ''} created for {year.network.name} {year.label}."
        if created
        else f"Every active member already has its annual visit for {year.label}.",
    )
    return redirect("events:visit_queue")


@permission_required("events.broker_visits")
@require_GET
def visit_coverage(request):
    network = Network.objects.order_by("name").first()
    years = list(MembershipYear.objects.filter(network=network).order_by("-starts_on")) if network else []
    form = CoverageFilterForm(
        request.GET or None,
        years=years,
        trusts=Trust.objects.filter(networks=network).order_by("name"),
        hubs=Hub.objects.filter(network=network).order_by("name"),
        regions=[value for value, _ in Region.choices],
    )
    filters = form.cleaned_data if form.is_valid() else {}
    year = next((y for y in years if y.label == filters.get("year")), None) or (
        coverage.current_year(network) if network else None
    )
    if year is None:
        return render(request, "events/visits/coverage.html", {"form": form, "year": None})
    planner = coverage.coverage(
        request.user,
        year=year,
        trust=filters.get("trust"),
        hub=filters.get("hub"),
        tier=filters.get("tier") or None,
        region=filters.get("region") or "",
    )
    return render(
        request,
        "events/visits/coverage.html",
        {"form": form, "year": year, "planner": planner, "page": _page(request, planner.rows)},
    )


# -- Asking for a visit -------------------------------------------------------------------


def _request_choices(user):
    academies = access.scoped(user, Academy).filter(is_open=True, trust__networks__isnull=False).distinct()
    if user.is_leader:
        academies = academies.filter(pk=user.person.academy_id)
    networks = Network.objects.filter(member_trusts__academies__in=academies).distinct()
    return academies.select_related("trust").order_by("name"), selectors.request_kinds(networks)


@permission_required("events.request_visit")
@rate_limited("visit_request")
def visit_request(request):
    academies, kinds = _request_choices(request.user)
    form = VisitRequestForm(request.POST or None, academies=academies, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            visit = requests.visit_request(
                academy=data["academy"],
                kind=data["kind"],
                direction=data["direction"],
                focus_areas=data["focus_areas"],
                preferred_weeks=data["preferred_weeks"],
                notes=data["notes"],
                by=request.user,
            )
        if not form.errors:
            messages.success(request, "Your request is with the network's coordinators, who will find a match.")
            return redirect("events:visit_detail", visit.pk)
    return render(request, "events/visits/request.html", {"form": form})


# -- One visit ------------------------------------------------------------------------------


@login_required
@require_GET
def visit_detail(request, pk):
    visit = selectors.visit_detail(request.user, pk)
    user = request.user
    report = visit.report_or_none
    may_write = has(user, "events.write_visit_report", visit)
    show_report = report is not None and (report.status != VisitReport.Status.DRAFT or may_write)
    return render(
        request,
        "events/visits/visit_detail.html",
        {
            "visit": visit,
            "report": report if show_report else None,
            "may_cancel": visit.status in (*Visit.OPEN_REQUEST, Visit.Status.SCHEDULED)
            and has(user, "events.cancel_visit", visit),
            "may_complete": visit.status == Visit.Status.SCHEDULED
            and visit.starts_at <= timezone.now()
            and has(user, "events.complete_visit", visit),
            "may_write": may_write and visit.status == Visit.Status.COMPLETED,
            "may_review": visit.status == Visit.Status.REPORT_SUBMITTED
            and has(user, "events.review_visit_report", visit),
            "may_broker": visit.status in (*Visit.OPEN_REQUEST, Visit.Status.SCHEDULED)
            and has(user, "events.broker_visits"),
            "actions": [
                (a, visit.status == Visit.Status.REPORT_AGREED and has(user, "events.update_visit_action", a))
                for a in visit.actions.all()
            ],
            "action_statuses": VisitAction.Status.choices,
        },
    )


@login_required
@require_POST
@rate_limited("visit_change")
def visit_cancel(request, pk):
    visit = selectors.visit_detail(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the visit is cancelled: the people involved will read it.")
        return redirect("events:visit_detail", pk)
    return _post_service(
        request,
        pk,
        lambda: requests.visit_cancel(visit=visit, reason=form.cleaned_data["reason"], by=request.user),
        "The visit is cancelled, and everyone who was told about it has been emailed.",
    )


def _post_service(request, pk, call, success: str):
    """Run a service for a POST; its refusal is said on the visit's page."""
    try:
        call()
        messages.success(request, success)
    except ValidationError as error:
        _say(request, error)
    return redirect("events:visit_detail", pk)


@login_required
@require_POST
@rate_limited("visit_change")
def visit_complete(request, pk):
    visit = selectors.visit_detail(request.user, pk)
    return _post_service(
        request,
        pk,
        lambda: scheduling.visit_complete(visit=visit, by=request.user),
        "The visit is marked as completed: the report can now be written.",
    )


@login_required
@require_POST
@rate_limited("visit_change")
def visit_report_review(request, pk):
    visit = selectors.visit_detail(request.user, pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    agree = request.POST.get("decision") == "agree"
    return _post_service(
        request,
        pk,
        lambda: reports.report_review(
            visit=visit, agree=agree, comment=form.cleaned_data.get("comment", ""), by=request.user
        ),
        "You have agreed the report; its actions are now tracked."
        if agree
        else "Your comments have gone to the visitor, who will revise the report.",
    )


@login_required
@require_POST
@rate_limited("visit_change")
def action_update(request, pk):
    action = selectors.visit_action(request.user, pk)
    form = ActionUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose open, in progress or closed.")
        return redirect("events:visit_detail", action.visit_id)
    return _post_service(
        request,
        action.visit_id,
        lambda: action_services.action_update(
            action=action, status=form.cleaned_data["status"], note=form.cleaned_data["note"], by=request.user
        ),
        "The action is updated.",
    )


@login_required
@rate_limited("visit_change")
def visit_report_edit(request, pk):
    """The visitor's report: save a draft, or submit it to the host."""
    visit = selectors.visit_detail(request.user, pk)
    if not has(request.user, "events.write_visit_report", visit):
        raise Http404
    report = VisitReport.objects.filter(visit=visit).first()
    owners = Person.objects.filter(academy_id=visit.host_academy_id).order_by("last_name", "first_name")
    framework = visit.kind.uses_framework
    if request.method == "POST":
        form = ReportForm(request.POST, framework=framework)
        formset = ActionFormSet(request.POST, prefix="actions", form_kwargs={"owners": owners})
        if form.is_valid() and formset.is_valid():
            drafts = [
                reports.ActionDraft(f.cleaned_data["description"], f.cleaned_data["owner"], f.cleaned_data["due_on"])
                for f in formset
                if f.cleaned_data.get("description")
            ]
            submit = request.POST.get("submit") == "submit"
            with service_errors(form):
                reports.report_save(
                    visit=visit,
                    by=request.user,
                    seen=form.cleaned_data["seen"],
                    strengths=form.cleaned_data["strengths"],
                    development=form.cleaned_data["development"],
                    strands=form.strands(),
                    focus_areas=form.cleaned_data["focus_areas"],
                    actions=drafts,
                    submit=submit,
                )
            if not form.errors:
                messages.success(
                    request,
                    "The report is submitted: the host academy will agree it or ask for changes."
                    if submit
                    else "Your draft is saved.",
                )
                return redirect("events:visit_detail" if submit else "events:visit_report_edit", pk)
    else:
        initial = {"focus_areas": list(visit.focus_areas.all())}
        if report:
            initial.update(seen=report.seen, strengths=report.strengths, development=report.development)
            initial.update({f"strand_{k}": v for k, v in report.strands.items()})
        form = ReportForm(initial=initial, framework=framework)
        formset = ActionFormSet(
            prefix="actions",
            form_kwargs={"owners": owners},
            initial=[{"description": a.description, "owner": a.owner, "due_on": a.due_on} for a in visit.actions.all()],
        )
    return render(
        request,
        "events/visits/report_edit.html",
        {
            "visit": visit,
            "report": report,
            "form": form,
            "formset": formset,
            "writable": visit.status == Visit.Status.COMPLETED,
        },
    )


@login_required
@require_GET
def visit_report_pdf(request, pk):
    visit = selectors.agreed_report_visit(request.user, pk)
    response = HttpResponse(exporters.report_pdf(visit), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="visit-report-{visit.pk}.pdf"'
    return response


@login_required
@require_GET
def visit_ics(request, pk):
    visit = selectors.calendar_visit(request.user, pk)
    response = HttpResponse(exporters.visit_ics(visit), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="visit-{visit.pk}.ics"'
    return response


# -- Brokering ----------------------------------------------------------------------------


@permission_required("events.broker_visits")
@rate_limited("visit_change")
def visit_broker(request, pk):
    """Suggestions ranked by fit, and the form to propose or schedule (a suggestion's
    *Use* link fills the host or adds the visitor)."""
    visit = selectors.visit_detail(request.user, pk)
    if request.method == "POST":
        form = VisitScheduleForm(request.POST)
        if form.is_valid():
            host, visitors, contact = form.people()
            propose = request.POST.get("step") == "propose"
            times = None if propose or form.errors else form.times()
            if not form.errors:
                with service_errors(form):
                    if propose:
                        requests.visit_propose(visit=visit, host_academy=host, visitors=visitors, by=request.user)
                    else:
                        scheduling.visit_schedule(
                            visit=visit,
                            starts_at=times[0],
                            ends_at=times[1],
                            visitors=visitors,
                            host_academy=host,
                            host_contact=contact,
                            is_online=form.cleaned_data["is_online"],
                            location=form.cleaned_data["location"],
                            joining_link=form.cleaned_data["joining_link"],
                            reason=form.cleaned_data["reason"],
                            by=request.user,
                        )
                if not form.errors:
                    messages.success(
                        request,
                        "The proposal is recorded."
                        if propose
                        else "The visit is scheduled and everyone on it has been emailed.",
                    )
                    return redirect("events:visit_detail", pk)
    else:
        form = VisitScheduleForm(initial=_broker_initial(request, visit))
    return render(
        request,
        "events/visits/broker.html",
        {"visit": visit, "form": form, "suggestions": brokering.suggestions(visit)},
    )


def _broker_initial(request, visit):
    """The form as the visit stands, with a suggestion's host or visitor added."""
    emails = [a.person.email for a in visit.assignments.all()]
    extra = request.GET.get("visitor")
    if extra and extra not in emails:
        emails.append(extra)
    initial = {
        "host_urn": parse_int(request.GET.get("host"), lowest=1)
        or (visit.host_academy.urn if visit.host_academy_id else None),
        "visitor_emails": ", ".join(emails),
        "host_contact_email": visit.host_contact.email if visit.host_contact_id else "",
        "is_online": visit.is_online,
        "location": visit.location,
        "joining_link": visit.joining_link,
    }
    if visit.starts_at:
        start, end = timezone.localtime(visit.starts_at), timezone.localtime(visit.ends_at)
        initial.update(day=start.date(), start_time=start.time(), end_time=end.time())
    return initial
