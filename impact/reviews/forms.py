"""Forms of the six-lens review: open a year's review, edit it (one block per lens),
comment on it."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from impact.dashboards import periods
from impact.dashboards.models import Measure
from impact.reviews.models import RATINGS
from network.base.inputs import IdMultipleChoiceField


class ReviewCreateForm(forms.Form):
    year_label = forms.ChoiceField(label="Membership year")
    hub = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="The whole network", help_text="Or review one hub."
    )

    def __init__(self, *args, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        labels = periods.recent_labels(periods.MEMBERSHIP, count=4)
        self.fields["year_label"].choices = [(label, label) for label in labels]
        self.fields["hub"].queryset = hubs
        self.helper = FormHelper()
        self.helper.add_input(Submit("open", "Open the review"))


class ReviewForm(forms.Form):
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    agreed_actions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text="One action a line: what, who, by when."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class RatingForm(forms.Form):
    """One lens; prefixed with the lens's key so the six sit in one form."""

    rating = forms.TypedChoiceField(
        choices=[("", "Not rated")] + sorted(RATINGS.items()), coerce=int, empty_value=None, required=False
    )
    commentary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="Documents, links and observations."
    )
    kpis = forms.MultipleChoiceField(
        label="KPIs it rests on", choices=Measure.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    claims = IdMultipleChoiceField(
        queryset=None,
        label="Evidence log claims it rests on",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text="Claimed changes recorded in the evidence log; hold Ctrl (⌘ on a Mac) to choose several.",
    )

    def __init__(self, *args, lens_label: str, claims, **kwargs):
        super().__init__(*args, **kwargs)
        self.lens_label = lens_label
        self.fields["claims"].queryset = claims
        self.fields["claims"].label_from_instance = lambda c: f"{c.statement} ({c.academy.name})"
        self.helper = FormHelper()
        self.helper.form_tag = False


class CommentForm(forms.Form):
    body = forms.CharField(label="Your comment", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("comment", "Add comment"))
