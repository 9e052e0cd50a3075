from django import forms

from network.programme.connections.models import ProgrammePreference


class ConnectionRequestForm(forms.Form):
    topic = forms.CharField(max_length=200, help_text="e.g. Running required practicals with a small budget")
    message = forms.CharField(
        label="A short message (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResponseForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Yes, share my contact details"), ("decline", "No, thank you")], widget=forms.RadioSelect
    )
    phone = forms.CharField(
        label="Phone number to share (optional)", required=False, max_length=30, help_text="Only if you accept."
    )
    reply = forms.CharField(label="A reply (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    pause = forms.BooleanField(label="Pause further requests for now", required=False)


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = ProgrammePreference
        fields = ["requests_paused", "radar_opt_out"]
