import django_filters
from django import forms

from events.models import Event
from events.selectors import for_person_q
from network.base.filters import FilterSet


class EventFilter(FilterSet):
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
        self.scope_choices("hub", hubs, hub_rows)
        if person is None:
            self.leave_out("for_me")  # "for my role" means nothing without a person

    def filter_for_me(self, queryset, name, value):
        return queryset.filter(for_person_q(self.person)) if value else queryset
