"""Reads for the evidence log, from the access door; a fixed number of queries per page.
Each claim comes with its confidence (`impact.evidence.confidence`) and its lag."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from events.models import Event
from events.visits import selectors as visit_selectors
from impact.evidence.confidence import confidence, lag_months
from impact.evidence.models import Claim, EvidenceItem
from network.base import access
from network.base.inputs import parse_id
from network.base.rules import has
from network.programme.grants import selectors as grant_selectors
from network.programme.models import Hub
from trusts.models import Academy


def _with_rating(claim: Claim) -> Claim:
    items = claim.item_list
    claim.confidence = confidence(item.source_type for item in items)
    claim.source_types = sorted({item.get_source_type_display() for item in items})
    lags = [lag_months(claim.cpd_on, item.observed_on) for item in items]
    lags = [lag for lag in lags if lag is not None]
    claim.lag_range = (min(lags), max(lags)) if lags else None
    return claim


def claims(user, *, initiative_kind: str = "", hub=None, series: str = "", academy=None, level: str = "") -> list:
    """The claims the user may see, by initiative, each with its rating (three queries).
    The confidence filter is applied after rating, by the one rule."""
    queryset = access.scoped(user, Claim).select_related("academy__trust", "hub")
    if initiative_kind:
        queryset = queryset.filter(initiative_kind=initiative_kind)
    if hub:
        queryset = queryset.filter(hub=hub)
    if series:
        queryset = queryset.filter(event_series=series)
    if academy:
        queryset = queryset.filter(academy=academy)
    queryset = queryset.prefetch_related(
        Prefetch(
            "items",
            queryset=EvidenceItem.objects.only("pk", "claim_id", "source_type", "observed_on"),
            to_attr="item_list",
        )
    ).order_by("initiative_kind", "initiative_label", "academy__name", "pk")
    rated = [_with_rating(claim) for claim in queryset]
    return [c for c in rated if c.confidence.level == level] if level else rated


def claim_detail(user, pk) -> Claim:
    claim = access.get_scoped_or_404(user, Claim.objects.select_related("academy__trust", "hub", "recorded_by"), pk=pk)
    claim.item_list = list(
        access.scoped(user, EvidenceItem)
        .filter(claim=claim)
        .select_related("survey", "recorded_by", "visit_report")
        .order_by("observed_on", "pk")
    )
    for item in claim.item_list:
        item.lag = lag_months(claim.cpd_on, item.observed_on)
    return _with_rating(claim)


def claim_for_user(user, pk) -> Claim:
    pk = parse_id(str(pk or ""))
    if pk is None:
        raise Http404
    return access.get_scoped_or_404(user, Claim, pk=pk)


def grant_reports_to_attach(user, claim: Claim) -> list:
    """The published grant outcome reports of the claim's academy not yet attached to it,
    for the claim page's one-click attach (to those who may add evidence to it)."""
    if not has(user, "impact.record_evidence", claim):
        return []
    attached = {item.grant_report_id for item in claim.item_list}
    return [r for r in grant_selectors.published_outcomes_of(academy=claim.academy) if r.pk not in attached]


def visit_reports_to_attach(user, claim: Claim) -> list:
    """The agreed reports of visits to the claim's academy that the user may read and
    that are not yet attached, for the claim page's one-click attach."""
    if not has(user, "impact.record_evidence", claim):
        return []
    attached = {item.visit_report_id for item in claim.item_list}
    return [r for r in visit_selectors.agreed_reports_of(user, academy=claim.academy) if r.pk not in attached]


def visit_report_for(user, claim: Claim, pk):
    """One agreed report of a visit to the claim's academy that the user may read (anything else: 404)."""
    pk = parse_id(str(pk or ""))
    found = visit_selectors.agreed_reports_of(user, academy=claim.academy).filter(pk=pk).first() if pk else None
    if found is None:
        raise Http404
    return found


def grant_report_for(claim: Claim, pk):
    """One published outcome report of the claim's academy (anything else: 404)."""
    pk = parse_id(str(pk or ""))
    found = grant_selectors.published_outcomes_of(academy=claim.academy).filter(pk=pk).first() if pk else None
    if found is None:
        raise Http404
    return found


def claims_to_attach_to(user, limit: int = 300) -> QuerySet:
    """Claims the user may add evidence to, for the survey results' one-click attach."""
    return access.scoped(user, Claim).select_related("academy").order_by("academy__name", "statement")[:limit]


def item_for_download(user, pk) -> EvidenceItem:
    return access.get_scoped_or_404(user, EvidenceItem.objects.exclude(attachment=""), pk=pk)


def form_choices(user, *, with_claims: bool = False) -> dict:
    """Choices of the claim form, or (`with_claims`) of the log's filter, which lists only
    the academies that have claims (a network has over a thousand academies at scale)."""
    academies = access.scoped(user, Academy).filter(is_open=True)
    if with_claims:
        academies = academies.filter(pk__in=access.scoped(user, Claim).values("academy_id"))
    return {
        "academies": academies.order_by("name"),
        "hubs": access.scoped(user, Hub).order_by("name"),
        "series": sorted(set(Event.objects.exclude(series="").values_list("series", flat=True).distinct())),
    }
