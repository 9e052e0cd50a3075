"""Forms of the survey pages: the builder, inviting, the results filter, and the answer
form built from a survey's questions. Messages say what to do."""

import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from impact.surveys import builtins, scoring
from impact.surveys.models import Question, Survey
from network.programme.models import Network


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class Crispy:
    """Fields laid out by crispy inside the page's own <form> (which holds the buttons)."""

    def _helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False


class SurveyCreateForm(Crispy, forms.Form):
    network = forms.ModelChoiceField(Network.objects.order_by("name"), empty_label=None)
    starter = forms.ChoiceField(
        label="Start from",
        choices=[(k, label) for k, (label, _) in builtins.STARTERS.items()]
        + [("follow_up", "Another lagged follow-up (e.g. 6 months after attending)")],
        widget=forms.RadioSelect,
        initial="blank",
    )
    title = forms.CharField(max_length=150, required=False, help_text="Needed for a blank survey.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class SurveySettingsForm(Crispy, forms.Form):
    title = forms.CharField(max_length=200)
    introduction = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Shown above the questions. {event} is replaced by the event's title.",
    )
    anonymous = forms.TypedChoiceField(
        label="Answers are",
        choices=[
            ("1", "Anonymous: stored with no link to the person"),
            ("0", "Named: stored with the person (needed for before/after pairs)"),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    closes_on = forms.DateField(
        label="Close on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Links stop working at the end of this day. Empty: open until you close it.",
    )
    follow_up_months = forms.IntegerField(label="Months after attending", min_value=1, max_value=36, required=False)

    def __init__(self, *args, survey: Survey, **kwargs):
        closes = timezone.localtime(survey.closes_at).date() - datetime.timedelta(days=1) if survey.closes_at else None
        kwargs.setdefault(
            "initial",
            {
                "title": survey.title,
                "introduction": survey.introduction,
                "anonymous": "1" if survey.anonymous else "0",
                "closes_on": closes,
                "follow_up_months": survey.follow_up_months,
            },
        )
        super().__init__(*args, **kwargs)
        self._helper()
        if not survey.is_draft:
            self.fields["anonymous"].disabled = True
            self.fields["anonymous"].help_text = "Fixed: the survey has opened."
        if survey.kind != Survey.Kind.FOLLOW_UP:
            del self.fields["follow_up_months"]

    def closes_at(self):
        day = self.cleaned_data.get("closes_on")
        if not day:
            return None
        return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


class SectionForm(Crispy, forms.Form):
    title = forms.CharField(label="New section", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class QuestionForm(Crispy, forms.Form):
    text = forms.CharField(label="Question", max_length=300, help_text="{event} is replaced by the event's title.")
    help_text = forms.CharField(label="Hint", max_length=300, required=False)
    kind = forms.ChoiceField(label="Kind of answer", choices=Question.Kind.choices)
    section = forms.ModelChoiceField(queryset=None, empty_label=None)
    required = forms.BooleanField(label="An answer is required", required=False, initial=True)
    choices = forms.CharField(
        label="Options", widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text="For choices: one a line."
    )
    scale_labels = forms.CharField(
        label="Scale labels",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="For a scale: five labels, one a line, from 1 to 5. Empty: Strongly disagree … Strongly agree.",
    )
    key = forms.SlugField(
        label="Key",
        required=False,
        help_text="Optional. Matches questions across surveys: a before/after pair compares questions with the same key.",
    )

    def __init__(self, *args, survey: Survey, question: Question | None = None, **kwargs):
        if question is not None:
            kwargs.setdefault(
                "initial",
                {
                    "text": question.text,
                    "help_text": question.help_text,
                    "kind": question.kind,
                    "section": question.section_id,
                    "required": question.required,
                    "choices": "\n".join(question.choices),
                    "scale_labels": "\n".join(question.scale_labels),
                    "key": question.key,
                },
            )
        super().__init__(*args, **kwargs)
        self._helper()
        self.fields["section"].queryset = survey.sections.order_by("position", "pk")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("section")
        data["choices"] = _lines(data["choices"])
        data["scale_labels"] = _lines(data["scale_labels"])
        return data


AUDIENCES = [
    ("event", "The attendees of one event"),
    ("series", "The attendees of an event series (e.g. a programme)"),
    ("members", "The heads of science and subject leads of the network's member academies"),
]


class InviteForm(Crispy, forms.Form):
    audience = forms.ChoiceField(label="Invite", choices=AUDIENCES, widget=forms.RadioSelect)
    event = forms.ModelChoiceField(queryset=None, required=False, empty_label="Choose an event")
    series = forms.ChoiceField(required=False)

    def __init__(self, *args, events, series, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()
        self.fields["event"].queryset = events
        self.fields["series"].choices = [("", "Choose a series"), *[(s, s) for s in series]]

    def clean(self):
        data = super().clean()
        if data.get("audience") == "event" and not data.get("event"):
            self.add_error("event", "Choose the event whose attendees to invite.")
        if data.get("audience") == "series" and not data.get("series"):
            self.add_error("series", "Choose the series whose attendees to invite.")
        return data


class ResultsFilterForm(forms.Form):
    event = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any event")
    hub = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any hub")
    trust = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any trust")
    term = forms.ChoiceField(required=False)
    q = forms.CharField(label="Search the written answers", required=False, max_length=100)

    def __init__(self, *args, events, hubs, trusts, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events
        self.fields["hub"].queryset = hubs
        self.fields["trust"].queryset = trusts
        self.fields["term"].choices = [("", "Any term"), *[(t, t) for t in terms]]
        for name, f in self.fields.items():
            f.widget.attrs["class"] = "form-control" if name == "q" else "form-select"

    def clean_term(self):
        term = self.cleaned_data.get("term") or ""
        if term:
            try:
                scoring.term_bounds(term)
            except (ValueError, KeyError):
                raise forms.ValidationError("Choose a term from the list.") from None
        return term


def _field_for(question: Question, event, *, required: bool) -> forms.Field:
    label = question.text_for(event)
    common = {"label": label, "required": required, "help_text": question.help_text}
    kind = question.kind
    if kind == Question.Kind.LIKERT:
        choices = [(str(i), f"{i} – {text}") for i, text in enumerate(question.labels(), start=1)]
        return forms.TypedChoiceField(choices=choices, coerce=int, widget=forms.RadioSelect, **common)
    if kind == Question.Kind.SINGLE:
        return forms.ChoiceField(choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, **common)
    if kind == Question.Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choices], widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == Question.Kind.NUMBER:
        return forms.DecimalField(
            max_digits=10, decimal_places=2, widget=forms.NumberInput(attrs={"inputmode": "decimal"}), **common
        )
    if kind == Question.Kind.SHORT_TEXT:
        return forms.CharField(max_length=300, **common)
    return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), **common)


class AnswerForm(forms.Form):
    """One field per question asked (`q<id>`). `final=False` (saving as the person goes)
    asks nothing to be required, and keeps only the answers that are valid."""

    def __init__(self, *args, questions: list[Question], event=None, final: bool = True, draft=None, **kwargs):
        if draft:
            kwargs.setdefault("initial", {f"q{pk}": value for pk, value in draft.items()})
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = _field_for(question, event, required=final and question.required)

    def sections(self):
        """(section, [bound fields]) in order, for the page."""
        grouped = []
        for question in self.questions:
            if not grouped or grouped[-1][0].pk != question.section_id:
                grouped.append((question.section, []))
            grouped[-1][1].append(self[f"q{question.pk}"])
        return grouped

    def values(self) -> dict:
        """Question id → value, of every field that is valid (the rest are left out)."""
        data = getattr(self, "cleaned_data", {})
        return {int(name[1:]): value for name, value in data.items() if name.startswith("q")}
