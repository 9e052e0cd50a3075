"""Every read the grants pages need, scoped through the access door, at a fixed number
of queries per page. Two hooks for rooms above the programme (they read us; we never
import them):

- `published_outcomes(*, network, starts_on, ends_on)`: the final outcome reports
  published in a window, for `impact`'s evidence log and the radar;
- `grant_figures(*, network, starts_on, ends_on, trust_ids=None)`: the grants panel of
  the dashboards (issue 12): bids, awards, money and reports, for all trusts or some.
"""

import datetime

from django.db.models import Avg, Count, Max, Min, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404

from network.base import access
from network.base.models import Role, User
from network.base.rules import has
from network.base.school_years import Year, membership_year
from network.programme.grants.models import GrantBid, GrantReport, GrantReview, GrantRound
from network.programme.membership.models import year_start

SUBMITTED_REVIEWS = Q(reviews__submitted_at__isnull=False)


def rounds_for(user):
    return (
        access.scoped(user, GrantRound)
        .select_related("network")
        .annotate(
            bid_count=Count("bids", filter=~Q(bids__status=GrantBid.Status.DRAFT), distinct=True),
            awarded=Sum("bids__amount_awarded", filter=Q(bids__status=GrantBid.Status.AWARDED)),
        )
        .order_by("-opens_on", "name")
    )


def round_detail(user, pk: int) -> GrantRound:
    return access.get_scoped_or_404(
        user, GrantRound.objects.select_related("network").prefetch_related("criteria"), pk=pk
    )


def collated(bids):
    """Bids with the panel's scores collated: how many reviews are in, the mean of the
    weighted scores (out of 100) and their spread (highest minus lowest)."""
    return bids.annotate(
        review_count=Count("reviews", filter=SUBMITTED_REVIEWS, distinct=True),
        assigned_count=Count("reviews", distinct=True),
        mean_score=Avg("reviews__weighted_score", filter=SUBMITTED_REVIEWS),
        low_score=Min("reviews__weighted_score", filter=SUBMITTED_REVIEWS),
        high_score=Max("reviews__weighted_score", filter=SUBMITTED_REVIEWS),
    )


def bids_in_round(user, grant_round: GrantRound):
    """The round's bids the user may see: a coordinator every submitted one (collated);
    a leader or executive their academies' (drafts included)."""
    bids = access.scoped(user, GrantBid).filter(round=grant_round).select_related("academy", "lead", "trust")
    if user.is_coordinator:
        bids = collated(bids.exclude(status=GrantBid.Status.DRAFT))
    return bids.order_by("academy__name", "pk")


def bid_detail(user, pk: int) -> GrantBid:
    reviews = GrantReview.objects.select_related("reviewer").order_by("assigned_at", "pk")
    return access.get_scoped_or_404(
        user,
        collated(GrantBid.objects.all())
        .select_related("round__network", "academy__trust", "lead", "endorsed_by", "decided_by")
        .prefetch_related("budget_lines", "reports", "round__criteria", Prefetch("reviews", queryset=reviews)),
        pk=pk,
    )


def reviewer_candidates(bid: GrantBid):
    """Logins who may review `bid`: leaders, executives and steering-group members of
    other trusts (not the bid's, then or now), not its lead, not yet assigned. The
    service asks the rule again for whoever is chosen."""
    trust_ids = [t for t in (bid.trust_id, bid.academy.trust_id) if t]
    return (
        User.objects.filter(is_active=True, role__in=[Role.LEADER, Role.TRUST_EXECUTIVE, Role.STEERING])
        .exclude(
            Q(person__academy__trust_id__in=trust_ids)
            | Q(person__trust_id__in=trust_ids)
            | Q(trusts__in=trust_ids)
            | Q(grant_reviews__bid=bid)
        )
        .exclude(person_id=bid.lead_id)
        .distinct()
        .order_by("full_name", "email")
    )


def reviews_for(user):
    """The user's review assignments (the door leaves out any from their own trust)."""
    return (
        access.scoped(user, GrantReview)
        .select_related("bid__academy", "bid__round")
        .order_by("submitted_at", "-assigned_at", "pk")
    )


def review_detail(user, pk: int) -> GrantReview:
    return access.get_scoped_or_404(
        user,
        GrantReview.objects.select_related("bid__round", "bid__academy", "bid__lead").prefetch_related(
            "bid__budget_lines", "bid__round__criteria"
        ),
        pk=pk,
    )


def _published():
    return GrantReport.objects.filter(kind=GrantReport.Kind.FINAL, published_at__isnull=False)


def library(user, *, q: str = ""):
    """The outcomes library: every published final report, for members (the rule
    `network.read_outcomes_library`, asked here so no caller can forget it)."""
    if not has(user, "network.read_outcomes_library"):
        return GrantReport.objects.none()
    reports = _published().select_related("bid__academy__trust", "bid__round")
    if q:
        reports = reports.filter(
            Q(bid__title__icontains=q)
            | Q(bid__aims__icontains=q)
            | Q(what_was_done__icontains=q)
            | Q(what_changed__icontains=q)
            | Q(resources__icontains=q)
            | Q(bid__academy__name__icontains=q)
        )
    return reports.order_by("-published_at", "pk")


def library_report(user, pk: int) -> GrantReport:
    return get_object_or_404(library(user).prefetch_related("bid__budget_lines"), pk=pk)


def published_outcomes(*, network, starts_on: datetime.date, ends_on: datetime.date):
    """Hook for `impact` (evidence) and the radar: final reports of `network`'s funded
    projects published between two dates (inclusive, UK days)."""
    start, end = Year(kind="window", starts_on=starts_on, ends_on=ends_on).bounds()
    return (
        _published()
        .filter(bid__round__network=network, published_at__gte=start, published_at__lt=end)
        .select_related("bid__academy__trust", "bid__round")
        .order_by("-published_at", "pk")
    )


def published_outcomes_of(*, academy):
    """Hook for `impact` (evidence, attached in one click): the published final reports
    of `academy`'s funded projects, newest first. Published outcomes are open to every
    member (the library), so no further scope applies."""
    return _published().filter(bid__academy=academy).select_related("bid").order_by("-published_at", "pk")


def grant_figures(*, network, starts_on: datetime.date, ends_on: datetime.date, trust_ids=None) -> dict:
    """Hook for the dashboards' grants panel (issue 12): rounds opening in the window,
    and for their bids (of `trust_ids` only, when given): how many were submitted and
    awarded, the money awarded, and the reports filed and published; and by trust (the
    bid's trust when it was made). Four queries."""
    bids = GrantBid.objects.filter(
        round__network=network, round__opens_on__gte=starts_on, round__opens_on__lte=ends_on
    ).exclude(status=GrantBid.Status.DRAFT)
    if trust_ids is not None:
        bids = bids.filter(trust_id__in=trust_ids)
    figures = bids.aggregate(
        submitted=Count("pk"),
        awarded=Count("pk", filter=Q(status=GrantBid.Status.AWARDED)),
        awarded_total=Sum("amount_awarded", filter=Q(status=GrantBid.Status.AWARDED)),
    )
    reports = GrantReport.objects.filter(bid__in=bids)
    figures.update(
        reports_filed=reports.count(),
        outcomes_published=reports.filter(kind=GrantReport.Kind.FINAL, published_at__isnull=False).count(),
        awarded_total=figures["awarded_total"] or 0,
    )
    figures["by_trust"] = {
        row["trust_id"]: {
            "submitted": row["submitted"],
            "awarded": row["awarded"],
            "awarded_total": row["awarded_total"] or 0,
        }
        for row in bids.values("trust_id")
        .annotate(
            submitted=Count("pk"),
            awarded=Count("pk", filter=Q(status=GrantBid.Status.AWARDED)),
            awarded_total=Sum("amount_awarded", filter=Q(status=GrantBid.Status.AWARDED)),
        )
        .order_by()
    }
    return figures


def awards_for_finance(user, *, year_label: str = ""):
    """Awarded bids for the finance CSV, by the membership year of their award date."""
    bids = (
        access.scoped(user, GrantBid)
        .filter(status=GrantBid.Status.AWARDED)
        .select_related("round__network", "academy__trust", "lead")
        .order_by("decided_at", "pk")
    )
    if year_label:
        try:
            start_year = year_start(year_label)
        except ValueError:
            return bids.none()
        year = membership_year(datetime.date(start_year, 4, 1))
        start, end = year.bounds()
        bids = bids.filter(decided_at__gte=start, decided_at__lt=end)
    return bids
