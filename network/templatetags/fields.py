"""`{% field_widget field [css="…"] %}`: a form field's widget, as `{{ field }}` writes it
(with `css`, as `{{ field }}` would with those classes added to the widget's own).

Django writes a `<select>` with one included template per option: a filter form with a
long list (every hub, every trust) cost milliseconds of a hot page (speed, issue 14).
A plain single-choice `Select` is written here instead, character for character as
Django's `select.html` writes it (tests/network/test_field_widget.py compares them);
every other widget is rendered by Django."""

from django import forms, template
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _attrs(attrs: dict) -> SafeString:
    """Django's `attrs.html`: in order, `name="value"`, a bare name for True, nothing for False."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _select(field, attrs: dict) -> SafeString | None:
    """A plain `Select`'s markup, or None when Django must write it (groups, a subclass)."""
    widget = field.field.widget
    if type(widget) is not forms.Select or field.field.show_hidden_initial:
        return None
    choices = widget.choices
    if isinstance(choices, ModelChoiceIterator):
        # The rows in one plain query: the iterator's own is a server-side cursor
        # (three round trips on PostgreSQL) after a COUNT.
        empty = [] if choices.field.empty_label is None else [("", choices.field.empty_label)]
        choices = empty + [choices.choice(obj) for obj in choices.queryset]
    else:
        choices = list(choices)
    if any(isinstance(label, (list, tuple)) for _value, label in choices):
        return None  # option groups
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    values = widget.format_value(field.value())
    options = []
    selected = False
    for value, label in choices:
        value = "" if value is None else str(value)
        chosen = not selected and value in values
        selected |= chosen
        options.append(
            f'\n  <option value="{conditional_escape(value)}"{" selected" if chosen else ""}>'
            f"{conditional_escape(label)}</option>\n"
        )
    return format_html(
        '<select name="{}"{}>{}\n</select>',
        field.html_name,
        _attrs(widget.build_attrs(widget.attrs, attrs)),
        SafeString("".join(options)),  # each value and label escaped above
    )


@register.simple_tag
def field_widget(field, css: str = "") -> str:
    attrs = {}
    if css:
        own = field.field.widget.attrs.get("class")
        attrs["class"] = f"{own} {css}" if own else css
    return _select(field, dict(attrs)) or field.as_widget(attrs=attrs or None)
