"""Every read the survey pages need, from the access door, each a fixed number of
queries whatever the number of surveys, invitations or answers.

Small numbers: a breakdown of fewer than 5 answers is shown as "fewer than 5" to a
trust executive, and to everyone for an anonymous survey (where a handful of answers
to one event could point at a person). Executives see only their trust's answers:
the door gives them responses whose trust is theirs, and an anonymous response carries
a trust only for groups of 5 or more.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, F, IntegerField, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.models import Event
from impact.surveys import scoring
from impact.surveys.models import Answer, Question, Response, Section, Survey, SurveyInvitation
from network.base import access
from network.base.rules import has
from network.programme.models import Hub
from trusts.models import Trust


def _count(queryset):
    """A correlated COUNT per survey (`queryset` filtered on survey=OuterRef("pk")): no
    join fan-out between the counts."""
    counted = queryset.order_by().values("survey_id").annotate(c=Count("pk")).values("c")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def survey_list(user) -> QuerySet:
    """Surveys with their counts: every survey for a coordinator; for an executive those
    their trust has answers in."""
    invitations = SurveyInvitation.objects.filter(survey=OuterRef("pk"))
    return (
        access.scoped(user, Survey)
        .select_related("network", "pair")
        .annotate(
            question_count=_count(Question.objects.filter(survey=OuterRef("pk"), archived_at__isnull=True)),
            invited_count=_count(invitations.filter(invited_at__isnull=False)),
            answered_count=_count(invitations.filter(answered_at__isnull=False)),
        )
        .order_by("status", "-builtin", "network__name", "title", "pk")
    )


def survey_for_user(user, pk: int) -> Survey:
    return access.get_scoped_or_404(user, Survey.objects.select_related("network", "pair"), pk=pk)


def builder(user, pk: int) -> tuple[Survey, list[Section]]:
    """The survey and its sections, each with its questions (archived ones too, marked),
    and whether each question has answers (then it can be archived, not deleted)."""
    survey = survey_for_user(user, pk)
    questions = (
        Question.objects.filter(survey=survey)
        .annotate(has_answers=Exists(Answer.objects.filter(question=OuterRef("pk"))))
        .order_by("position", "pk")
    )
    by_section = defaultdict(list)
    for question in questions:
        by_section[question.section_id].append(question)
    sections = list(survey.sections.order_by("position", "pk"))
    for section in sections:
        section.question_list = by_section.get(section.pk, [])
    return survey, sections


def question_for_builder(user, pk: int) -> Question:
    return access.get_scoped_or_404(user, Question.objects.select_related("survey", "section"), pk=pk)


def section_for_builder(user, pk: int) -> Section:
    return access.get_scoped_or_404(user, Section.objects.select_related("survey"), pk=pk)


# -- Dispatch status -------------------------------------------------------------------


@dataclass
class DispatchStatus:
    invited: int
    waiting: int
    reminded: int
    started: int
    answered: int
    expired: int
    by_event: QuerySet

    @property
    def rate(self) -> str:
        return _percent(self.answered, self.invited)


def _percent(part: int, whole: int) -> str:
    if not whole:
        return "–"
    return f"{(Decimal(part) * 100 / whole).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}%"


def dispatch_status(user, survey: Survey, now=None) -> DispatchStatus:
    """Counts of the survey's invitations (two queries, and the events as a page)."""
    now = now or timezone.now()
    invitations = access.scoped(user, SurveyInvitation).filter(survey=survey)
    answered = Q(answered_at__isnull=False)
    totals = invitations.aggregate(
        invited=Count("pk", filter=Q(invited_at__isnull=False)),
        waiting=Count("pk", filter=Q(invited_at__isnull=True, answered_at__isnull=True, expires_at__gt=now)),
        reminded=Count("pk", filter=Q(reminded_at__isnull=False)),
        started=Count("pk", filter=Q(started_at__isnull=False, answered_at__isnull=True)),
        answered=Count("pk", filter=answered),
        expired=Count("pk", filter=Q(answered_at__isnull=True, expires_at__lte=now)),
    )
    by_event = (
        invitations.filter(event__isnull=False)
        .values("event_id", "event__title", "event__starts_at")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=answered))
        .order_by("-event__starts_at", "event_id")
    )
    return DispatchStatus(by_event=by_event, **totals)


# -- Results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    event: Event | None = None
    hub: Hub | None = None
    trust: Trust | None = None
    term: str = ""

    def _by_event_hub_trust(self, queryset: QuerySet) -> QuerySet:
        # Responses and invitations both carry the event (and so the hub) and the trust.
        if self.event:
            queryset = queryset.filter(event=self.event)
        if self.hub:
            queryset = queryset.filter(event__hub=self.hub)
        if self.trust:
            queryset = queryset.filter(trust=self.trust)
        return queryset

    def responses(self, queryset: QuerySet) -> QuerySet:
        queryset = self._by_event_hub_trust(queryset)
        if self.term:
            start, end = scoring.term_bounds(self.term)
            queryset = queryset.filter(month__gte=start, month__lt=end)
        return queryset

    def invitations(self, queryset: QuerySet) -> QuerySet:
        queryset = self._by_event_hub_trust(queryset)
        if self.term:
            start, end = scoring.term_bounds(self.term)
            bounds = [timezone.make_aware(datetime.datetime.combine(d, datetime.time.min)) for d in (start, end)]
            queryset = queryset.filter(created_at__gte=bounds[0], created_at__lt=bounds[1])
        return queryset

    def as_dict(self) -> dict:
        return {
            "event": self.event.pk if self.event else None,
            "hub": self.hub.pk if self.hub else None,
            "trust": self.trust.pk if self.trust else None,
            "term": self.term or None,
        }

    def describe(self) -> str:
        parts = [str(x) for x in (self.event and self.event.title, self.hub, self.trust, self.term) if x]
        return ", ".join(parts) or "all answers"


def filter_choices(user, survey: Survey) -> dict:
    """What the results filter offers: the survey's events, the hubs, the trusts in the
    user's scope, and the terms with answers."""
    invitations = access.scoped(user, SurveyInvitation).filter(survey=survey)
    months = access.scoped(user, Response).filter(survey=survey).values_list("month", flat=True).distinct()
    terms = sorted({scoring.term_of(m) for m in months}, key=lambda t: scoring.term_bounds(t)[0], reverse=True)
    return {
        "events": Event.objects.filter(pk__in=invitations.values("event_id")).order_by("-starts_at"),
        "hubs": access.scoped(user, Hub).order_by("name"),
        "trusts": access.scoped(user, Trust).order_by("name"),
        "terms": terms,
    }


def suppresses(user, survey: Survey) -> bool:
    """Whether small numbers are hidden from this user on this survey's results."""
    return survey.anonymous or not has(user, "impact.see_small_numbers")


@dataclass
class QuestionResult:
    question: Question
    n: int
    suppressed: bool
    rows: list = field(default_factory=list)  # (label, count, percent) of a scale or choices
    mean: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    @property
    def shown_n(self):
        return scoring.FEWER_THAN if self.suppressed else self.n


@dataclass
class ChangeResult:
    question: Question
    change: scoring.Change
    suppressed: bool


@dataclass
class Results:
    survey: Survey
    filters: Filters
    suppress: bool
    responses: int
    invited: int
    answered: int
    questions: list[QuestionResult]
    changes: list[ChangeResult]

    @property
    def hidden(self) -> bool:
        """Too few answers to show anything but that."""
        return scoring.is_suppressed(self.responses, suppress=self.suppress)

    @property
    def shown_responses(self):
        return scoring.shown(self.responses, suppress=self.suppress)

    @property
    def response_rate(self) -> str:
        if scoring.is_suppressed(self.answered, suppress=self.suppress):
            return scoring.FEWER_THAN + " answers"
        return _percent(self.answered, self.invited)


def _rows(question: Question, counts: dict, n: int) -> list:
    if question.kind == Question.Kind.LIKERT:
        labels = [(f"{i} – {label}", Decimal(i)) for i, label in enumerate(question.labels(), start=1)]
    else:
        labels = [(choice, choice) for choice in question.choices]
    rows = []
    for label, value in labels:
        c = counts.get(value, 0)
        rows.append((label, c, _percent(c, n)))
    return rows


def responses_for(user, survey: Survey, filters: Filters) -> QuerySet:
    return filters.responses(access.scoped(user, Response).filter(survey=survey))


def results(user, survey: Survey, filters: Filters) -> Results:
    """Per question: the distribution of a scale or choices, the mean with n of a scale
    or number, the number of text answers; the response rate; and for an 'after'
    survey the change per person against its 'before' survey. Eight queries at most."""
    suppress = suppresses(user, survey)
    responses = responses_for(user, survey, filters)
    answers = Answer.objects.filter(response__in=responses.values("pk"))
    response_count = responses.count()
    invitations = filters.invitations(access.scoped(user, SurveyInvitation).filter(survey=survey))
    rate = invitations.aggregate(
        invited=Count("pk", filter=Q(invited_at__isnull=False)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
    )
    # Archived questions stay in the results while they have answers.
    questions = list(
        Question.objects.filter(survey=survey)
        .filter(Q(archived_at__isnull=True) | Exists(Answer.objects.filter(question=OuterRef("pk"))))
        .select_related("section")
        .order_by("section__position", "section_id", "position", "pk")
    )
    totals = dict(answers.values("question_id").annotate(n=Count("pk")).values_list("question_id", "n"))
    counts: dict = defaultdict(dict)
    for row in (
        answers.filter(question__kind__in=[Question.Kind.LIKERT, Question.Kind.SINGLE])
        .values("question_id", "number", "text")
        .annotate(n=Count("pk"))
    ):
        value = row["number"] if row["number"] is not None else row["text"]
        counts[row["question_id"]][value] = counts[row["question_id"]].get(value, 0) + row["n"]
    for question_id, chosen in answers.filter(question__kind=Question.Kind.MULTIPLE).values_list(
        "question_id", "choices"
    ):
        for choice in chosen or ():
            counts[question_id][choice] = counts[question_id].get(choice, 0) + 1
    stats = {
        row["question_id"]: row
        for row in answers.filter(number__isnull=False)
        .values("question_id")
        .annotate(mean=Avg("number"), low=Min("number"), high=Max("number"))
    }
    question_results = []
    for question in questions:
        n = totals.get(question.pk, 0)
        result = QuestionResult(question=question, n=n, suppressed=scoring.is_suppressed(n, suppress=suppress))
        if not result.suppressed:
            if question.kind in (Question.Kind.LIKERT, *Question.CHOICES):
                result.rows = _rows(question, counts.get(question.pk, {}), n)
            if question.pk in stats:
                row = stats[question.pk]
                result.mean = Decimal(row["mean"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                result.minimum, result.maximum = row["low"], row["high"]
        question_results.append(result)
    return Results(
        survey=survey,
        filters=filters,
        suppress=suppress,
        responses=response_count,
        invited=rate["invited"],
        answered=rate["answered"],
        questions=question_results,
        changes=change_scores(user, survey, filters, questions=questions, suppress=suppress),
    )


def change_scores(user, survey: Survey, filters: Filters, *, questions, suppress: bool) -> list[ChangeResult]:
    """For an 'after' survey: per scored question (matched to the 'before' survey by its
    key), each person's answer after minus before, summarised (mean change, share
    improved, n). A pre/post pair is named, so the same person is found through their
    invitations; the answers themselves still carry no person."""
    if survey.kind != Survey.Kind.POST or not survey.pair_id:
        return []
    scored = {q.key: q for q in questions if q.kind in Question.SCORED and q.key}
    if not scored:
        return []
    person = "response__named_invitation__person_id"
    answered = defaultdict(dict)  # key -> person -> [before, after]
    for which, answers in (
        (0, Answer.objects.filter(response__in=access.scoped(user, Response).filter(survey_id=survey.pair_id))),
        (1, Answer.objects.filter(response__in=responses_for(user, survey, filters))),
    ):
        for key, person_id, number in answers.filter(question__key__in=scored, number__isnull=False).values_list(
            "question__key", person, "number"
        ):
            answered[key].setdefault(person_id, [None, None])[which] = number
    results_ = []
    for key, question in scored.items():
        summary = scoring.change([tuple(pair) for pair in answered[key].values()])
        results_.append(ChangeResult(question, summary, scoring.is_suppressed(summary.n, suppress=suppress)))
    return results_


def text_answers(user, survey: Survey, filters: Filters, *, q: str = "", question: Question | None = None) -> QuerySet:
    """The free-text answers (searchable), newest month first; never with a person."""
    answers = Answer.objects.filter(
        response__in=responses_for(user, survey, filters).values("pk"), question__kind__in=Question.TEXT
    ).exclude(text="")
    if question is not None:
        answers = answers.filter(question=question)
    if q:
        answers = answers.filter(text__icontains=q)
    return answers.select_related("question", "response__event").order_by(
        "-response__month", "question__position", "id"
    )


# -- Answering ---------------------------------------------------------------------------


def my_invitations(user) -> QuerySet:
    """The signed-in person's invitations, open ones first."""
    if not user.person_id:
        return SurveyInvitation.objects.none()
    return (
        access.scoped(user, SurveyInvitation)
        .filter(person_id=user.person_id)
        .exclude(survey__status=Survey.Status.DRAFT)
        .select_related("survey", "event")
        .order_by(F("answered_at").asc(nulls_first=True), "-created_at", "pk")
    )


def _open(now) -> Q:
    """An invitation still waiting for its answer."""
    return Q(answered_at__isnull=True, survey__status=Survey.Status.OPEN, expires_at__gt=now)


def my_open_invitations(user, *, limit: int | None = None, now=None) -> list[SurveyInvitation]:
    open_ = my_invitations(user).filter(_open(now or timezone.now()))
    return list(open_[:limit] if limit else open_)


def home_invitations(user, *, limit: int) -> list[dict]:
    """`my_open_invitations` as the home page's panel shows them: id, survey and event
    titles, closing date and whether it was started, as plain values, in the same order
    (none is answered: newest first). No model instances of three wide tables, and no
    more filters and joins than these need (speed, issue 14). Not remembered: starting
    an answer (`started_at`) is a quiet save that moves no generation
    (network.base.changes)."""
    if not user.person_id:
        return []
    return list(
        access.scoped(user, SurveyInvitation)
        .filter(_open(timezone.now()), person_id=user.person_id)
        .order_by("-created_at", "pk")
        .values(
            "pk", "event_id", "expires_at", "started_at", survey_title=F("survey__title"), event_title=F("event__title")
        )[:limit]
    )


def my_invitation(user, pk: int) -> SurveyInvitation:
    """One of the signed-in person's own invitations (anyone else's is a 404)."""
    return access.get_scoped_or_404(
        user,
        SurveyInvitation.objects.filter(person_id=user.person_id).select_related("survey__network", "event", "person"),
        pk=pk,
    )
