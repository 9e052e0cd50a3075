"""Forms for the membership pages. Validation messages say what to do."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone

from network.base.widgets import QuickSelect, offer_rows
from network.programme.membership.models import Membership, MembershipPolicy, Outcome, year_label, year_start
from network.programme.membership.policy import application_year_labels, policy_or_default
from network.programme.models import Network

STATUS_CHOICES = [("", "Any status"), *Membership.Status.choices, ("at_risk", "At risk")]


def current_label() -> str:
    today = timezone.localdate()
    return year_label(today.year if today.month >= 4 else today.year - 1)


class YearField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("help_text", "A membership year, written like 2026-27.")
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value:
            try:
                year_start(value)
            except ValueError as error:
                raise forms.ValidationError(str(error)) from None
        return value


class MembershipFilterForm(forms.Form):
    # QuickSelect: the trust list has every trust for a coordinator (issue 14).
    network = forms.ModelChoiceField(
        Network.objects.order_by("name"), required=False, empty_label="Any network", widget=QuickSelect
    )
    year = forms.ChoiceField(required=False, widget=QuickSelect)
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False, widget=QuickSelect)
    trust = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any trust", widget=QuickSelect)

    def __init__(self, *args, years, trusts, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Any year"), *[(label, label) for label in years]]
        self.fields["trust"].queryset = trusts
        if choices is not None:  # selectors.membership_filter_choices, remembered
            offer_rows(self.fields["network"], choices["networks"])
            offer_rows(self.fields["trust"], choices["trusts"])
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class ReviewStartForm(forms.Form):
    network = forms.ModelChoiceField(Network.objects.order_by("name"), empty_label="Choose a network")
    year = YearField(
        label="Membership year reviewed", help_text="The current year, e.g. 2025-26: the review decides 2026-27."
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": current_label()})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = "network:membership_review_start"
        self.helper.add_input(Submit("", "Run the review", css_class="btn-primary"))


OVERRIDE_CHOICES = [("", "As proposed"), *Outcome.choices]


def override_choices() -> list:
    """The decision's choices, given to the field as a callable: every form deep-copies its
    fields, and a list of choices is copied pair by pair, a quarter of the time it took to
    build the review page's 25 forms (speed, issue 14). A callable is copied as it is."""
    return OVERRIDE_CHOICES


class ProposalDecisionForm(forms.Form):
    """One row of the review table. Labels are visually hidden in the table; each names
    the academy so a screen reader announces which row a control belongs to."""

    proposal = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(choices=override_choices, required=False)
    reason = forms.CharField(required=False, max_length=1000)
    confirm = forms.BooleanField(required=False)


ProposalDecisionFormSet = forms.formset_factory(ProposalDecisionForm, extra=0)


class InviteYearForm(forms.Form):
    network = forms.ModelChoiceField(Network.objects.order_by("name"), empty_label="Choose a network")
    year = YearField(
        label="Invite for the year", help_text="The membership year the invitations are for, e.g. 2027-28."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("", "Show eligible academies", css_class="btn-primary"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ApplicationForm(forms.Form):
    academy = forms.ModelChoiceField(queryset=None, empty_label="Choose the academy")
    network = forms.ModelChoiceField(Network.objects.order_by("name"), empty_label="Choose a network")
    year = forms.ChoiceField(label="Membership year", help_text="This membership year or the next.")
    evidence_text = forms.CharField(
        label="Your evidence",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="Why your academy should join: results, inspection, what you would bring to the network.",
    )
    files = MultipleFileField(
        label="Evidence files",
        required=False,
        help_text="Optional. PDF, Word, Excel, PowerPoint, text or images; up to 10 MB each.",
    )

    def __init__(self, *args, academies, **kwargs):
        # This year and the next under each network's policy (the defaults for a
        # network without one); clean() checks the pair of the network chosen.
        policies = [*MembershipPolicy.objects.all(), MembershipPolicy()]
        labels = sorted({label for policy in policies for label in application_year_labels(policy)})
        kwargs.setdefault("initial", {"year": application_year_labels(MembershipPolicy())[0]})
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(label, label) for label in labels]
        self.fields["academy"].queryset = academies
        if academies.count() == 1:
            self.fields["academy"].initial = academies.first()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if not (data.get("evidence_text") or "").strip() and not data.get("files"):
            self.add_error("evidence_text", "Please describe your evidence or attach at least one file.")
        if data.get("network") and data.get("year"):
            allowed = application_year_labels(policy_or_default(data["network"]))
            if data["year"] not in allowed:
                self.add_error("year", f"{data['network']} takes applications for {allowed[0]} or {allowed[1]}.")
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Decline")], widget=forms.RadioSelect, label="Decision"
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The academy reads this in its decision letter.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's own form posts to the decide URL
        self.helper.add_input(Submit("", "Record the decision", css_class="btn-primary"))
