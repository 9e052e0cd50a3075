"""The six-lens review pages: the list (and opening a year's review), a review with
its comparison and comments, editing it, and commenting."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from impact.reviews import selectors
from impact.reviews.forms import CommentForm, RatingForm, ReviewCreateForm, ReviewForm
from impact.reviews.models import Lens, LensReview
from impact.reviews.services import lens_review_comment, lens_review_create, lens_review_update
from network.base import access
from network.base.rules import ensure, has
from network.base.web import permission_required, service_errors
from network.programme.models import Hub, Network


@permission_required("impact.read_lens_reviews")
def lens_review_home(request):
    """The menu's link for the steering group: the (first) network's reviews."""
    network = Network.objects.order_by("name").first()
    if network is None:
        raise Http404
    return redirect("impact:lens_reviews", slug=network.slug)


@permission_required("impact.read_lens_reviews")
@require_http_methods(["GET", "POST"])
def lens_reviews(request, slug):
    # The door shows the steering group no `everyone` rows (fail closed), and networks are
    # such rows; the rule above has already said they may read the network's reviews, and
    # a network's name is the portal's own, not anyone's data.
    network = get_object_or_404(Network, slug=slug)
    may_edit = has(request.user, "impact.edit_lens_review")
    form = ReviewCreateForm(request.POST or None, hubs=Hub.objects.filter(network=network)) if may_edit else None
    if request.method == "POST":
        ensure(request.user, "impact.edit_lens_review")
        if form.is_valid():
            with service_errors(form):
                review = lens_review_create(
                    network=network,
                    year_label=form.cleaned_data["year_label"],
                    hub=form.cleaned_data["hub"],
                    by=request.user,
                )
            if not form.errors:
                messages.success(request, f"{review} is open: rate each lens.")
                return redirect("impact:lens_review_edit", pk=review.pk)
    context = {"network": network, "reviews": selectors.reviews_for(request.user, network), "form": form}
    return render(request, "impact/reviews/list.html", context)


@permission_required("impact.read_lens_reviews")
def lens_review_detail(request, pk):
    context = selectors.review_detail(request.user, pk)
    table, chart = context["comparison"]
    context["chart"] = {"chart": chart, "data": chart.data(), "id": "chart-data-lens-ratings"}
    context["comment_form"] = CommentForm()
    context["query"] = ""
    return render(request, "impact/reviews/detail.html", context)


@permission_required("impact.edit_lens_review")
@require_http_methods(["GET", "POST"])
def lens_review_edit(request, pk):
    review = access.get_scoped_or_404(
        request.user, LensReview.objects.select_related("network", "hub").prefetch_related("ratings"), pk=pk
    )
    current = {r.lens: r for r in review.ratings.prefetch_related("claims")}
    claims = selectors.claims_to_rest_on(request.user, review)
    data = request.POST or None
    form = ReviewForm(data, initial={"summary": review.summary, "agreed_actions": review.agreed_actions})
    lens_forms = [
        RatingForm(
            data,
            prefix=lens,
            lens_label=label,
            initial={
                "rating": current[lens].rating if lens in current else None,
                "commentary": current[lens].commentary if lens in current else "",
                "evidence": current[lens].evidence if lens in current else "",
                "kpis": current[lens].kpis if lens in current else [],
                "claims": [c.pk for c in current[lens].claims.all()] if lens in current else [],
            },
            claims=claims,
        )
        for lens, label in Lens.choices
    ]
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in lens_forms):
        with service_errors(form):
            lens_review_update(
                review=review,
                summary=form.cleaned_data["summary"],
                agreed_actions=form.cleaned_data["agreed_actions"],
                ratings={f.prefix: f.cleaned_data for f in lens_forms},
                by=request.user,
            )
        if not form.errors:
            messages.success(request, "The review is saved.")
            return redirect("impact:lens_review_detail", pk=review.pk)
    return render(
        request,
        "impact/reviews/edit.html",
        {"review": review, "form": form, "lens_forms": lens_forms},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("impact.comment_on_lens_review")
@require_POST
def lens_review_comment_add(request, pk):
    review = access.get_scoped_or_404(request.user, LensReview, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            lens_review_comment(review=review, body=form.cleaned_data["body"], by=request.user)
        if not form.errors:
            messages.success(request, "Your comment is added.")
            return redirect("impact:lens_review_detail", pk=review.pk)
    messages.error(request, "Please write your comment.")
    return redirect("impact:lens_review_detail", pk=review.pk)
