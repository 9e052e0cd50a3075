"""A `<select>` written in Python, character for character as Django's `select.html`
writes it. Django renders every `<option>` through a template of its own: a filter
listing every trust or hub was milliseconds of a hot page (speed, issue 14). One
writer, used two ways: the `QuickSelect` widget (a form field's widget) and the
`{% field_widget %}` tag (network/templatetags/fields.py) for forms rendered by hand.
Option groups are left to Django."""

import html

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString


def attrs_html(attrs: dict) -> SafeString:
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


def flat_choices(choices) -> list:
    """A widget's choices as a list; a model field's rows in one plain query (the
    iterator's own is a server-side cursor, three round trips on PostgreSQL, after a
    COUNT)."""
    if isinstance(choices, ModelChoiceIterator):
        empty = [] if choices.field.empty_label is None else [("", choices.field.empty_label)]
        return empty + [choices.choice(obj) for obj in choices.queryset]
    return list(choices)


def escaped(text) -> str:
    """`conditional_escape`, quicker for a plain `str` (most values and labels): Django's
    `escape` is `html.escape` behind a lazy-string wrapper, ~3 µs a call, and a select
    asks twice an option (the directory's cards use it too). Anything else (safe, lazy,
    a number) goes through Django."""
    return html.escape(text) if type(text) is str else conditional_escape(text)


def grouped(choices) -> bool:
    return any(isinstance(label, (list, tuple)) for _value, label in choices)


def select_html(name: str, attrs: dict, choices, values: list[str]) -> SafeString:
    """A single-choice `<select>` of flat `choices` ((value, label) pairs), the first
    option whose value is in `values` selected."""
    options = []
    selected = False
    for value, label in choices:
        value = "" if value is None else str(value)
        chosen = not selected and value in values
        selected |= chosen
        options.append(
            f'\n  <option value="{escaped(value)}"{" selected" if chosen else ""}>{escaped(label)}</option>\n'
        )
    return format_html(
        '<select name="{}"{}>{}\n</select>',
        name,
        attrs_html(attrs),
        SafeString("".join(options)),  # each value and label escaped above
    )


class QuickSelect(forms.Select):
    """`forms.Select`, written by `select_html` (option groups by Django)."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = flat_choices(self.choices)
        if grouped(choices):
            return super().render(name, value, attrs, renderer)
        return select_html(name, self.build_attrs(self.attrs, attrs), choices, self.format_value(value))
