"""Quicker, equal versions of two of Django's built-ins that every list row uses:
`{% url "room:name" obj.pk %}` and `|date:"d/m/Y"`.

Registered as template builtins after Django's own (settings.TEMPLATES), so every
template gets them without a `{% load %}` and without a change: same names, same
arguments, same output (tests/network/test_quick_builtins.py compares both with Django's
for every date format and many URLs the templates use). Why: a list page draws twenty
to fifty rows, each with a link and a date, and Django's `reverse()` (about 40 µs: it
matches, checks and quotes the pattern each time) and `date` (about 40 µs: a formatter
object and a regular-expression split of the format each time) were a tenth of such a
page's time (speed, issue 14).

- `{% url %}` with no arguments: Django's own reversal of the name, once per URL
  configuration, script prefix, name and current app (`network.base.web.plain_url`).
- `{% url %}` with one argument that is a non-negative int (an id or a URN), and no
  keyword arguments: the URL is Django's own reversal of the name with a marker
  number, split around the marker once per URL configuration, script prefix, name and
  current app, and the int put between (`network.base.web.id_url_shape`). That is only
  done where Django's answer for two different numbers is exactly the marker's shape
  (so a converter that writes ints its own way keeps Django's path). Anything else (other arguments, `as var`, a name
  that does not reverse) is Django's tag, unchanged, errors included.
- `|date` with a format made only of day, month, year, hour and minute letters (the
  formats this portal uses): the pieces of the format are worked out once, and each
  letter is the value Django's formatter gives, translated names included. Any other
  format, a named format (`SHORT_DATE_FORMAT`), or a value that is not a date or a
  datetime goes to Django's filter.
"""

import datetime

from django import template
from django.template import defaultfilters, defaulttags
from django.utils import timezone
from django.utils.dateformat import re_escaped, re_formatchars
from django.utils.dates import MONTHS, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import FORMAT_SETTINGS
from django.utils.html import conditional_escape

from network.base.web import id_url_shape, plain_url

register = template.Library()

# -- {% url %} ---------------------------------------------------------------------------


def _current_app(context):
    """The current app, as Django's tag finds it."""
    try:
        return context.request.current_app
    except AttributeError:
        try:
            return context.request.resolver_match.namespace
        except AttributeError:
            return None


class QuickURLNode(defaulttags.URLNode):
    def render(self, context):
        if self.asvar is None and not self.kwargs:
            url = None
            if not self.args:
                url = plain_url(self.view_name.resolve(context), _current_app(context))
            elif len(self.args) == 1:
                value = self.args[0].resolve(context)
                if type(value) is int and value >= 0:
                    shape = id_url_shape(self.view_name.resolve(context), _current_app(context))
                    if shape is not None:
                        url = f"{shape[0]}{value}{shape[1]}"
            if url is not None:
                return conditional_escape(url) if context.autoescape else url
        return super().render(context)


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return QuickURLNode(node.view_name, node.args, node.kwargs, node.asvar)


# -- |date ---------------------------------------------------------------------------------

# The letters worked out here, each exactly as django.utils.dateformat.DateFormat does.
_LETTERS = {
    "d": lambda v: f"{v.day:02d}",
    "j": lambda v: str(v.day),
    "D": lambda v: str(WEEKDAYS_ABBR[v.weekday()]),
    "l": lambda v: str(WEEKDAYS[v.weekday()]),
    "m": lambda v: f"{v.month:02d}",
    "n": lambda v: str(v.month),
    "F": lambda v: str(MONTHS[v.month]),
    "Y": lambda v: f"{v.year:04d}",
    "y": lambda v: f"{v.year % 100:02d}",
}
_TIME_LETTERS = {
    "H": lambda v: f"{v.hour:02d}",
    "G": lambda v: str(v.hour),
    "i": lambda v: f"{v.minute:02d}",
}
_formats: dict[str, tuple | None] = {}


def _pieces(fmt: str) -> tuple | None:
    """The format as (literal text or a letter's function, needs a time), or None when a
    letter is not one worked out here."""
    if fmt in _formats:
        return _formats[fmt]
    if fmt in FORMAT_SETTINGS:  # a named format ("SHORT_DATE_FORMAT"): the locale's
        _formats[fmt] = None
        return None
    pieces, timed = [], False
    for i, piece in enumerate(re_formatchars.split(fmt)):
        if i % 2:
            if piece in _LETTERS:
                pieces.append(_LETTERS[piece])
            elif piece in _TIME_LETTERS:
                pieces.append(_TIME_LETTERS[piece])
                timed = True
            else:
                _formats[fmt] = None
                return None
        elif piece:
            pieces.append(re_escaped.sub(r"\1", piece))
    _formats[fmt] = found = (tuple(pieces), timed)
    return found


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    kind = type(value)
    # A format written in the template is a SafeString (Django marks literals safe).
    if (kind is datetime.datetime or kind is datetime.date) and isinstance(arg, str) and arg:
        found = _pieces(arg)
        if found is not None and (kind is datetime.datetime or not found[1]):
            return "".join(piece if type(piece) is str else piece(value) for piece in found[0])
    return defaultfilters.date(value, arg)


def local_date(value, fmt: str) -> str:
    """What `{{ value|date:fmt }}` writes in a template: a moment in the current time
    zone (UK time), through the quick `date`. For rows written in Python."""
    return date(timezone.template_localtime(value), fmt)
