from django import forms
from django.utils import timezone

from events.models import Session


class _SessionChoice(forms.ModelChoiceField):
    def label_from_instance(self, session):
        left = getattr(session, "places_left", None)
        places = "" if left is None else (" – full, join the waitlist" if left == 0 else f" – {left} places left")
        return f"{session.title} ({timezone.localtime(session.starts_at):%H:%M}){places}"


class BookingForm(forms.Form):
    """Book the signed-in person, choosing a session when the event has sessions."""

    session = _SessionChoice(
        queryset=Session.objects.none(),
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        empty_label=None,
        label="Choose a session",
    )

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        sessions = list(sessions)
        if sessions:
            ids = [s.pk for s in sessions]
            self.fields["session"].queryset = Session.objects.filter(pk__in=ids)
            # Show the page's annotated rows (places left) rather than fresh ones.
            self.fields["session"].choices = [(s.pk, self.fields["session"].label_from_instance(s)) for s in sessions]
            self.fields["session"].required = True
            self.fields["session"].error_messages["required"] = "Please choose a session."
        else:
            del self.fields["session"]


class BookOnBehalfForm(BookingForm):
    """A coordinator or trust science lead books someone in their scope."""

    person = forms.ModelChoiceField(
        queryset=None, label="Who is coming?", help_text="People you may book for.", empty_label="Choose a person"
    )

    field_order = ["person", "session"]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.full_name} – {p.academy.name if p.academy else p.get_job_role_display()}"
        )
        self.fields["person"].widget.attrs["class"] = "form-select"
