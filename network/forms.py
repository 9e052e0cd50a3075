from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html

from network.models import Role
from trusts.models import Designation, ExpertiseTag, Person, Region, Trust


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

    def __init__(self, *args, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = hubs
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("", "Search", css_class="btn-primary"))


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label="Your name", max_length=200)
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Type the password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("", "Create my account", css_class="btn-primary"))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "The two passwords are different. Please type the same password twice.")
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="For a science leader, the email of their person record (People in the admin): "
        "the login is linked to that record, and so to their academy.",
    )
    # No role is chosen for the coordinator: a slip would otherwise invite a coordinator.
    role = forms.ChoiceField(choices=[("", "Choose a role"), *Role.choices])
    trusts = forms.ModelMultipleChoiceField(
        Trust.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Required for trust executives: tick the trusts whose dashboards they will see.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("", "Send invitation", css_class="btn-primary"))

    def clean(self):
        """Find the person record by email: a list of every person in the network would
        be hundreds long, and the email identifies them anyway."""
        data = super().clean()
        email = data.get("email")
        data["person"] = Person.objects.select_related("academy").filter(email__iexact=email).first() if email else None
        if data.get("role") == Role.LEADER and data["person"] is None:
            self.add_error(
                "email",
                "No person with this email is recorded. Add them under People in the admin (or import them), "
                "then invite them.",
            )
        return data
