"""Answering a survey: from the emailed link (no sign-in) or from the home page.

- Answers are saved as the person goes, into the invitation's `draft`, so a
  half-finished survey resumes where it was left (on any device: the link is the key).
- Submitting moves the answers into a `Response` and empties the draft. For an
  anonymous survey the response carries no person, booking, invitation or time finer
  than the month, and the trust only when at least SMALL_NUMBER_THRESHOLD people of
  that trust were invited (to that event); the invitation keeps only `answered_at`.
- A link works once: after submission, or once expired or closed, it says so.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from impact.surveys.models import Answer, Question, Response, Survey, SurveyInvitation
from impact.surveys.scoring import month_of, threshold

ANSWERED, EXPIRED, CLOSED, NOT_OPEN, USABLE = "answered", "expired", "closed", "not_open", "usable"


def invitation_for_token(token: str) -> SurveyInvitation | None:
    """The invitation a link names, or None if the link is forged, mistyped or unknown."""
    nonce = SurveyInvitation.nonce_from(token or "")
    if not nonce:
        return None
    return SurveyInvitation.objects.select_related("survey__network", "event", "person").filter(nonce=nonce).first()


def invitation_state(invitation: SurveyInvitation, now=None) -> str:
    now = now or timezone.now()
    if invitation.answered_at:
        return ANSWERED
    if invitation.survey.status == Survey.Status.CLOSED:
        return CLOSED
    if invitation.survey.status == Survey.Status.DRAFT:
        return NOT_OPEN
    if now >= invitation.expires_at:
        return EXPIRED
    return USABLE


REFUSALS = {
    ANSWERED: "You have already answered this survey. Thank you: each link can be used once.",
    EXPIRED: "This survey link has expired.",
    CLOSED: "This survey has closed.",
    NOT_OPEN: "This survey is not open yet.",
}


def questions_of(survey: Survey) -> list[Question]:
    """The questions asked, in order (archived ones are no longer asked)."""
    return list(
        survey.questions.filter(archived_at__isnull=True)
        .select_related("section")
        .order_by("section__position", "section_id", "position", "pk")
    )


def _lock_usable(invitation: SurveyInvitation, now) -> SurveyInvitation:
    # Lock the invitation only (`of`), not its survey: every respondent shares that row.
    invitation = SurveyInvitation.objects.select_for_update(of=("self",)).select_related("survey").get(pk=invitation.pk)
    state = invitation_state(invitation, now)
    if state != USABLE:
        raise ValidationError(REFUSALS[state], code=state)
    return invitation


def _storable(question: Question, value):
    """A cleaned form value as JSON for the draft (None: no answer)."""
    if value in (None, "", []):
        return None
    if question.kind == Question.Kind.LIKERT:
        return int(value)
    if question.kind == Question.Kind.NUMBER:
        return str(value)
    if question.kind == Question.Kind.MULTIPLE:
        return [str(v) for v in value]
    return str(value)


@transaction.atomic
def draft_save(*, invitation: SurveyInvitation, values: dict, by=None, now=None) -> SurveyInvitation:
    """Keep what the person has answered so far (`values`: question id → cleaned value,
    only the questions they have answered validly). The link is the credential: `by` is
    whoever is signed in, and is not recorded."""
    now = now or timezone.now()
    invitation = _lock_usable(invitation, now)
    questions = {q.pk: q for q in questions_of(invitation.survey)}
    draft = dict(invitation.draft)
    for pk, value in values.items():
        question = questions.get(int(pk))
        if question is None:
            continue
        stored = _storable(question, value)
        if stored is None:
            draft.pop(str(question.pk), None)
        else:
            draft[str(question.pk)] = stored
    invitation.draft = draft
    invitation.started_at = invitation.started_at or now
    invitation.save(update_fields=["draft", "started_at"])
    return invitation


def _trust_for(invitation: SurveyInvitation, group: int) -> int | None:
    """The trust a response may carry: for a named survey the person's; for an anonymous
    one only if the group invited from that trust (to the same event) is big enough not
    to point at anyone."""
    if invitation.trust_id is None or not invitation.anonymous:
        return invitation.trust_id
    return invitation.trust_id if group >= threshold() else None


def _group(invitation: SurveyInvitation) -> int:
    return SurveyInvitation.objects.filter(
        survey_id=invitation.survey_id, event_id=invitation.event_id, trust_id=invitation.trust_id
    ).count()


def _answer(response: Response, question: Question, value) -> Answer:
    answer = Answer(response=response, question=question)
    if question.kind in Question.SCORED:
        answer.number = Decimal(str(value))
    elif question.kind == Question.Kind.MULTIPLE:
        answer.choices = list(value)
    else:
        answer.text = str(value)
    return answer


def _response(invitation: SurveyInvitation, values: dict, questions, *, group: int, now) -> tuple[Response, list]:
    """The response and answers `values` make, every required question answered; the
    invitation marked answered (and, for a named survey only, pointed at the response)."""
    answers = {}
    for question in questions:
        stored = _storable(question, values.get(question.pk, values.get(str(question.pk))))
        if stored is None and question.required:
            raise ValidationError(f"Please answer “{question.text_for(invitation.event)}”.")
        if stored is not None:
            answers[question] = stored
    response = Response(
        survey_id=invitation.survey_id,
        event_id=invitation.event_id,
        trust_id=_trust_for(invitation, group),
        month=month_of(timezone.localdate(now)),
    )
    invitation.answered_at = now
    invitation.started_at = invitation.started_at or now
    invitation.draft = {}
    if not invitation.anonymous:
        invitation.response = response
    return response, [_answer(response, q, v) for q, v in answers.items()]


ANSWERED_FIELDS = ["answered_at", "started_at", "draft", "response"]


@transaction.atomic
def response_submit(*, invitation: SurveyInvitation, values: dict, by=None, now=None) -> Response:
    """Submit the answers (`values` as for `draft_save`, every required question
    answered: the form checks, and so does this). Once only: a second submission is
    refused with a message the page shows."""
    now = now or timezone.now()
    invitation = _lock_usable(invitation, now)
    response, answers = _response(
        invitation, values, questions_of(invitation.survey), group=_group(invitation), now=now
    )
    response.save()
    Answer.objects.bulk_create(answers)
    invitation.save(update_fields=ANSWERED_FIELDS)
    return response


@transaction.atomic
def responses_import(*, entries: list[tuple[SurveyInvitation, dict, object]], by=None) -> int:
    """Answers gathered elsewhere (a paper form typed in, the demo), many at once, under
    the rules of `response_submit`: each (invitation, values, when) must be usable at
    its `when`, and is answered once. Returns how many were stored."""
    if not entries:
        return 0
    ids = [invitation.pk for invitation, _values, _when in entries]
    locked = {
        i.pk: i
        for i in SurveyInvitation.objects.select_for_update(of=("self",))
        .select_related("survey", "event")
        .filter(pk__in=ids)
    }
    groups = {
        (row["survey_id"], row["event_id"], row["trust_id"]): row["n"]
        for row in SurveyInvitation.objects.filter(survey_id__in={i.survey_id for i in locked.values()})
        .values("survey_id", "event_id", "trust_id")
        .annotate(n=Count("pk"))
    }
    questions: dict[int, list] = {}
    responses, answers, answered = [], [], []
    for original, values, when in entries:
        invitation = locked[original.pk]
        state = invitation_state(invitation, when)
        if state != USABLE:
            raise ValidationError(REFUSALS[state], code=state)
        if invitation.survey_id not in questions:
            questions[invitation.survey_id] = questions_of(invitation.survey)
        group = groups.get((invitation.survey_id, invitation.event_id, invitation.trust_id), 0)
        response, made = _response(invitation, values, questions[invitation.survey_id], group=group, now=when)
        responses.append(response)
        answers.extend(made)
        answered.append(invitation)
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers, batch_size=500)
    for invitation in answered:
        # One plain UPDATE each: bulk_update's CASE over hundreds of rows costs more.
        SurveyInvitation.objects.filter(pk=invitation.pk).update(
            answered_at=invitation.answered_at,
            started_at=invitation.started_at,
            draft={},
            response_id=invitation.response.pk if invitation.response is not None else None,
        )
    return len(responses)
