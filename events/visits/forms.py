"""Forms of the visit pages. They parse; the services decide (their refusals land on
the form through `network.base.web.service_errors`)."""

import datetime

from django import forms
from django.utils import timezone

from events.visits.models import Visit, VisitAction, VisitKind
from events.visits.policy import FRAMEWORK_STRANDS, STRAND_RATINGS
from trusts.models import Academy, ExpertiseTag, Person, SupportTier

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class _AcademyChoice(forms.ModelChoiceField):
    def label_from_instance(self, academy):
        return f"{academy.name} ({academy.trust.name if academy.trust_id else 'no trust'})"


class VisitRequestForm(forms.Form):
    academy = _AcademyChoice(queryset=Academy.objects.none(), label="Academy", empty_label=None)
    direction = forms.ChoiceField(
        choices=Visit.Direction.choices, widget=forms.RadioSelect, initial=Visit.Direction.HOST, label="What for?"
    )
    kind = forms.ModelChoiceField(queryset=VisitKind.objects.none(), label="Kind of visit", empty_label=None)
    focus_areas = forms.ModelMultipleChoiceField(
        queryset=ExpertiseTag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Focus areas",
        help_text="What the visit should look at (or the practice you want to see).",
    )
    preferred_weeks = forms.CharField(max_length=200, required=False, label="Preferred weeks")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Anything else")

    def __init__(self, *args, academies, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academy"].queryset = academies
        self.fields["kind"].queryset = kinds
        self.fields["kind"].label_from_instance = lambda k: (
            f"{k.name} (£{k.fee_net:,.0f} + VAT)" if k.is_chargeable else k.name
        )


def _emails(text: str) -> list[str]:
    return [e.strip().lower() for e in text.replace(",", "\n").replace(";", "\n").split() if e.strip()]


class VisitScheduleForm(forms.Form):
    """The coordinator's form on the brokering page: host (by URN), visitors (by email),
    host contact, date and time, place or link. A suggestion's *Use* link fills it."""

    host_urn = forms.IntegerField(label="Host academy URN", required=False, min_value=1)
    visitor_emails = forms.CharField(
        label="Visitors' emails",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="One or more, separated by commas or new lines.",
    )
    host_contact_email = forms.EmailField(label="Host contact's email", required=False)
    day = forms.DateField(label="Date", widget=DATE, required=False)
    start_time = forms.TimeField(label="Starts", widget=TIME, required=False)
    end_time = forms.TimeField(label="Ends", widget=TIME, required=False)
    is_online = forms.BooleanField(label="Online", required=False)
    location = forms.CharField(max_length=250, required=False, label="Where (for a visit in person)")
    joining_link = forms.URLField(
        max_length=500, required=False, assume_scheme="https", label="Joining link (for an online visit)"
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Reason (when moving a scheduled visit)",
    )

    def clean_visitor_emails(self):
        return _emails(self.cleaned_data.get("visitor_emails") or "")

    def people(self) -> tuple[Academy | None, list[Person], Person | None]:
        """Look up the host, visitors and contact; unknown ones are form errors."""
        data = self.cleaned_data
        host = None
        if data.get("host_urn"):
            host = Academy.objects.filter(urn=data["host_urn"]).select_related("trust").first()
            if host is None:
                self.add_error("host_urn", "No academy has that URN.")
        emails = data.get("visitor_emails") or []
        found = {p.email.lower(): p for p in Person.objects.filter(email__in=emails)}
        missing = [e for e in emails if e not in found]
        if missing:
            self.add_error("visitor_emails", f"Nobody in the portal has the email {', '.join(missing)}.")
        contact = None
        if data.get("host_contact_email"):
            contact = Person.objects.filter(email__iexact=data["host_contact_email"]).first()
            if contact is None:
                self.add_error("host_contact_email", "Nobody in the portal has that email.")
        return host, [found[e] for e in emails if e in found], contact

    def times(self) -> tuple[datetime.datetime, datetime.datetime] | None:
        data = self.cleaned_data
        missing = [f for f in ("day", "start_time", "end_time") if not data.get(f)]
        for name in missing:
            self.add_error(name, "Needed to schedule the visit.")
        if missing:
            return None
        tz = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.datetime.combine(data["day"], data["start_time"]), tz)
        end = timezone.make_aware(datetime.datetime.combine(data["day"], data["end_time"]), tz)
        return start, end


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Reason", max_length=2000)


class ReportForm(forms.Form):
    focus_areas = forms.ModelMultipleChoiceField(
        queryset=ExpertiseTag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label="Focus areas"
    )
    seen = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False, label="What was seen")
    strengths = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    development = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Areas for development"
    )

    def __init__(self, *args, framework: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if framework:
            for code, label in FRAMEWORK_STRANDS:
                self.fields[f"strand_{code}"] = forms.ChoiceField(
                    choices=[("", "Not rated yet"), *STRAND_RATINGS], required=False, label=label
                )

    def strands(self) -> dict:
        return {
            name.removeprefix("strand_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("strand_") and value
        }


class ActionForm(forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Action")
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label="Owner at the host academy")
    due_on = forms.DateField(widget=DATE, required=False, label="Due")

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners

    def clean(self):
        data = super().clean()
        filled = [data.get("description"), data.get("owner"), data.get("due_on")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(
                "An action needs a description, an owner and a due date (or leave all three empty)."
            )
        return data


ActionFormSet = forms.formset_factory(ActionForm, extra=2, max_num=20)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Comment",
        help_text="Needed when you ask for changes; the visitor reads it.",
    )


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=VisitAction.Status.choices, label="Status")
    note = forms.CharField(max_length=2000, required=False, label="Note")


class CoverageFilterForm(forms.Form):
    year = forms.ChoiceField(required=False, label="Membership year")
    trust = forms.ModelChoiceField(queryset=None, required=False, label="Trust", empty_label="All trusts")
    hub = forms.ModelChoiceField(queryset=None, required=False, label="Hub", empty_label="All hubs")
    tier = forms.ChoiceField(
        choices=[("", "All tiers"), *SupportTier.choices, ("none", "No tier recorded")],
        required=False,
        label="Support tier",
    )
    region = forms.CharField(required=False, label="Region", max_length=40)

    def __init__(self, *args, years, trusts, hubs, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y.label, y.label) for y in years]
        self.fields["trust"].queryset = trusts
        self.fields["hub"].queryset = hubs
        self.fields["region"] = forms.ChoiceField(
            choices=[("", "All regions"), *[(r, r) for r in regions]], required=False, label="Region"
        )
