"""Evidence log pages: the log by initiative (coordinators the network, executives their
trust's academies, leaders their academy), a claim with its evidence, adding evidence,
the permission-checked attachment download, and attaching a survey result in one
click. Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from impact.evidence import confidence, selectors, services
from impact.evidence.forms import ClaimFilterForm, ClaimForm, EvidenceForm
from impact.surveys import selectors as survey_selectors
from impact.surveys.views import results_filters
from network.base.rules import has
from network.base.web import permission_required, service_errors

PAGE_SIZE = 25


def _rule_context() -> dict:
    return {"rule_text": confidence.RULE_TEXT, "lag_text": confidence.LAG_TEXT}


@permission_required("impact.open_evidence")
def evidence_log(request):
    choices = selectors.form_choices(request.user, with_claims=True)
    form = ClaimFilterForm(request.GET or None, **choices)
    data = form.cleaned_data if form.is_valid() else {}
    claims = selectors.claims(
        request.user,
        initiative_kind=data.get("initiative_kind") or "",
        hub=data.get("hub"),
        series=data.get("series") or "",
        academy=data.get("academy"),
        level=data.get("level") or "",
    )
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "impact/evidence/log.html", {"form": form, "page": page, **_rule_context()})


@permission_required("impact.open_evidence")
def claim_create(request):
    choices = selectors.form_choices(request.user)
    form = ClaimForm(request.POST or None, **choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            claim = services.claim_create(
                academy=data["academy"],
                statement=data["statement"],
                initiative_kind=data["initiative_kind"],
                hub=data.get("hub"),
                event_series=data.get("event_series") or "",
                initiative_ref=data.get("initiative_ref"),
                initiative_label=data.get("initiative_label") or "",
                guskey_level=data["guskey_level"],
                cpd_on=data.get("cpd_on"),
                by=request.user,
            )
        if not form.errors:
            messages.success(request, "Claim recorded. Now add the evidence for it.")
            return redirect("impact:claim_detail", pk=claim.pk)
    return render(request, "impact/evidence/claim_form.html", {"form": form, **_rule_context()})


def _render_claim(request, pk, form=None, status=200):
    claim = selectors.claim_detail(request.user, pk)
    return render(
        request,
        "impact/evidence/claim_detail.html",
        {
            "claim": claim,
            "form": form or EvidenceForm(),
            "may_record": has(request.user, "impact.record_evidence", claim),
            "grant_reports": selectors.grant_reports_to_attach(request.user, claim),
            "visit_reports": selectors.visit_reports_to_attach(request.user, claim),
            **_rule_context(),
        },
        status=status,
    )


@permission_required("impact.open_evidence")
def claim_detail(request, pk):
    return _render_claim(request, pk)


@permission_required("impact.open_evidence")
@require_POST
def evidence_add(request, pk):
    claim = selectors.claim_detail(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            services.evidence_add(
                claim=claim,
                source_type=data["source_type"],
                observed_on=data["observed_on"],
                summary=data["summary"],
                attachment=data.get("attachment"),
                by=request.user,
            )
        if not form.errors:
            messages.success(request, "Evidence added.")
            return redirect("impact:claim_detail", pk=pk)
    return _render_claim(request, pk, form=form, status=400)


@permission_required("impact.open_evidence")
def evidence_attachment(request, pk):
    """The file of one piece of evidence, to those who may see its claim (anyone else:
    404). Always a download, never shown inline, so a file cannot run in our origin."""
    item = selectors.item_for_download(request.user, pk)
    try:
        handle = item.attachment.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=item.attachment_name or "evidence")


@permission_required("impact.open_survey_results")
@require_POST
def survey_attach(request, pk):
    """Attach a survey's result, as filtered on its results page (the query string), to
    a claimed change in one click."""
    survey = survey_selectors.survey_for_user(request.user, pk)
    _form, filters, _q = results_filters(request, survey)
    claim = selectors.claim_for_user(request.user, request.POST.get("claim"))
    results = survey_selectors.results(request.user, survey, filters)
    try:
        services.survey_result_attach(claim=claim, survey=survey, results=results, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(
            reverse("impact:survey_results", args=[pk]) + (f"?{request.GET.urlencode()}" if request.GET else "")
        )
    messages.success(request, f"The survey result is attached as evidence to “{claim.statement}”.")
    return redirect("impact:claim_detail", pk=claim.pk)


@permission_required("impact.open_evidence")
@require_POST
def grant_outcome_attach(request, pk):
    """Attach one of the academy's published grant outcome reports to the claim."""
    claim = selectors.claim_for_user(request.user, pk)
    report = selectors.grant_report_for(claim, request.POST.get("report"))
    try:
        services.grant_outcome_attach(claim=claim, report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The outcome report of “{report.bid.title}” is attached as evidence.")
    return redirect("impact:claim_detail", pk=claim.pk)


@permission_required("impact.open_evidence")
@require_POST
def visit_report_attach(request, pk):
    """Attach the agreed report of a visit to the claim's academy."""
    claim = selectors.claim_for_user(request.user, pk)
    report = selectors.visit_report_for(request.user, claim, request.POST.get("report"))
    try:
        services.visit_report_attach(claim=claim, report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The visit's report is attached as evidence.")
    return redirect("impact:claim_detail", pk=claim.pk)
