from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from network.base.widgets import offer_rows
from trusts.models import Designation, ExpertiseTag, Region


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="A name, designation (e.g. SLE), expertise, job role, academy, trust or region",
    )
    expertise = forms.ModelChoiceField(ExpertiseTag.objects.all(), required=False, empty_label="Any expertise")
    designation = forms.ModelChoiceField(Designation.objects.all(), required=False, empty_label="Any designation")
    hub = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any hub")
    region = forms.ChoiceField(choices=[("", "Any region"), *Region.choices], required=False)

    def __init__(self, *args, hubs, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = hubs
        # The selects list `choices` (selectors.directory_filter_choices), remembered.
        for name, rows in choices.items():
            offer_rows(self.fields[name], rows)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("", "Search", css_class="btn-primary"))
