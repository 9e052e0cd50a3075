"""`impact_figures`: the survey and evidence figures a dashboard shows, for one trust or
the whole network and a date range. Written for the dashboards (impact/dashboards/,
issue 12) so they never re-derive a survey or evidence rule: call it, format it.

    from impact.figures import impact_figures
    figures = impact_figures(user, trust=trust_or_None, start=date(2025, 9, 1), end=date(2026, 8, 31))
    figures.response_rate        # "72%" of invitations answered (or "–", or "fewer than 5 answers")
    figures.impact               # Score: mean 1-5 of the evaluations' "How useful…" question, with n
    figures.contribution         # Score: mean 1-5 of "What role did the network play…" (follow-ups, annual)
    figures.evidence             # {"none": 0, "anecdotal": 4, "corroborated": 3, "triangulated": 2}

- Scope: everything goes through the access door, so an executive gets their trust's
  figures only (and `trust` must be one of theirs, or the figures are empty).
- Small numbers: for anyone but a coordinator, a mean of fewer than 5 answers is not
  given (`Score.mean` is None, `Score.suppressed` True) and the rate says "fewer than 5".
  A trust's anonymous answers count only where the trust was recorded (groups of 5+).
- Dates: invitations by when they were made, answers by the month they were given,
  evidence by the date it was gathered: a claim is counted if it has evidence gathered
  in the range, rated by all its evidence gathered up to the range's end.
- Cost: five queries at most, whatever the range or the number of rows.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q
from django.utils import timezone

from impact.evidence.confidence import LABELS, confidence
from impact.evidence.models import Claim, EvidenceItem
from impact.surveys import scoring
from impact.surveys.models import Answer, Response, SurveyInvitation
from network.base import access
from network.base.rules import has

IMPACT_KEY = "impact"
CONTRIBUTION_KEY = "contribution"


@dataclass(frozen=True)
class Score:
    mean: Decimal | None
    n: int
    suppressed: bool

    def __str__(self):
        if self.suppressed:
            return scoring.FEWER_THAN + " answers"
        return "–" if self.mean is None else f"{self.mean} (n={self.n})"


@dataclass(frozen=True)
class ImpactFigures:
    start: datetime.date
    end: datetime.date
    trust: object
    invited: int
    answered: int
    response_rate: str
    impact: Score
    contribution: Score
    evidence: dict  # confidence level -> number of claims, every level present

    @property
    def evidence_labelled(self) -> list[tuple[str, int]]:
        return [(LABELS[level], n) for level, n in self.evidence.items()]


def _score(mean, n: int, suppress: bool) -> Score:
    if scoring.is_suppressed(n, suppress=suppress):
        return Score(None, n, True)
    value = None if mean is None else Decimal(mean).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Score(value, n, False)


def impact_figures(user, *, trust=None, start: datetime.date, end: datetime.date) -> ImpactFigures:
    """Survey and evidence figures for `trust` (None: everything the user may see) from
    `start` to `end` inclusive. See the module docstring."""
    suppress = not has(user, "impact.see_small_numbers")
    after = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    before = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min))

    invitations = access.scoped(user, SurveyInvitation).filter(created_at__gte=after, created_at__lt=before)
    responses = access.scoped(user, Response).filter(month__gte=scoring.month_of(start), month__lte=end)
    claims = access.scoped(user, Claim)
    if trust is not None:
        invitations = invitations.filter(trust=trust)
        responses = responses.filter(trust=trust)
        claims = claims.filter(academy__trust=trust)

    rate = invitations.aggregate(
        invited=Count("pk", filter=Q(invited_at__isnull=False)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
    )
    scored = Answer.objects.filter(response__in=responses.values("pk"), number__isnull=False)
    means = scored.aggregate(
        impact=Avg("number", filter=Q(question__key=IMPACT_KEY)),
        impact_n=Count("pk", filter=Q(question__key=IMPACT_KEY)),
        contribution=Avg("number", filter=Q(question__key=CONTRIBUTION_KEY)),
        contribution_n=Count("pk", filter=Q(question__key=CONTRIBUTION_KEY)),
    )

    in_range = EvidenceItem.objects.filter(claim__in=claims.values("pk"), observed_on__gte=start, observed_on__lte=end)
    types = defaultdict(set)
    for claim_id, source_type in EvidenceItem.objects.filter(
        claim__in=in_range.values("claim_id"), observed_on__lte=end
    ).values_list("claim_id", "source_type"):
        types[claim_id].add(source_type)
    evidence = dict.fromkeys(LABELS, 0)
    for kinds in types.values():
        evidence[confidence(kinds).level] += 1

    answered = rate["answered"]
    if scoring.is_suppressed(answered, suppress=suppress):
        response_rate = scoring.FEWER_THAN + " answers"
    elif not rate["invited"]:
        response_rate = "–"
    else:
        response_rate = f"{(Decimal(answered) * 100 / rate['invited']).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}%"
    return ImpactFigures(
        start=start,
        end=end,
        trust=trust,
        invited=rate["invited"],
        answered=answered,
        response_rate=response_rate,
        impact=_score(means["impact"], means["impact_n"], suppress),
        contribution=_score(means["contribution"], means["contribution_n"], suppress),
        evidence=evidence,
    )
