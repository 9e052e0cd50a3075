"""Forms for the register, the attendance import, overrides, certificate checks and the
trust CPD view. Messages are written for the person reading them."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from network.base.widgets import QuickSelect

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a platform's report for a few thousand people is far smaller


class AttendanceImportForm(forms.Form):
    file = forms.FileField(
        label="Attendance report (CSV)",
        help_text="The meeting platform's attendance report: one row per person with their email and minutes attended.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    minimum_minutes = forms.IntegerField(
        label="Minimum minutes to count as attended",
        min_value=0,
        max_value=24 * 60,
        help_text="People who were there for fewer minutes (in total) are marked absent.",
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("", "Import attendance", css_class="btn-primary"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("This file is larger than 5 MB, so it is not an attendance report.")
        if upload.size == 0:
            raise forms.ValidationError("This file is empty.")
        return upload


def default_minimum_minutes(event) -> int:
    """Three quarters of the event's length, a common rule for webinars."""
    minutes = int((event.ends_at - event.starts_at).total_seconds() // 60)
    return max(0, (minutes * 3) // 4)


class AttendanceOverrideForm(forms.Form):
    attended = forms.TypedChoiceField(
        label="Attendance",
        choices=[("yes", "Attended"), ("no", "Absent")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    minutes_attended = forms.IntegerField(
        label="Minutes attended",
        min_value=0,
        max_value=24 * 60,
        required=False,
        help_text="Optional. Leave empty to keep the minutes already recorded.",
    )
    reason = forms.CharField(
        label="Reason for the override",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="Required. Say why, e.g. \u201cjoined by phone, so not on the platform's report\u201d.",
        error_messages={"required": "Please say why you are overriding the attendance."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("", "Save the override", css_class="btn-primary"))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Please say why you are overriding the attendance.")
        return reason


class CertificateVerifyForm(forms.Form):
    code = forms.CharField(
        label="Verification code",
        max_length=40,
        help_text="As printed on the certificate, e.g. ABCD-EFGH-JKMN-PQRS.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("", "Check the certificate", css_class="btn-primary"))


class AcademicYearForm(forms.Form):
    """The trust CPD page's year choice, written out in its template: crispy's layout
    templates for one select and a button were an eighth of the page (issue 14)."""

    year = forms.TypedChoiceField(
        label="Academic year", coerce=int, widget=QuickSelect(attrs={"class": "select form-select"})
    )

    def __init__(self, *args, today: datetime.date, years_back: int = 5, **kwargs):
        super().__init__(*args, **kwargs)
        current = today.year if today.month >= 9 else today.year - 1
        self.fields["year"].choices = [
            (start, f"{start}-{(start + 1) % 100:02d}") for start in range(current, current - years_back, -1)
        ]
        self.fields["year"].initial = current
