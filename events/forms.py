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


def person_label(person, full_trust_ids=()) -> str:
    where = f", {person.academy.name}" if person.academy_id else ""
    trust_id = person.academy.trust_id if person.academy_id else person.trust_id
    full = " (their trust has no place left: waitlist)" if trust_id and trust_id in full_trust_ids else ""
    return f"{person.full_name} – {person.get_job_role_display()}{where}{full}"


class BookOnBehalfForm(BookingForm):
    """A coordinator or trust science lead books someone in their scope. `people` is
    everyone they may book for (what a submitted choice is checked against); `shown` is
    the few the page lists, found by the search box, so the page stays small however
    large the network."""

    person = forms.ModelChoiceField(
        queryset=None,
        label="Who is coming?",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={
            "required": "Please choose who is coming.",
            "invalid_choice": "Please choose someone you may book for.",
        },
    )

    field_order = ["person", "session"]

    def __init__(self, *args, people, shown=(), full_trust_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].choices = [(p.pk, person_label(p, full_trust_ids)) for p in shown]
