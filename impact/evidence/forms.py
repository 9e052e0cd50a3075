"""Forms of the evidence log. Messages say what to do."""

from django import forms

from impact.evidence.confidence import LABELS
from impact.evidence.models import GuskeyLevel, InitiativeKind, SourceType
from impact.surveys.forms import Crispy as _Crispy


class ClaimForm(_Crispy, forms.Form):
    statement = forms.CharField(
        label="Claimed change",
        max_length=300,
        help_text="A short statement, e.g. “Year 9 required-practical write-ups improved”.",
    )
    academy = forms.ModelChoiceField(queryset=None, empty_label="Choose the academy")
    initiative_kind = forms.ChoiceField(
        label="It relates to",
        choices=InitiativeKind.choices,
        widget=forms.RadioSelect,
        initial=InitiativeKind.EVENT_SERIES,
    )
    event_series = forms.ChoiceField(label="Event series", required=False)
    hub = forms.ModelChoiceField(queryset=None, required=False, empty_label="Choose a hub")
    initiative_ref = forms.IntegerField(
        label="Visit or grant reference", required=False, min_value=1, help_text="For a visit or a grant: its number."
    )
    initiative_label = forms.CharField(
        label="Name of the visit or grant", required=False, max_length=200, help_text="Optional for series and hubs."
    )
    guskey_level = forms.TypedChoiceField(
        label="Level on Guskey's chain",
        choices=GuskeyLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="How far along the chain from CPD to pupils this change is.",
    )
    cpd_on = forms.DateField(
        label="Date of the related CPD",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Used to show how long after the CPD the change was seen. Empty for a series: its first event.",
    )

    def __init__(self, *args, academies, hubs, series, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()
        self.fields["academy"].queryset = academies
        if academies.count() == 1:
            self.fields["academy"].initial = academies.first()
        self.fields["hub"].queryset = hubs
        self.fields["event_series"].choices = [("", "Choose a series"), *[(s, s) for s in series]]


class EvidenceForm(_Crispy, forms.Form):
    source_type = forms.ChoiceField(label="Source", choices=SourceType.choices)
    observed_on = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}), help_text="When the evidence was gathered."
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="What the evidence shows.")
    attachment = forms.FileField(
        required=False,
        help_text="Optional. PDF, Word, Excel, PowerPoint, CSV, text or an image; up to 10 MB. "
        "Only people who may see this claim can open it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class ClaimFilterForm(forms.Form):
    initiative_kind = forms.ChoiceField(label="Initiative", required=False)
    hub = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any hub")
    series = forms.ChoiceField(label="Event series", required=False)
    academy = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any academy")
    level = forms.ChoiceField(label="Confidence", required=False)

    def __init__(self, *args, academies, hubs, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative_kind"].choices = [("", "Any initiative"), *InitiativeKind.choices]
        self.fields["hub"].queryset = hubs
        self.fields["series"].choices = [("", "Any series"), *[(s, s) for s in series]]
        self.fields["academy"].queryset = academies
        self.fields["level"].choices = [("", "Any confidence"), *LABELS.items()]
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select"
