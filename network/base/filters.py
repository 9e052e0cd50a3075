"""django-filter's FilterSet with its form class built once per filter set, not once per
request.

django-filter builds a form class for every filter set it makes: a field for each filter,
then a new class (`type(...)`) whose metaclass collects them, then Django's form copies
them again for its instance. On a filtered list that was about a tenth of the request (the
academy list's filters, the event list's: speed, issue 14). The class depends on nothing
but the filter set's declaration, so it is built once, from copies of the declared filters
(the declaration itself is never touched).

What makes sharing a class safe is Django's own rule: a form instance works on deep copies
of its class's fields (`BaseForm.__init__`), so whatever one request sets on
`self.form.fields[...]` (the scoped queryset a choice is checked against, the rows offered,
a field taken away) is that request's alone. A request must therefore set such things on
the form's fields, never on the filters (their field is not the form's any more); and a
filter whose field would be built from the request (a queryset given as a callable, which
django-filter calls with the request) would be built once for everyone, so a filter set
declaring one is refused when its form class is first asked for."""

import copy

import django_filters
from django import forms
from django_filters.filters import QuerySetRequestMixin

from network.base.widgets import offer_rows


def widget_class(widget) -> str:
    """Bootstrap's class for a filter's control: a check box, a select or a text box."""
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class FilterSet(django_filters.FilterSet):
    """A filter set whose form class is built at its first use and kept (see the module's
    docstring). Each field's widget gets Bootstrap's class there too. Per request, set
    what is scoped on `self.form.fields`, as `scope_choices` does."""

    @property
    def form(self):
        """The request's form. A filter taken away through `self.filters` (django-filter's
        own way) takes its field with it; a queryset set on a filter rather than on the
        form (django-filter's way, which this class's shared fields never read) is an
        error, not a choice left unchecked."""
        if not hasattr(self, "_form"):
            form = super().form
            for name in [name for name in form.fields if name not in self.filters]:
                del form.fields[name]
            for name, filter_ in self.filters.items():
                declared = self.base_filters[name]
                if (
                    isinstance(filter_, QuerySetRequestMixin)
                    and declared.queryset is None
                    and filter_.queryset is not None
                ):
                    raise TypeError(
                        f"{type(self).__name__}.{name}: a request's queryset is set with scope_choices, "
                        "on the form's field; the filter's own is not read"
                    )
        return self._form

    def get_form_class(self):
        cls = type(self)
        built = cls.__dict__.get("_built_form_class")  # a subclass builds its own
        if built is None:
            built = cls._built_form_class = cls._build_form_class()
        return built

    @classmethod
    def _build_form_class(cls):
        fields = {}
        for name, declared in cls.base_filters.items():
            if isinstance(declared, QuerySetRequestMixin) and callable(declared.queryset):
                raise TypeError(
                    f"{cls.__name__}.{name}: a queryset built from the request cannot be part of a "
                    "form class shared by every request; set it on self.form.fields[...] instead"
                )
            filter_ = copy.deepcopy(declared)
            filter_.model = cls._meta.model  # as an instance's filters have it (their labels)
            field = filter_.field
            field.widget.attrs.setdefault("class", widget_class(field.widget))
            fields[name] = field
        return type(f"{cls.__name__}Form", (cls._meta.form,), fields)

    def scope_choices(self, name: str, queryset, rows=None) -> None:
        """The choices of the model choice field `name`, for this request: a value sent
        is checked against `queryset` (the door's, scoped to the reader; none given, none
        may be chosen), and the list offered is `rows` when given ((id, label) pairs:
        `network.base.widgets.offer_rows`)."""
        field = self.form.fields[name]
        if queryset is None:  # no scope given: nothing may be chosen, rather than anything
            queryset = self._meta.model._meta.get_field(
                self.filters[name].field_name
            ).related_model._default_manager.none()
        field.queryset = queryset
        if rows is not None:
            offer_rows(field, rows)

    def leave_out(self, name: str) -> None:
        """Take the filter `name` away for this request, with its field."""
        del self.filters[name]
        self.form.fields.pop(name, None)  # gone already if this built the form
