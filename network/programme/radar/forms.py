from django import forms
from django.utils import timezone

from network.base.inputs import IdMultipleChoiceField
from network.programme.grants.models import GrantReport
from network.programme.hubs.models import HubResource


class RadarForm(forms.Form):
    """The issue's text and the items picked from this term's candidates (checkboxes)."""

    title = forms.CharField(max_length=200, help_text="e.g. Innovation Radar, spring term 2026")
    editorial = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), help_text="A few paragraphs from you.")
    outcomes = IdMultipleChoiceField(
        GrantReport.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label="Grant outcomes"
    )
    events = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label="Upcoming events")
    resources = IdMultipleChoiceField(
        HubResource.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label="New hub resources"
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcomes"].queryset = GrantReport.objects.filter(pk__in=[r.pk for r in candidates["outcomes"]])
        self.fields["outcomes"].label_from_instance = lambda r: f"{r.bid.title} ({r.bid.academy.name})"
        self.fields["resources"].queryset = HubResource.objects.filter(pk__in=[r.pk for r in candidates["resources"]])
        self.fields["resources"].label_from_instance = lambda r: f"{r.title} ({r.hub.name})"
        self.fields["events"].choices = [
            (str(e.pk), f"{e.title}, {timezone.localtime(e.starts_at):%d/%m/%Y}") for e in candidates["events"]
        ]
