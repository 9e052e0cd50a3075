"""A `<select>` (and a text box) written in Python, character for character as Django's
`select.html` (and `input.html`) writes it. Django renders every `<option>` through a
template of its own: a filter listing every trust or hub was milliseconds of a hot page
(speed, issue 14). One writer, used three ways: the `QuickSelect` widget (a form field's widget), the
`{% field_widget %}` tag (network/templatetags/fields.py) for forms rendered by hand, and
the membership review table's row controls (network/templatetags/review_table.py).
Option groups are left to Django."""

import html

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.functional import Promise
from django.utils.safestring import SafeString

from network.base.memo import Bounded


def quick_escape(text) -> str:
    """`conditional_escape` without its wrapper: Django's `escape` is `keep_lazy`, which
    looks through its arguments for a lazy string on every call. Two calls an option and
    one an attribute (the review page writes 25 selects of seven options) made that check
    most of the writer's time. The result is the same: a lazy string is made a string
    first, safe text is kept as it is."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


def attrs_html(attrs: dict) -> SafeString:
    """Django's `attrs.html`: in order, `name="value"`, a bare name for True, nothing for False."""
    return SafeString(
        "".join(
            f" {quick_escape(name)}" if value is True else f' {quick_escape(name)}="{quick_escape(value)}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


def flat_choices(choices) -> list:
    """A widget's choices as a list; a model field's rows in one plain query (the
    iterator's own is a server-side cursor, three round trips on PostgreSQL, after a
    COUNT)."""
    if isinstance(choices, ModelChoiceIterator):
        empty = [] if choices.field.empty_label is None else [("", choices.field.empty_label)]
        return empty + [choices.choice(obj) for obj in choices.queryset]
    return list(choices)


def offer_rows(field, rows) -> None:
    """Let a model choice `field`'s select list `rows` ((id, label) pairs read once and
    remembered, `network.base.remembered`) instead of its queryset on every page. Only
    what is listed changes: a value sent is still checked against the field's queryset,
    the door's, so a list kept a little too long can never let anyone choose a row
    outside their scope."""
    field.widget.choices = [("", field.empty_label), *rows]


def grouped(choices) -> bool:
    return any(isinstance(label, (list, tuple)) for _value, label in choices)


# Written selects, by everything that makes one: a filter form's long lists (every hub,
# trust, tag) are the same on nearly every page load, and writing one escaped each of its
# options again (speed, issue 14). The markup depends on nothing but the key, so one
# reader's select may serve another's; bounded, and cleared when full.
_selects = Bounded(512)


def select_html(name: str, attrs: dict, choices, values: list[str]) -> SafeString:
    """A single-choice `<select>` of flat `choices` ((value, label) pairs), the first
    option whose value is in `values` selected."""
    try:
        # Types are part of the key: True == 1 and SafeString("<b>") == "<b>", but each
        # is written differently.
        key = (
            name,
            tuple((attr, type(value), value) for attr, value in attrs.items()),
            tuple((type(value), value, type(label), label) for value, label in choices),
            tuple(values),
        )
        hash(key)
    except TypeError:  # a value that cannot be a key: written every time
        return _write_select(name, attrs, choices, values)
    return _selects.keep(key, lambda: _write_select(name, attrs, choices, values))


def _write_select(name: str, attrs: dict, choices, values) -> SafeString:
    options = []
    selected = False
    for value, label in choices:
        value = "" if value is None else str(value)
        chosen = not selected and value in values
        selected |= chosen
        options.append(
            f'\n  <option value="{quick_escape(value)}"{" selected" if chosen else ""}>{quick_escape(label)}</option>\n'
        )
    # Every name, value and label is escaped above or here.
    return SafeString(f'<select name="{quick_escape(name)}"{attrs_html(attrs)}>{"".join(options)}\n</select>')


def input_html(input_type: str, name: str, attrs: dict, value: str | None) -> SafeString:
    """Django's `input.html`, for a text box written by `{% field_widget %}`: its
    template, included attributes and all, was most of a one-box search form's time."""
    shown = "" if value is None else f' value="{quick_escape(value)}"'
    return SafeString(
        f'<input type="{quick_escape(input_type)}" name="{quick_escape(name)}"{shown}{attrs_html(attrs)}>'
    )


class QuickSelect(forms.Select):
    """`forms.Select`, written by `select_html` (option groups by Django)."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = flat_choices(self.choices)
        if grouped(choices):
            return super().render(name, value, attrs, renderer)
        return select_html(name, self.build_attrs(self.attrs, attrs), choices, self.format_value(value))
