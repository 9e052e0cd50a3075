"""The surveys and evidence panels of the dashboards and the report
(`impact.dashboards.panels`): a network's figures for a window of days, raw and
unscoped (the pages narrow them to the reader's trust with `by_trust`), each in a fixed
number of queries whatever the size of the network.

Counting rules (written on the report's page too):
- an invitation counts in the window it was sent in; it is answered when its answer
  came, whenever that was;
- a score counts in the month it was given (responses hold the month, nothing finer);
- a trust's anonymous scores count only where the trust was recorded on the response,
  which the survey does only for groups of 5 or more; a trust's mean from fewer than 5
  answers is withheld (`None`, with its n);
- a claim counts when it has evidence gathered in the window, rated by all its
  evidence gathered by the window's end (`impact.evidence.confidence`), for the trust
  of its academy.
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q
from django.utils import timezone

from impact.dashboards.figures import academy_spells
from impact.evidence.confidence import LABELS, confidence
from impact.evidence.models import EvidenceItem
from impact.surveys import scoring
from impact.surveys.models import Answer, SurveyInvitation

IMPACT_KEY = "impact"  # "How useful was {event} for your teaching?" (1-5)
CONTRIBUTION_KEY = "contribution"  # "What role did the network play…?" none (1) … essential (5)
MODERATE_OR_MORE = 3


def _bounds(starts_on: datetime.date, ends_on: datetime.date):
    start = timezone.make_aware(datetime.datetime.combine(starts_on, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(ends_on + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def _mean(value, n: int) -> Decimal | None:
    if value is None or n < scoring.threshold():
        return None
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _rate(answered: int, sent: int) -> Decimal | None:
    if not sent:
        return None
    return (Decimal(answered) * 100 / sent).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def survey_figures(*, network, starts_on: datetime.date, ends_on: datetime.date) -> dict:
    """Invitations sent and answered, the response rate, the mean impact score and the
    headline sentences for the report; by trust and by academy. Three queries."""
    start, end = _bounds(starts_on, ends_on)
    invitations = SurveyInvitation.objects.filter(
        survey__network=network, invited_at__isnull=False, invited_at__gte=start, invited_at__lt=end
    )
    answered = Q(answered_at__isnull=False)
    totals = {"sent": 0, "responses": 0}
    by_trust: dict = defaultdict(lambda: {"sent": 0, "responses": 0, "mean_impact": None, "impact_n": 0})
    # each trust's "response_rate" is added once its counts are in
    by_academy: dict = defaultdict(lambda: {"sent": 0, "responses": 0})
    rows = (
        invitations.values("trust_id", "academy_id")
        .annotate(sent=Count("pk"), responses=Count("pk", filter=answered))
        .order_by()
    )
    for row in rows:
        totals["sent"] += row["sent"]
        totals["responses"] += row["responses"]
        if row["trust_id"] is not None:
            by_trust[row["trust_id"]]["sent"] += row["sent"]
            by_trust[row["trust_id"]]["responses"] += row["responses"]
        if row["academy_id"] is not None:
            by_academy[row["academy_id"]]["sent"] += row["sent"]
            by_academy[row["academy_id"]]["responses"] += row["responses"]

    scores = Answer.objects.filter(
        response__survey__network=network,
        response__month__gte=scoring.month_of(starts_on),
        response__month__lte=ends_on,
        number__isnull=False,
    )
    impact = Q(question__key=IMPACT_KEY)
    contribution = Q(question__key=CONTRIBUTION_KEY)
    overall = scores.aggregate(
        impact=Avg("number", filter=impact),
        impact_n=Count("pk", filter=impact),
        contribution_n=Count("pk", filter=contribution),
        contribution_moderate=Count("pk", filter=contribution & Q(number__gte=MODERATE_OR_MORE)),
    )
    for row in (
        scores.filter(impact, response__trust__isnull=False)
        .values("response__trust")
        .annotate(mean=Avg("number"), n=Count("pk"))
        .order_by()
    ):
        figures = by_trust[row["response__trust"]]
        figures["impact_n"] = row["n"]
        figures["mean_impact"] = _mean(row["mean"], row["n"])
    for figures in by_trust.values():
        figures["response_rate"] = _rate(figures["responses"], figures["sent"])
    return {
        "sent": totals["sent"],
        "responses": totals["responses"],
        "response_rate": _rate(totals["responses"], totals["sent"]),
        "mean_impact": _mean(overall["impact"], overall["impact_n"]),
        "impact_n": overall["impact_n"],
        "by_trust": dict(by_trust),
        "by_academy": dict(by_academy),
        "headlines": _headlines(overall),
    }


def _headlines(overall: dict) -> list[str]:
    lines = []
    if overall["impact_n"] >= scoring.threshold():
        lines.append(
            f"Leaders rated the usefulness of the network's events {_mean(overall['impact'], overall['impact_n'])} "
            f"out of 5 on average (n={overall['impact_n']})"
        )
    n = overall["contribution_n"]
    if n >= scoring.threshold():
        share = (Decimal(overall["contribution_moderate"]) * 100 / n).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        lines.append(
            f"{share}% of follow-up answers said the network played a moderate, large or essential role "
            f"in the change they made (n={n})"
        )
    return lines


def evidence_figures(*, network, starts_on: datetime.date, ends_on: datetime.date) -> dict:
    """Claims with evidence gathered in the window, by confidence level (every level
    present, in the log's order) for the network and by trust. Two queries."""
    academies = academy_spells(network, starts_on, ends_on).values("academy_id")
    claims_in_window = EvidenceItem.objects.filter(
        claim__academy__in=academies, observed_on__gte=starts_on, observed_on__lte=ends_on
    ).values("claim_id")
    kinds: dict = defaultdict(set)
    trust_of: dict = {}
    for claim_id, trust_id, source_type in EvidenceItem.objects.filter(
        claim__in=claims_in_window, observed_on__lte=ends_on
    ).values_list("claim_id", "claim__academy__trust_id", "source_type"):
        kinds[claim_id].add(source_type)
        trust_of[claim_id] = trust_id
    by_confidence = dict.fromkeys(LABELS.values(), 0)
    by_trust: dict = defaultdict(lambda: dict.fromkeys(LABELS.values(), 0))
    for claim_id, types in kinds.items():
        label = LABELS[confidence(types).level]
        by_confidence[label] += 1
        if trust_of[claim_id] is not None:
            by_trust[trust_of[claim_id]][label] += 1
    return {"by_confidence": by_confidence, "by_trust": dict(by_trust)}
