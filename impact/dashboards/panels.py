"""Plug points: the figures other capabilities bring to the dashboards and the report.

Each panel below calls one selector, by dotted path, with the contract written beside
it: visits, surveys and evidence are read by impact's own modules from their rooms'
records, grants by the programme's selector. A panel whose selector cannot be imported
(a deployment without that part) gives None, and the pages say the figure is not
available instead of showing a zero; a test may put a fake callable in `SOURCES`.

Each selector takes keyword arguments `network`, `starts_on`, `ends_on` (dates,
inclusive) and answers with a fixed number of queries, whatever the size of the network.
"""

import datetime

from django.utils.module_loading import import_string

from network.base import remembered

SOURCES: dict[str, object] = {
    # impact.dashboards.visit_panel.visit_figures(*, network, starts_on, ends_on) -> {
    #   "delivered": int,   visits that took place (cancelled ones never count)
    #   "cancelled": int,
    #   "trusts": int,      distinct trusts of the academies visited, when the host was set
    #   "by_trust": {trust_id: {"hosted": int, "made": int}},
    #   "by_academy": {academy_id: {"hosted": int, "made": int}},
    # }
    "visits": "impact.dashboards.visit_panel.visit_figures",
    # impact.dashboards.survey_evidence.survey_figures(*, network, starts_on, ends_on) -> {
    #   "sent": int, "responses": int,
    #   "response_rate": Decimal | None (percent), "mean_impact": Decimal | None (1-5),
    #   "impact_n": int,    answers behind the mean (withheld under 5)
    #   "by_trust": {trust_id: {"sent", "responses", "mean_impact", "impact_n"}},
    #   "by_academy": {academy_id: {"sent": int, "responses": int}},
    #   "headlines": [str],  sentences for the annual report, e.g. "87% said ..."
    # }
    "surveys": "impact.dashboards.survey_evidence.survey_figures",
    # impact.dashboards.survey_evidence.evidence_figures(*, network, starts_on, ends_on) -> {
    #   "by_confidence": {level label: int}, in the evidence log's order of confidence
    #   "by_trust": {trust_id: {level label: int}},
    # }
    "evidence": "impact.dashboards.survey_evidence.evidence_figures",
    # network.programme.grants.selectors.grant_figures(*, network, starts_on, ends_on) -> {
    #   "submitted": int, "awarded": int, "awarded_total": Decimal,
    #   "reports_filed": int, "outcomes_published": int,   for rounds opening in the window
    #   "by_trust": {trust_id: {"submitted": int, "awarded": int, "awarded_total": Decimal}},
    # }
    "grants": "network.programme.grants.selectors.grant_figures",
}

NOT_YET = {
    "visits": "Academy visits are not recorded in the portal yet.",
    "surveys": "Impact surveys are not recorded in the portal yet.",
    "evidence": "The evidence log is not in the portal yet.",
    "grants": "Grants are not recorded in the portal yet.",
}


def source(name: str):
    """The selector of panel `name`, or None while its capability is not installed."""
    target = SOURCES.get(name)
    if target is None or callable(target):
        return target
    try:
        return import_string(target)
    except ImportError:
        return None


def figures(name: str, *, network, starts_on: datetime.date, ends_on: datetime.date) -> dict | None:
    """A panel's network-wide figures for the window. Remembered on their own
    (`network.base.remembered`): every trust's dashboard, the network's and the
    report read the same panels, so the first of them computes them for the others."""
    selector = source(name)
    if selector is None:
        return None
    return remembered.remember(
        f"panel-{name}",
        (network.pk, starts_on, ends_on),
        lambda: selector(network=network, starts_on=starts_on, ends_on=ends_on),
    )


def all_panels(*, network, starts_on: datetime.date, ends_on: datetime.date) -> dict[str, dict | None]:
    """Every panel's figures for the period (None for those not installed)."""
    return {name: figures(name, network=network, starts_on=starts_on, ends_on=ends_on) for name in SOURCES}
