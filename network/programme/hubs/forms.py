"""Forms of the hub pages."""

from django import forms

from network.programme.models import Network
from trusts.models import Region


class JoinForm(forms.Form):
    message = forms.CharField(
        label="A note for the hub lead (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResourceForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(required=False, help_text="A document, spreadsheet, slides, PDF or image, up to 10 MB.")
    url = forms.URLField(label="Or a link", required=False, max_length=500, assume_scheme="https")


class MeetingNoteForm(forms.Form):
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}))
    actions = forms.CharField(label="Agreed actions", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ClusterProposalForm(forms.Form):
    network = forms.ModelChoiceField(Network.objects.order_by("name"), empty_label=None)
    name = forms.CharField(label="Name of the cluster", max_length=200)
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), help_text="What the cluster would do, and for which schools."
    )
    region = forms.ChoiceField(choices=[("", "Not set"), *Region.choices], required=False)


class HubSearchForm(forms.Form):
    q = forms.CharField(label="Search hubs", required=False, max_length=100)
