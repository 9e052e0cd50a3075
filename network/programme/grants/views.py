"""Innovation grant pages: thin views that parse, call a selector or a service, render.

Who reaches what (everyone else: 404): members and coordinators see rounds; leaders of
member schools bid; reviewers see their own assignments (never a bid from their own
trust: the door leaves it out); coordinators assign, award and download the finance
CSV; members read the outcomes library."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from network.base.models import User
from network.base.rules import NotAllowed, has
from network.base.web import csv_response, form_errors, permission_required, service_errors
from network.programme.grants import exporters, selectors
from network.programme.grants.forms import (
    AssignReviewerForm,
    BidForm,
    BudgetLineFormSet,
    DecisionForm,
    LibrarySearchForm,
    ReportForm,
    ReviewForm,
    budget_lines,
)
from network.programme.grants.models import GrantReport
from network.programme.grants.policy import MIN_REVIEWS
from network.programme.grants.services import awards, bids, reports, reviews

PAGE_SIZE = 25


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


@permission_required("network.open_grants")
def grant_rounds(request):
    return render(request, "network/grants/rounds.html", {"page": _page(request, selectors.rounds_for(request.user))})


@permission_required("network.open_grants")
def grant_round_detail(request, pk):
    grant_round = selectors.round_detail(request.user, pk)
    return render(
        request,
        "network/grants/round_detail.html",
        {
            "round": grant_round,
            "page": _page(request, selectors.bids_in_round(request.user, grant_round)),
            "may_bid": has(request.user, "network.bid_for_grants"),
            "min_reviews": MIN_REVIEWS,
        },
    )


def _bid_form(request, *, grant_round, bid=None):
    """The bid form, for a new bid or a draft: "Save draft" keeps it, "Submit" sends it."""
    user = request.user
    initial_lines = (
        [{"description": line.description, "amount": line.amount} for line in bid.budget_lines.all()] if bid else []
    )
    form = BidForm(request.POST or None, instance=bid)
    lines = BudgetLineFormSet(request.POST or None, initial=initial_lines, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        data = form.cleaned_data
        try:
            bid = bids.bid_save(
                grant_round=grant_round,
                bid=bid,
                title=data["title"],
                aims=data["aims"],
                intended_impact=data["intended_impact"],
                measurement=data["measurement"],
                amount_requested=data["amount_requested"],
                lines=budget_lines(lines),
                by=user,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            if "submit" not in request.POST:
                messages.success(request, "Your draft is saved. You can come back to it until the close date.")
                return redirect("network:grant_bid_edit", pk=bid.pk)
            try:
                bids.bid_submit(bid=bid, by=user)
            except ValidationError as error:
                # The draft is kept (saved above); the form now posts to it, not a new bid.
                form_errors(form, error)
                messages.info(request, "Your draft is saved, but not submitted yet: please see what to fix.")
            else:
                messages.success(request, "Your bid is submitted. Your headteacher has been sent a link to endorse it.")
                return redirect("network:grant_bid_detail", pk=bid.pk)
    return _render_bid_form(request, grant_round, bid, form, lines, status=400 if request.method == "POST" else 200)


def _render_bid_form(request, grant_round, bid, form, lines, status):
    return render(
        request,
        "network/grants/bid_form.html",
        {"round": grant_round, "bid": bid, "form": form, "lines": lines},
        status=status,
    )


@permission_required("network.bid_for_grants")
def grant_bid_create(request, pk):
    grant_round = selectors.round_detail(request.user, pk)
    return _bid_form(request, grant_round=grant_round)


@permission_required("network.bid_for_grants")
def grant_bid_edit(request, pk):
    bid = selectors.bid_detail(request.user, pk)
    if not has(request.user, "network.edit_bid", bid):
        return redirect("network:grant_bid_detail", pk=bid.pk)
    return _bid_form(request, grant_round=bid.round, bid=bid)


@permission_required("network.open_grants")
def grant_bid_detail(request, pk):
    user = request.user
    bid = selectors.bid_detail(user, pk)
    run = has(user, "network.run_grants")
    context = {
        "bid": bid,
        "min_reviews": MIN_REVIEWS,
        "may_run": run,  # the review panel: scores and reviewers are the coordinators'
        "may_edit": has(user, "network.edit_bid", bid),
        "may_report": has(user, "network.file_grant_report", bid),
        "reports": {r.kind: r for r in bid.reports.all()},
    }
    if run and bid.status == bid.Status.SUBMITTED:
        context["assign_form"] = AssignReviewerForm(candidates=selectors.reviewer_candidates(bid))
        context["decision_form"] = DecisionForm()
    return render(request, "network/grants/bid_detail.html", context)


@permission_required("network.run_grants")
@require_POST
def grant_bid_assign(request, pk):
    bid = selectors.bid_detail(request.user, pk)
    # Any active login may be posted: the service asks the conflict-of-interest rule and
    # refuses with its reason (the page offers only the candidates who pass it).
    form = AssignReviewerForm(request.POST, candidates=User.objects.filter(is_active=True))
    if form.is_valid():
        try:
            review = reviews.review_assign(bid=bid, reviewer=form.cleaned_data["reviewer"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except NotAllowed as refusal:  # the conflict-of-interest rule, said on the bid's page
            messages.error(request, refusal.message)
        else:
            messages.success(request, f"{review.reviewer} is asked to review this bid.")
    else:
        messages.error(request, "Please choose a reviewer.")
    return redirect("network:grant_bid_detail", pk=bid.pk)


@permission_required("network.run_grants")
@require_POST
def grant_bid_decide(request, pk):
    bid = selectors.bid_detail(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "award":
                awards.bid_award(bid=bid, amount=data["amount"], note=data["note"], by=request.user)
                messages.success(request, "Awarded. The award letter is on its way.")
            else:
                awards.bid_decline(bid=bid, note=data["note"], by=request.user)
                messages.success(request, "Recorded as not funded. The letter is on its way.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, "Please choose to award or not to fund.")
    return redirect("network:grant_bid_detail", pk=bid.pk)


def grant_endorse(request, token):
    """The emailed link: the academy's headteacher endorses a bid, signed in or not (the
    signed token names the bid and the head)."""
    found = bids.endorsement_from_token(token)
    if found is None:
        return render(request, "network/grants/endorse_invalid.html", status=410)
    bid, head = found
    if request.method == "POST":
        try:
            bids.bid_endorse(bid=bid, head=head)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Thank you: the bid is endorsed.")
        return redirect("network:grant_endorse", token=token)
    return render(request, "network/grants/endorse.html", {"bid": bid, "head": head})


@permission_required("network.open_my_reviews")
def grant_reviews(request):
    return render(request, "network/grants/reviews.html", {"page": _page(request, selectors.reviews_for(request.user))})


@permission_required("network.open_my_reviews")
def grant_review(request, pk):
    user = request.user
    review = selectors.review_detail(user, pk)
    criteria = review.bid.round.criteria.all()
    initial = {f"criterion_{k}": str(v) for k, v in review.scores.items()} | {"comment": review.comment}
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    may_score = has(user, "network.score_review", review)
    if request.method == "POST":
        if not may_score:
            raise Http404
        if form.is_valid():
            with service_errors(form):
                reviews.review_submit(
                    review=review, scores=form.scores(), comment=form.cleaned_data["comment"], by=user
                )
            if not form.errors:
                messages.success(request, "Thank you: your review is saved.")
                return redirect("network:grant_reviews")
    return render(
        request,
        "network/grants/review_form.html",
        {"review": review, "bid": review.bid, "form": form, "may_score": may_score},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("network.bid_for_grants")
def grant_report(request, pk, kind):
    user = request.user
    bid = selectors.bid_detail(user, pk)
    if kind not in GrantReport.Kind.values or not has(user, "network.file_grant_report", bid):
        raise Http404
    existing = next((r for r in bid.reports.all() if r.kind == kind), None)
    form = ReportForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            reports.report_file(bid=bid, kind=kind, by=user, **form.cleaned_data)
        if not form.errors:
            if kind == GrantReport.Kind.FINAL:
                messages.success(request, "Thank you: your final report is published in the outcomes library.")
            else:
                messages.success(request, "Thank you: your midpoint report is filed.")
            return redirect("network:grant_bid_detail", pk=bid.pk)
    return render(
        request,
        "network/grants/report_form.html",
        {"bid": bid, "form": form, "kind_label": GrantReport.Kind(kind).label},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("network.read_outcomes_library")
def grant_outcomes(request):
    form = LibrarySearchForm(request.GET or None)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    return render(
        request,
        "network/grants/library.html",
        {"form": form, "q": q, "page": _page(request, selectors.library(request.user, q=q))},
    )


@permission_required("network.read_outcomes_library")
def grant_outcome_detail(request, pk):
    return render(request, "network/grants/library_detail.html", {"report": selectors.library_report(request.user, pk)})


@permission_required("network.run_grants")
def grant_finance_csv(request):
    year = request.GET.get("year", "")
    rows = exporters.finance_rows(selectors.awards_for_finance(request.user, year_label=year))
    return csv_response(f"grants{'-' + year if year else ''}.csv", exporters.HEADER, rows)
