"""Forms of the grants pages. Validation messages say what to do; the services hold the
rules (dates, budget, conflicts of interest) and their refusals land on these forms."""

from decimal import Decimal

from django import forms

from network.programme.grants.models import SCORE_MAX, GrantBid, GrantReport


class BidForm(forms.ModelForm):
    class Meta:
        model = GrantBid
        fields = ["title", "aims", "intended_impact", "measurement", "amount_requested"]
        widgets = {f: forms.Textarea(attrs={"rows": 4}) for f in ("aims", "intended_impact", "measurement")}
        help_texts = {
            "title": "A short name for the project.",
            "intended_impact": "What should change, for whom (pupils, teachers, the department).",
            "measurement": "How you will know, and when you will measure it.",
            "amount_requested": "The budget lines below must add up to this amount.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("aims", "intended_impact", "measurement"):
            self.fields[name].required = False  # a draft may be incomplete; submission checks


class BudgetLineForm(forms.Form):
    description = forms.CharField(max_length=200, required=False)
    amount = forms.DecimalField(
        label="Amount (£)", max_digits=10, decimal_places=2, min_value=Decimal("0.01"), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("amount"):
            self.add_error("amount", "Please give the amount for this line.")
        if data.get("amount") and not data.get("description"):
            self.add_error("description", "Please say what this amount pays for.")
        return data


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=0, min_num=4, max_num=12)


def budget_lines(formset) -> list[tuple[str, Decimal]]:
    return [
        (f.cleaned_data["description"], f.cleaned_data["amount"])
        for f in formset
        if f.cleaned_data.get("description") and f.cleaned_data.get("amount")
    ]


class AssignReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(queryset=None, empty_label="Choose a reviewer from another trust")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = candidates
        self.fields["reviewer"].label_from_instance = lambda u: f"{u} ({u.get_role_display()}, {u.email})"
        self.fields["reviewer"].widget.attrs["class"] = "form-select"


SCORES = [("", "Choose a score"), *[(str(n), str(n)) for n in range(SCORE_MAX + 1)]]


class ReviewForm(forms.Form):
    """One score field per criterion (named `criterion_<id>`), and a comment."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="The panel reads this.")

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"criterion_{c.pk}"] = forms.ChoiceField(
                label=f"{c.name} (weight {c.weight})",
                choices=SCORES,
                help_text=c.description or f"0 (not at all) to {SCORE_MAX} (fully)",
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        self.order_fields([f"criterion_{c.pk}" for c in self.criteria] + ["comment"])

    def scores(self) -> dict:
        return {str(c.pk): self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("award", "Award"), ("decline", "Do not fund")], widget=forms.RadioSelect)
    amount = forms.DecimalField(
        label="Amount to award (£)",
        max_digits=10,
        decimal_places=2,
        required=False,
        help_text="Empty: the whole amount requested.",
    )
    note = forms.CharField(
        label="Note for the letter", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class ReportForm(forms.ModelForm):
    class Meta:
        model = GrantReport
        fields = ["what_was_done", "what_changed", "evidence", "resources"]
        widgets = {f: forms.Textarea(attrs={"rows": 4}) for f in fields}


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label="Search the outcomes", required=False, max_length=100)
