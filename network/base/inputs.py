"""Reading what people type: numbers and ids in one place, and no NUL characters.

Two traps made bad input answer 500:

- `str.isdigit()` is true for '²', '٣' and other Unicode digits that `int()` refuses
  (or reads as a different number), and an ASCII number can still be too large for the
  database ("Python int too large to convert to SQLite INTEGER", "bigint out of
  range"). `parse_int`/`parse_id` accept ASCII digits only, within a range.
- PostgreSQL refuses text containing NUL ("A string literal cannot contain NUL (0x00)
  characters"), so a `?q=%00` reached the database and failed there. No person types a
  NUL: `CleanInputMiddleware` removes them from every query string and form field, and
  answers 404 to a path that contains one (no URL of ours has one).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict

ASCII_DIGITS = re.compile(r"[0-9]+")
# The largest value a 64-bit integer column holds; ids (BigAutoField) stay below it.
MAX_BIGINT = 2**63 - 1
NUL = "\x00"


def parse_int(value, *, default=None, lowest: int = 0, highest: int = MAX_BIGINT):
    """`value` as a whole number if it is ASCII digits (surrounding spaces allowed)
    between `lowest` and `highest`; otherwise `default`. Never raises."""
    if not isinstance(value, str):
        return default
    value = value.strip()
    if not ASCII_DIGITS.fullmatch(value) or len(value) > 19:
        return default
    number = int(value)
    return number if lowest <= number <= highest else default


def parse_id(value):
    """A primary key from a query string or a form (1 or more), or None."""
    return parse_int(value, lowest=1)


def parse_ids(values) -> list[int]:
    """The valid ids among `values` (e.g. `request.POST.getlist("booking")`), in order."""
    return [number for number in (parse_id(value) for value in values) if number is not None]


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses what is not an id before asking the
    database: Django queries `pk__in` with the raw values, and on SQLite a number beyond
    64 bits is an OverflowError (a 500), not "not one of the choices"."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value if isinstance(value, list | tuple | set | frozenset) else [value]:
                if parse_id(str(pk)) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


def without_nul(text: str) -> str:
    return text.replace(NUL, "") if NUL in text else text


def _clean(query: QueryDict) -> QueryDict:
    if not any(NUL in key or any(NUL in value for value in values) for key, values in query.lists()):
        return query
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(without_nul(key), [without_nul(value) for value in values])
    cleaned._mutable = False
    return cleaned


class CleanInputMiddleware:
    """Remove NUL characters from GET and POST before any view sees them; a path with
    one is not a page of ours. (Uploaded files are the importers' business: they refuse
    a row with a NUL and say which.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path:
            raise Http404("No page has this address.")
        request.GET = _clean(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _clean(request.POST)
        return self.get_response(request)
