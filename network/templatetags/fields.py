"""`{% field_widget field [css="…"] %}`: a form field's widget, as `{{ field }}` writes it
(with `css`, as `{{ field }}` would with those classes added to the widget's own).

Django writes a `<select>` with one included template per option: a filter form with a
long list (every hub, every trust) cost milliseconds of a hot page (speed, issue 14).
A plain single-choice `Select` is written here instead, character for character as
Django's `select.html` writes it, and so is a plain text box (`input.html`: ~0.2 ms a
box through the template engine); tests/network/test_field_widget.py compares them.
Every other widget is rendered by Django."""

from django import forms, template
from django.utils.safestring import SafeString

from network.base.widgets import flat_choices, grouped, input_html, select_html

register = template.Library()


def _select(field, attrs: dict) -> SafeString | None:
    """A plain `Select`'s markup, or None when Django must write it (groups, a subclass)."""
    widget = field.field.widget
    if type(widget) is not forms.Select or field.field.show_hidden_initial:
        return None
    choices = flat_choices(widget.choices)
    if grouped(choices):
        return None  # option groups
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return select_html(
        field.html_name, widget.build_attrs(widget.attrs, attrs), choices, widget.format_value(field.value())
    )


def _text(field, attrs: dict) -> SafeString | None:
    """A plain `TextInput`'s markup, or None when Django must write it."""
    widget = field.field.widget
    if type(widget) is not forms.TextInput or field.field.show_hidden_initial or field.field.localize:
        return None
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return input_html(
        widget.input_type, field.html_name, widget.build_attrs(widget.attrs, attrs), widget.format_value(field.value())
    )


@register.simple_tag
def field_widget(field, css: str = "") -> str:
    attrs = {}
    if css:
        own = field.field.widget.attrs.get("class")
        attrs["class"] = f"{own} {css}" if own else css
    return _select(field, dict(attrs)) or _text(field, dict(attrs)) or field.as_widget(attrs=attrs or None)
