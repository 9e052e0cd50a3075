import django_filters
from django import forms

from events.models import Event
from events.selectors import for_person_q
from network.base.widgets import offer_rows


class EventFilter(django_filters.FilterSet):
    """Browse upcoming events: kind, hub, dates (UK days) and "for my role"."""

    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices, empty_label="Any kind")
    hub = django_filters.ModelChoiceFilter(queryset=None, empty_label="Any hub")
    date_from = django_filters.DateFilter(
        label="From", field_name="starts_at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label="To", field_name="starts_at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    for_me = django_filters.BooleanFilter(
        label="Only events for my role", method="filter_for_me", widget=forms.CheckboxInput
    )

    class Meta:
        model = Event
        fields = ["kind", "hub", "date_from", "date_to", "for_me"]

    def __init__(self, *args, hubs=None, hub_rows=None, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.filters["hub"].queryset = hubs
        if person is None:
            del self.filters["for_me"]
        # (The form is built from the filters at its first use: only after the last
        # change to them, or it would keep a field no filter applies.)
        if hub_rows is not None:
            offer_rows(self.form.fields["hub"], hub_rows)
        for name, field in self.form.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            else:
                field.widget.attrs.setdefault("class", "form-control")
            field.widget.attrs.setdefault("id", f"id_{name}")

    def filter_for_me(self, queryset, name, value):
        return queryset.filter(for_person_q(self.person)) if value else queryset
