"""The survey builder's writes: surveys from a template or blank, sections, questions,
reordering, archiving, opening and closing.

Rules every function keeps:
- only coordinators build (`impact.build_surveys`);
- anonymity is chosen while the survey is a draft and fixed when it opens (so it can
  never change once anyone has answered);
- a question that has answers is never deleted (`question_delete` refuses and says to
  archive it), and its kind and options are not changed, so results stay comparable.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from impact.surveys import builtins
from impact.surveys.models import Question, Section, Survey
from network.base.rules import ensure

BUILD = "impact.build_surveys"


def _survey_from(definition: dict, *, network, by, title: str | None = None, builtin: bool = False) -> Survey:
    survey = Survey.objects.create(
        network=network,
        title=title or definition["title"],
        introduction=definition.get("introduction", ""),
        kind=definition["kind"],
        anonymous=definition["anonymous"],
        follow_up_months=definition.get("follow_up_months"),
        builtin=builtin,
        created_by=by,
    )
    for s_pos, (section_title, questions) in enumerate(definition["sections"]):
        section = Section.objects.create(survey=survey, title=section_title, position=s_pos)
        Question.objects.bulk_create(
            Question(survey=survey, section=section, position=q_pos, **question)
            for q_pos, question in enumerate(questions)
        )
    return survey


@transaction.atomic
def builtin_surveys_ensure(*, network, by=None) -> list[Survey]:
    """The network's own evaluation and lagged follow-ups (3 and 12 months), open, so the
    sweeps can send them. Idempotent (a unique constraint per network and delay): a
    survey a coordinator has edited, closed or re-timed is left as it is."""
    wanted = []
    if not Survey.objects.filter(network=network, builtin=True, kind=Survey.Kind.EVALUATION).exists():
        wanted.append([builtins.EVALUATION])
    if not Survey.objects.filter(network=network, builtin=True, kind=Survey.Kind.FOLLOW_UP).exists():
        wanted.append([builtins.follow_up(months) for months in builtins.FOLLOW_UP_MONTHS])
    made = []
    for group in wanted:
        try:
            with transaction.atomic():  # a savepoint: another worker may make them first
                surveys = [_survey_from(d, network=network, by=by, builtin=True) for d in group]
        except IntegrityError:
            continue
        made.extend(surveys)
    now = timezone.now()
    for survey in made:
        survey.status, survey.opened_at = Survey.Status.OPEN, now
        survey.save(update_fields=["status", "opened_at"])
    return made


@transaction.atomic
def survey_create(*, network, starter: str, title: str, by) -> Survey:
    """A new draft survey: blank (one empty section), the annual member survey, or a
    pre/post pair (two named surveys with the same questions; the 'after' one is
    returned, and is compared with the 'before' one)."""
    ensure(by, BUILD)
    title = title.strip()
    if starter == "annual":
        return _survey_from(builtins.ANNUAL, network=network, by=by, title=title or None)
    if starter == "pre_post":
        pre = _survey_from(builtins.PRE, network=network, by=by, title=f"{title}: before" if title else None)
        post = _survey_from(builtins.POST, network=network, by=by, title=f"{title}: after" if title else None)
        post.pair = pre
        post.save(update_fields=["pair"])
        return post
    if starter == "follow_up":
        return _survey_from(builtins.follow_up(6), network=network, by=by, title=title or None)
    if not title:
        raise ValidationError({"title": "Please give the survey a title."})
    survey = Survey.objects.create(network=network, title=title, kind=Survey.Kind.CUSTOM, created_by=by)
    Section.objects.create(survey=survey, title="Questions", position=0)
    return survey


@transaction.atomic
def survey_update(
    *, survey: Survey, title: str, introduction: str, anonymous: bool, closes_at, follow_up_months=None, by
) -> Survey:
    """Settings. Anonymity changes only while the survey is a draft; a pre/post survey
    is always named (its change per person needs the same person twice)."""
    ensure(by, BUILD)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if anonymous != survey.anonymous:
        if not survey.is_draft or survey.responses.exists():
            raise ValidationError({"anonymous": "Whether answers are anonymous is fixed once the survey has opened."})
        if anonymous and survey.kind in (Survey.Kind.PRE, Survey.Kind.POST):
            raise ValidationError(
                {"anonymous": "A before/after survey is named: its change per person needs the same person twice."}
            )
    if closes_at and closes_at <= timezone.now() and survey.status != Survey.Status.CLOSED:
        raise ValidationError({"closes_at": "The close date must be in the future."})
    if survey.kind == Survey.Kind.FOLLOW_UP and not follow_up_months:
        raise ValidationError({"follow_up_months": "A follow-up needs a delay in months."})
    survey.title = title.strip() or survey.title
    survey.introduction = introduction
    survey.anonymous = anonymous
    survey.closes_at = closes_at
    if survey.kind == Survey.Kind.FOLLOW_UP:
        survey.follow_up_months = follow_up_months
    survey.full_clean(validate_constraints=False)
    survey.save()
    return survey


@transaction.atomic
def survey_open(*, survey: Survey, by, now=None) -> Survey:
    """Open a draft: from now on its anonymity is fixed and invitations may be sent."""
    ensure(by, BUILD)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.is_draft:
        return survey
    if not survey.questions.filter(archived_at__isnull=True).exists():
        raise ValidationError("Add at least one question before opening the survey.")
    survey.status, survey.opened_at = Survey.Status.OPEN, now or timezone.now()
    survey.save(update_fields=["status", "opened_at"])
    return survey


@transaction.atomic
def survey_close(*, survey: Survey, by, now=None) -> Survey:
    """Close: links stop working (their page says the survey has closed); results stay."""
    ensure(by, BUILD)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.CLOSED:
        survey.status, survey.closed_at = Survey.Status.CLOSED, now or timezone.now()
        survey.save(update_fields=["status", "closed_at"])
    return survey


def _next_position(queryset) -> int:
    top = queryset.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def section_add(*, survey: Survey, title: str, by) -> Section:
    ensure(by, BUILD)
    if not title.strip():
        raise ValidationError({"title": "Please give the section a title."})
    return Section.objects.create(survey=survey, title=title.strip(), position=_next_position(survey.sections))


def _clean_question(data: dict) -> dict:
    kind = data["kind"]
    errors = {}
    choices = [c.strip() for c in data.get("choices") or [] if c.strip()]
    labels = [c.strip() for c in data.get("scale_labels") or [] if c.strip()]
    if kind in Question.CHOICES and len(choices) < 2:
        errors["choices"] = "A choice question needs at least two options, one a line."
    if kind == Question.Kind.LIKERT and labels and len(labels) != 5:
        errors["scale_labels"] = "A scale needs five labels, one a line, from 1 to 5 (or none for agree/disagree)."
    if errors:
        raise ValidationError(errors)
    return {
        **data,
        "choices": choices if kind in Question.CHOICES else [],
        "scale_labels": labels if kind == Question.Kind.LIKERT else [],
    }


@transaction.atomic
def question_add(*, survey: Survey, section: Section, by, **data) -> Question:
    """Add a question at the end of its section."""
    ensure(by, BUILD)
    if section.survey_id != survey.pk:
        raise ValidationError({"section": "Choose a section of this survey."})
    data = _clean_question(data)
    return Question.objects.create(survey=survey, section=section, position=_next_position(section.questions), **data)


@transaction.atomic
def question_update(*, question: Question, section: Section, by, **data) -> Question:
    """Edit a question. Once it has answers its kind, options and scale are fixed (the
    wording may still be polished): change them and earlier answers would mean
    something else."""
    ensure(by, BUILD)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if section.survey_id != question.survey_id:
        raise ValidationError({"section": "Choose a section of this survey."})
    data = _clean_question(data)
    if question.answers.exists():
        for field in ("kind", "choices", "scale_labels"):
            if data[field] != getattr(question, field):
                raise ValidationError(
                    {
                        field: "This question has answers, so its kind and options are fixed. Archive it and add a new one."
                    }
                )
    if section.pk != question.section_id:
        question.position = _next_position(section.questions)
    question.section = section
    for field, value in data.items():
        setattr(question, field, value)
    question.save()
    return question


def _swap(siblings, item, direction: str):
    """Swap `item` with its neighbour above ("up") or below ("down") among `siblings`
    (locked), and number them 0, 1, 2… again."""
    ordered = list(siblings.order_by("position", "pk"))
    index = next(i for i, s in enumerate(ordered) if s.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, s in enumerate(ordered):
        if s.position != position:
            s.position = position
            s.save(update_fields=["position"])
    return next(s for s in ordered if s.pk == item.pk)


@transaction.atomic
def question_move(*, question: Question, direction: str, by) -> Question:
    """Swap a question with its neighbour above ("up") or below ("down") in its section."""
    ensure(by, BUILD)
    return _swap(Question.objects.select_for_update().filter(section_id=question.section_id), question, direction)


@transaction.atomic
def section_move(*, section: Section, direction: str, by) -> Section:
    """Swap a section with its neighbour above or below."""
    ensure(by, BUILD)
    return _swap(Section.objects.select_for_update().filter(survey_id=section.survey_id), section, direction)


@transaction.atomic
def question_delete(*, question: Question, by) -> None:
    """Delete a question that nobody has answered. One with answers is refused: archive
    it instead, so the survey's results stay comparable."""
    ensure(by, BUILD)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.answers.exists():
        raise ValidationError(
            "This question has answers, so it cannot be deleted: archive it instead. "
            "Archived questions are no longer asked, and their answers stay in the results."
        )
    question.delete()


@transaction.atomic
def question_archive(*, question: Question, by, archived: bool = True, now=None) -> Question:
    """Stop asking a question (or ask it again); its answers stay in the results."""
    ensure(by, BUILD)
    question.archived_at = (now or timezone.now()) if archived else None
    question.save(update_fields=["archived_at"])
    return question
