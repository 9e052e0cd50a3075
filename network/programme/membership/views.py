"""Membership pages: thin views that parse, call a selector or a service, and render.

Who reaches what (everyone else gets a 404, as for any object out of scope):
coordinators everything; trust executives and science leaders their academies'
memberships, confirmed outcomes and applications; steering-group members the referrals.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from network.base import access
from network.base.inputs import parse_id
from network.base.rules import has
from network.base.web import csv_response, form_errors, permission_required
from network.programme.membership import review, rows, selectors
from network.programme.membership.forms import (
    ApplicationForm,
    DecisionForm,
    InviteYearForm,
    MembershipFilterForm,
    ProposalDecisionFormSet,
    ReviewStartForm,
)
from network.programme.membership.models import Outcome, ReviewRun
from network.programme.membership.services import applications, invitations, years
from network.programme.models import Network
from trusts.selectors import trust_choices

PAGE_SIZE = 25


def _page(request, items, size=PAGE_SIZE):
    return Paginator(items, size).get_page(request.GET.get("page"))


@permission_required("network.open_membership_pages")
def membership_list(request):
    user = request.user
    choices = selectors.membership_filter_choices(user)
    form = MembershipFilterForm(
        request.GET or None, years=choices["years"], trusts=trust_choices(user), choices=choices
    )
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.membership_page(
        user,
        request.GET.get("page"),
        size=PAGE_SIZE,
        network=filters.get("network"),
        year_label=filters.get("year") or "",
        status=filters.get("status") or "",
        trust=filters.get("trust"),
    )
    page.object_list = rows.with_rows(list(page.object_list))
    return render(request, "network/membership/list.html", {"form": form, "page": page})


@permission_required("network.open_membership_pages")
def membership_outcomes(request):
    outcomes = selectors.confirmed_outcomes_for(request.user)
    return render(
        request,
        "network/membership/outcomes.html",
        {"page": _page(request, outcomes)},
    )


@permission_required("network.open_membership_pages")
def membership_academy(request, urn):
    academy = selectors.academy_membership(request.user, urn)
    return render(request, "network/membership/academy.html", {"academy": academy, "today": timezone.localdate()})


@permission_required("network.open_membership_pages")
@require_POST
def membership_accept(request, pk):
    # Through the academy's current scope, not the reading rule: an academy's old trust
    # still reads the membership credited to it, but cannot accept for the academy.
    membership = access.get_scoped_or_404(
        request.user, selectors.memberships_to_act_for(request.user).select_related("academy", "year"), pk=pk
    )
    try:
        invitations.membership_accept(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{membership.academy.name} is a member for {membership.year.label}. Welcome!")
    return redirect("network:membership_academy", urn=membership.academy.urn)


@permission_required("network.open_membership_pages")
def membership_apply(request):
    user = request.user
    academies = selectors.applicable_academies(user)
    form = ApplicationForm(request.POST or None, request.FILES or None, academies=academies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = applications.application_submit(
                academy=data["academy"],
                network=data["network"],
                label=data["year"],
                evidence_text=data["evidence_text"],
                files=data["files"],
                by=user,
            )
        except applications.ApplicationAlreadySent as already:
            # A double click, or a second try: show the application that was sent.
            messages.info(request, " ".join(already.messages))
            return redirect("network:membership_application_detail", pk=already.application.pk)
        except ValidationError as error:
            form_errors(form, error)
        else:
            if application.is_referred:
                messages.info(
                    request,
                    "Thank you. Your application does not meet the criteria by data alone, so it has been referred "
                    "to the steering group, who will read your evidence.",
                )
            else:
                messages.success(request, "Thank you. Your application has been sent to the network coordinators.")
            return redirect("network:membership_application_detail", pk=application.pk)
    return render(request, "network/membership/apply.html", {"form": form})


@permission_required("network.read_applications")
def membership_application_detail(request, pk):
    user = request.user
    application = selectors.application_detail(user, pk)
    can_decide = has(user, "network.decide_pending_application", application)
    return render(
        request,
        "network/membership/application_detail.html",
        {"application": application, "form": DecisionForm() if can_decide else None},
    )


@permission_required("network.open_referrals")
@require_POST
def membership_application_decide(request, pk):
    user = request.user
    application = selectors.application_detail(user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            applications.application_decide(
                application=application,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                by=user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The decision is recorded and the academy will be told.")
            return redirect("network:membership_application_detail", pk=application.pk)
    return render(
        request, "network/membership/application_detail.html", {"application": application, "form": form}, status=400
    )


@permission_required("network.read_applications")
def membership_evidence_download(request, pk):
    evidence = selectors.evidence_file(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.name)


@permission_required("network.open_referrals")
def steering_referrals(request):
    show = request.GET.get("show", "open")
    referrals = selectors.referrals_for(request.user, decided={"open": False, "decided": True}.get(show))
    return render(
        request,
        "network/membership/referrals.html",
        {"page": _page(request, referrals), "show": show},
    )


@permission_required("network.run_membership_year")
def membership_reviews(request):
    runs = selectors.review_runs_for(request.user)
    return render(
        request,
        "network/membership/reviews.html",
        {"page": _page(request, runs), "form": ReviewStartForm()},
    )


@permission_required("network.run_membership_year")
@require_POST
def membership_review_start(request):
    form = ReviewStartForm(request.POST)
    if not form.is_valid():
        runs = selectors.review_runs_for(request.user)
        return render(
            request, "network/membership/reviews.html", {"page": _page(request, runs), "form": form}, status=400
        )
    run, created = review.review_run(
        network=form.cleaned_data["network"],
        label=form.cleaned_data["year"],
        trigger=ReviewRun.Trigger.PAGE,
        by=request.user,
    )
    if created:
        messages.success(request, f"The review of {run.year} has run. Check the proposals, then confirm them.")
    else:
        messages.info(request, f"The review of {run.year} had already run on {run.started_at:%d/%m/%Y}; here it is.")
    return redirect("network:membership_review_detail", pk=run.pk)


@permission_required("network.run_membership_year")
def membership_review_detail(request, pk):
    user = request.user
    run = selectors.review_run_detail(user, pk)
    outcome = request.GET.get("outcome", "")
    pending_only = request.GET.get("pending") == "1"
    proposals = selectors.proposals_of(user, run, outcome=outcome, pending_only=pending_only)
    page = _page(request, proposals)
    asking = None  # "confirm all on this page" asks first: it cannot be undone and touches every row
    if request.method == "POST":
        formset = ProposalDecisionFormSet(request.POST)
        action = request.POST.get("action")
        if formset.is_valid() and action == "all":
            problems = review.review_decision_problems(run=run, decisions=_decisions(formset, confirm_all=True))
            for message in problems:
                messages.error(request, message)
            asking = None if problems else _confirm_all_summary(formset)
        elif formset.is_valid() and action != "back":
            decisions = _decisions(formset, confirm_all=action == "all-confirmed")
            try:
                result = review.review_decide(run=run, decisions=decisions, by=user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                parts = [f"{result.confirmed} confirmed", f"{result.overridden} changed with a reason"]
                parts.append(f"{result.letters} letter{'s' if result.letters != 1 else ''} queued")
                messages.success(request, "Saved: " + ", ".join(parts) + ".")
                if result.already_had_next_year:
                    messages.info(
                        request,
                        "These academies already had a membership for next year, left as it was: "
                        + ", ".join(result.already_had_next_year),
                    )
                return redirect(request.get_full_path())
    else:
        formset = ProposalDecisionFormSet(
            initial=[
                {"proposal": p.pk, "outcome": p.override_outcome, "reason": p.override_reason}
                for p in page.object_list
                if not p.is_confirmed
            ]
        )
    counts = run.outcome_counts
    # Confirmed proposals are final: they are shown without controls.
    forms_by_id = {}
    for form in formset:
        try:
            forms_by_id[int(form["proposal"].value())] = form
        except (TypeError, ValueError):
            continue
    return render(
        request,
        "network/membership/review_detail.html",
        {
            "run": run,
            "page": page,
            "rows": [(p, forms_by_id.get(p.pk)) for p in page.object_list],
            "formset": formset,
            "outcomes": [(value, label, counts.get(value, 0)) for value, label in Outcome.choices],
            "outcome": outcome,
            "pending_only": pending_only,
            "asking": asking,
        },
    )


def _decisions(formset, *, confirm_all: bool) -> list:
    return [
        review.ProposalDecision(
            proposal_id=form.cleaned_data["proposal"],
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            confirm=confirm_all or form.cleaned_data["confirm"],
        )
        for form in formset
    ]


def _confirm_all_summary(formset) -> dict:
    """What "confirm all on this page" would do: how many outcomes, and of which kind."""
    labels = dict(Outcome.choices)
    chosen = [form.cleaned_data["outcome"] for form in formset]
    by_outcome = {}
    for value in chosen:
        label = labels.get(value, "the proposed outcome") if value else "the proposed outcome"
        by_outcome[label] = by_outcome.get(label, 0) + 1
    return {"count": len(chosen), "by_outcome": sorted(by_outcome.items())}


@permission_required("network.run_membership_year")
def membership_growth(request):
    networks = list(selectors.networks())
    network = next((n for n in networks if str(n.pk) == request.GET.get("network")), networks[0] if networks else None)
    rows, target = selectors.growth(request.user, network) if network else ([], None)
    return render(
        request,
        "network/membership/growth.html",
        {"networks": networks, "network": network, "rows": rows, "target": target},
    )


@permission_required("network.run_membership_year")
def membership_invite(request):
    user = request.user
    form = InviteYearForm(request.GET or None)
    candidates = []
    year_label = network = None
    if form.is_valid():
        network, year_label = form.cleaned_data["network"], form.cleaned_data["year"]
        candidates = review.invitable(network=network, label=year_label)
    if request.method == "POST" and network:
        chosen = set(request.POST.getlist("academy"))
        academies = [academy for academy, _ in candidates if str(academy.pk) in chosen]
        if not academies:
            messages.error(request, "Choose at least one academy to invite.")
        else:
            year = years.membership_year_get_or_create(network=network, label=year_label)
            invited = invitations.membership_invite(year=year, academies=academies, by=user)
            messages.success(request, f"{len(invited)} academ{'y' if len(invited) == 1 else 'ies'} invited to {year}.")
            return redirect(request.get_full_path())
    return render(
        request,
        "network/membership/invite.html",
        {"form": form, "candidates": candidates, "network": network, "year_label": year_label},
    )


@permission_required("network.run_membership_year")
def membership_invoices_csv(request):
    network = None
    network_id = parse_id(request.GET.get("network"))
    if network_id is not None:
        network = get_object_or_404(Network, pk=network_id)
    year_label = request.GET.get("year", "")
    lines = selectors.invoice_lines_for(request.user, year_label=year_label, network=network)
    name = "-".join(part for part in ["invoice-lines", year_label] if part)

    def rows():
        for line in lines.iterator(chunk_size=500):
            membership = line.membership
            yield [
                line.pk,
                timezone.localtime(line.created_at).strftime("%d/%m/%Y"),
                membership.year.network.name,
                membership.year.label,
                membership.academy.urn,
                membership.academy.name,
                membership.trust.name if membership.trust else "",
                line.get_kind_display(),
                line.description,
                line.net_amount,
                line.vat_rate,
                line.vat_amount,
                line.gross_amount,
            ]

    header = ["Line", "Date", "Network", "Year", "URN", "Academy", "Trust", "Kind", "Description"]
    header += ["Net (£)", "VAT rate (%)", "VAT (£)", "Gross (£)"]
    return csv_response(f"{name}.csv", header, rows())


def steering_home_context(user) -> dict:
    return {
        "referrals": selectors.referrals_for(user, decided=False)[:10],
        "open_count": selectors.open_referral_count(user),
        "referrals_url": reverse("network:steering_referrals"),
    }
