"""The dashboards' filters and the objectives form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from impact.dashboards import periods
from impact.dashboards.models import WITH_TRUSTS, Measure


class DashboardFilterForm(forms.Form):
    """Year (membership or academic) and hub. A trust in more than one network also
    chooses the network. Unknown values fall back to the defaults (this year, all hubs)."""

    kind = forms.ChoiceField(label="Count by", choices=periods.KINDS, required=False)
    year = forms.ChoiceField(label="Year", required=False)
    hub = forms.ModelChoiceField(label="Hub", queryset=None, required=False, empty_label="All hubs")
    network = forms.ModelChoiceField(label="Network", queryset=None, required=False, to_field_name="slug")

    def __init__(self, data, *, hubs, networks=None, **kwargs):
        super().__init__(data, **kwargs)
        kind = (data or {}).get("kind") if (data or {}).get("kind") in dict(periods.KINDS) else periods.MEMBERSHIP
        self.fields["year"].choices = [(label, label) for label in periods.recent_labels(kind)]
        self.fields["hub"].queryset = hubs
        if networks is not None and len(networks) > 1:
            self.fields["network"].queryset = networks
            self.fields["network"].empty_label = None
        else:
            del self.fields["network"]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                *[Column(name, css_class="col-sm-6 col-lg-3") for name in self.fields],
                Column(Submit("show", "Show", css_class="mt-sm-4"), css_class="col-sm-6 col-lg-2"),
            )
        )

    def choice(self) -> dict:
        """(kind, year, hub, network) chosen, with defaults for anything missing or wrong."""
        data = self.cleaned_data if self.is_valid() else {}
        kind = data.get("kind") or periods.MEMBERSHIP
        label = data.get("year") or periods.current(kind).label
        return {
            "kind": kind,
            "year": periods.year_for(kind, label),
            "hub": data.get("hub"),
            "network": data.get("network"),
        }


class ObjectiveForm(forms.Form):
    year_label = forms.ChoiceField(label="Membership year")
    measure = forms.ChoiceField(choices=Measure.choices)
    target = forms.DecimalField(min_value=0, max_digits=8, decimal_places=1)
    min_trusts = forms.IntegerField(
        label="From at least this many trusts",
        min_value=1,
        required=False,
        help_text="For leaders in online CPD, visits and the conference only.",
    )
    note = forms.CharField(max_length=250, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = periods.recent_labels(periods.MEMBERSHIP, count=3)
        following = periods.year_for(periods.MEMBERSHIP, labels[0])
        next_label = f"{following.starts_on.year + 1}-{(following.starts_on.year + 2) % 100:02d}"
        self.fields["year_label"].choices = [(label, label) for label in [next_label, *labels]]
        self.fields["year_label"].initial = labels[0]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save objective"))

    def clean(self):
        data = super().clean()
        if data.get("min_trusts") and data.get("measure") not in WITH_TRUSTS:
            self.add_error("min_trusts", "Only leaders in online CPD, visits and the conference count trusts.")
        return data
