"""Survey pages: the coordinators' builder, dispatch status and results (results for
trust executives too, suppressed under 5), a person's own surveys, and answering,
from the emailed link (no sign-in) or from the home page. Thin: parse, call a selector
or a service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from events.models import Event
from impact.surveys import exporters, scoring, selectors
from impact.surveys.forms import (
    AnswerForm,
    InviteForm,
    QuestionForm,
    ResultsFilterForm,
    SectionForm,
    SurveyCreateForm,
    SurveySettingsForm,
)
from impact.surveys.services import answering, building, dispatch
from network.base.ratelimit import rate_limited
from network.base.rules import has
from network.base.web import permission_required, service_errors

PAGE_SIZE = 25
TEXT_PAGE_SIZE = 20


def _problem(error: ValidationError) -> str:
    return " ".join(error.messages)


def _builder(pk) -> str:
    return reverse("impact:survey_builder", args=[pk])


# -- The list and the builder ----------------------------------------------------------


@permission_required("impact.open_survey_results")
def survey_list(request):
    page = Paginator(selectors.survey_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "impact/surveys/survey_list.html",
        {"page": page, "may_build": has(request.user, "impact.build_surveys")},
    )


@permission_required("impact.build_surveys")
def survey_create(request):
    form = SurveyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            survey = building.survey_create(
                network=form.cleaned_data["network"],
                starter=form.cleaned_data["starter"],
                title=form.cleaned_data["title"],
                by=request.user,
            )
        if not form.errors:
            if survey.pair_id:
                messages.success(
                    request, f"Two named surveys made: “{survey.pair.title}” and “{survey.title}” (this one)."
                )
            return redirect(_builder(survey.pk))
    return render(request, "impact/surveys/survey_create.html", {"form": form})


def _render_builder(request, pk, *, settings_form=None, section_form=None, status=200):
    survey, sections = selectors.builder(request.user, pk)
    return render(
        request,
        "impact/surveys/builder.html",
        {
            "survey": survey,
            "sections": sections,
            "settings_form": settings_form or SurveySettingsForm(survey=survey),
            "section_form": section_form or SectionForm(),
        },
        status=status,
    )


@permission_required("impact.build_surveys")
def survey_builder(request, pk):
    return _render_builder(request, pk)


@permission_required("impact.build_surveys")
@require_POST
def survey_settings(request, pk):
    survey = selectors.survey_for_user(request.user, pk)
    form = SurveySettingsForm(request.POST, survey=survey)
    if form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            building.survey_update(
                survey=survey,
                title=data["title"],
                introduction=data["introduction"],
                anonymous=data.get("anonymous", survey.anonymous),
                closes_at=form.closes_at(),
                follow_up_months=data.get("follow_up_months"),
                by=request.user,
            )
        if not form.errors:
            messages.success(request, "The survey's settings are saved.")
            return redirect(_builder(pk))
    return _render_builder(request, pk, settings_form=form, status=400)


@permission_required("impact.build_surveys")
@require_POST
def survey_status(request, pk):
    """Open or close the survey (`action`)."""
    survey = selectors.survey_for_user(request.user, pk)
    action = request.POST.get("action")
    try:
        if action == "open":
            building.survey_open(survey=survey, by=request.user)
            messages.success(request, "The survey is open. Whether answers are anonymous is now fixed.")
        elif action == "close":
            building.survey_close(survey=survey, by=request.user)
            messages.success(request, "The survey is closed: its links no longer work. The results stay.")
    except ValidationError as error:
        messages.error(request, _problem(error))
    return redirect(_builder(pk))


@permission_required("impact.build_surveys")
@require_POST
def section_add(request, pk):
    survey = selectors.survey_for_user(request.user, pk)
    form = SectionForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            building.section_add(survey=survey, title=form.cleaned_data["title"], by=request.user)
        if not form.errors:
            return redirect(_builder(pk))
    return _render_builder(request, pk, section_form=form, status=400)


@permission_required("impact.build_surveys")
@require_POST
def section_move(request, pk):
    section = selectors.section_for_builder(request.user, pk)
    building.section_move(section=section, direction=request.POST.get("direction", ""), by=request.user)
    return redirect(_builder(section.survey_id) + f"#section-{section.pk}")


@permission_required("impact.build_surveys")
def question_add(request, pk):
    survey = selectors.survey_for_user(request.user, pk)
    form = QuestionForm(request.POST or None, survey=survey, initial={"section": request.GET.get("section")})
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            question = building.question_add(
                survey=survey, section=form.cleaned_data["section"], by=request.user, **form.service_data()
            )
        if not form.errors:
            messages.success(request, "Question added.")
            return redirect(_builder(pk) + f"#question-{question.pk}")
    return render(request, "impact/surveys/question_form.html", {"survey": survey, "form": form, "question": None})


@permission_required("impact.build_surveys")
def question_edit(request, pk):
    question = selectors.question_for_builder(request.user, pk)
    survey = question.survey
    form = QuestionForm(request.POST or None, survey=survey, question=question)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            building.question_update(
                question=question, section=form.cleaned_data["section"], by=request.user, **form.service_data()
            )
        if not form.errors:
            messages.success(request, "Question saved.")
            return redirect(_builder(survey.pk) + f"#question-{question.pk}")
    return render(request, "impact/surveys/question_form.html", {"survey": survey, "form": form, "question": question})


@permission_required("impact.build_surveys")
@require_POST
def question_move(request, pk):
    question = selectors.question_for_builder(request.user, pk)
    building.question_move(question=question, direction=request.POST.get("direction", ""), by=request.user)
    return redirect(_builder(question.survey_id) + f"#question-{question.pk}")


@permission_required("impact.build_surveys")
@require_POST
def question_delete(request, pk):
    question = selectors.question_for_builder(request.user, pk)
    try:
        building.question_delete(question=question, by=request.user)
    except ValidationError as error:
        messages.error(request, _problem(error))
        return redirect(_builder(question.survey_id) + f"#question-{question.pk}")
    messages.success(request, "Question deleted.")
    return redirect(_builder(question.survey_id))


@permission_required("impact.build_surveys")
@require_POST
def question_archive(request, pk):
    question = selectors.question_for_builder(request.user, pk)
    archived = request.POST.get("archived") != "0"
    building.question_archive(question=question, archived=archived, by=request.user)
    messages.success(request, "Question archived: it is no longer asked." if archived else "Question restored.")
    return redirect(_builder(question.survey_id) + f"#question-{question.pk}")


@permission_required("impact.build_surveys")
def survey_preview(request, pk):
    survey = selectors.survey_for_user(request.user, pk)
    form = AnswerForm(questions=answering.questions_of(survey), final=True)
    return render(
        request,
        "impact/surveys/preview.html",
        {"survey": survey, "form": form, "intro": survey.introduction_for(None)},
    )


# -- Dispatch --------------------------------------------------------------------------


@permission_required("impact.build_surveys")
def survey_dispatch(request, pk):
    """Who has been invited and who has answered; for surveys the sweeps do not send by
    themselves, a form to invite an audience (the emails go within the hour)."""
    survey = selectors.survey_for_user(request.user, pk)
    events = Event.objects.filter(network_id=survey.network_id, starts_at__lte=timezone.now()).order_by("-starts_at")
    series = (
        Event.objects.filter(network_id=survey.network_id)
        .exclude(series="")
        .values_list("series", flat=True)
        .distinct()
    )
    form = InviteForm(request.POST or None, events=events, series=sorted(set(series)))
    if request.method == "POST" and not survey.builtin and form.is_valid():
        with service_errors(form):
            made = dispatch.invitations_create(
                survey=survey,
                kind=form.cleaned_data["audience"],
                event=form.cleaned_data.get("event"),
                series=form.cleaned_data.get("series") or "",
                by=request.user,
            )
        if not form.errors:
            messages.success(
                request,
                f"{made} {'person' if made == 1 else 'people'} invited. The emails go out within the hour; "
                "one reminder follows after 7 days to those who have not answered.",
            )
            return redirect("impact:survey_dispatch", pk=pk)
    status = selectors.dispatch_status(request.user, survey)
    page = Paginator(status.by_event, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "impact/surveys/dispatch.html", {"survey": survey, "status": status, "page": page, "form": form}
    )


# -- Results ----------------------------------------------------------------------------


def results_filters(request, survey):
    choices = selectors.filter_choices(request.user, survey)
    form = ResultsFilterForm(request.GET or None, **choices)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.Filters(
        event=data.get("event"), hub=data.get("hub"), trust=data.get("trust"), term=data.get("term") or ""
    )
    return form, filters, (data.get("q") or "").strip()


@permission_required("impact.open_survey_results")
def survey_results(request, pk):
    survey = selectors.survey_for_user(request.user, pk)
    form, filters, q = results_filters(request, survey)
    results = selectors.results(request.user, survey, filters)
    text_page = None
    if not results.hidden:
        answers = selectors.text_answers(request.user, survey, filters, q=q)
        text_page = Paginator(answers, TEXT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "impact/surveys/results.html",
        {
            "survey": survey,
            "form": form,
            "results": results,
            "text_page": text_page,
            "q": q,
        },
    )


@permission_required("impact.open_survey_results")
def survey_results_csv(request, pk):
    survey = selectors.survey_for_user(request.user, pk)
    _form, filters, _q = results_filters(request, survey)
    return exporters.results_csv(selectors.results(request.user, survey, filters))


@permission_required("impact.open_survey_results")
def survey_text_csv(request, pk):
    survey = selectors.survey_for_user(request.user, pk)
    _form, filters, q = results_filters(request, survey)
    responses = selectors.responses_for(request.user, survey, filters).count()
    if scoring.is_suppressed(responses, suppress=selectors.suppresses(request.user, survey)):
        return exporters.text_csv(survey, [])
    return exporters.text_csv(survey, selectors.text_answers(request.user, survey, filters, q=q))


# -- Answering ----------------------------------------------------------------------------


@permission_required("impact.answer_surveys")
def my_surveys(request):
    page = Paginator(selectors.my_invitations(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "impact/surveys/my_surveys.html", {"page": page, "now": timezone.now()})


def _refuse(request, state: str):
    return render(
        request,
        "impact/surveys/link_invalid.html",
        {"message": answering.REFUSALS.get(state), "state": state},
        status=410,
    )


def _answer(request, invitation, action: str):
    """The answer page, shared by the emailed link and the signed-in route. POST
    `action`: `autosave` (htmx, on every change: answers a status line), `save` (the
    no-JavaScript button: save and come back later) or `submit`."""
    state = answering.invitation_state(invitation)
    if state != answering.USABLE:
        return _refuse(request, state)
    questions = answering.questions_of(invitation.survey)
    by = request.user if request.user.is_authenticated else None
    context = {
        "invitation": invitation,
        "survey": invitation.survey,
        "event": invitation.event,
        "intro": invitation.survey.introduction_for(invitation.event),
        "action": action,
    }
    if request.method == "POST":
        what = request.POST.get("action", "save")
        final = what == "submit"
        form = AnswerForm(request.POST, questions=questions, event=invitation.event, final=final)
        valid = form.is_valid()
        try:
            if final and valid:
                answering.response_submit(invitation=invitation, values=form.values(), by=by)
                return render(request, "impact/surveys/thanks.html", context)
            answering.draft_save(invitation=invitation, values=form.values(), by=by)
        except ValidationError as error:
            if error.code in answering.REFUSALS:
                return _refuse(request, error.code)
            form.add_error(None, error)
            valid = False
        if what == "autosave" and request.htmx:
            return render(request, "impact/surveys/includes/saved.html", {"saved_at": timezone.now()})
        if what == "save":
            messages.success(request, "Your answers are saved. Use the same link to finish the survey later.")
            return redirect(request.path)
        context["form"] = form
        return render(request, "impact/surveys/answer.html", context, status=400)
    context["form"] = AnswerForm(questions=questions, event=invitation.event, draft=invitation.draft)
    return render(request, "impact/surveys/answer.html", context)


@never_cache
@rate_limited("survey_answer", key=lambda request, token: token)
def answer_by_link(request, token):
    """The emailed link: no sign-in needed; the link is the key (and works once)."""
    invitation = answering.invitation_for_token(token)
    if invitation is None:
        return _refuse(request, "unknown")
    return _answer(request, invitation, request.path)


@permission_required("impact.answer_surveys")
@never_cache
@rate_limited("survey_answer")
def answer_mine(request, pk):
    invitation = selectors.my_invitation(request.user, pk)
    return _answer(request, invitation, request.path)
