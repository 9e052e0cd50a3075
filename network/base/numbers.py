"""Numbers in rows written in Python, exactly as Django's `intcomma` and `floatformat:N`
write them in a template, with the language's separators read once for a table.

Both filters look up the active language and three formats for every number
(`formats.number_format`); a table of fifty rows with two numbers each spent a tenth of
its page there (speed, issue 14). `Numbers()` reads them once; each number then goes
through Django's own `numberformat.format`, as the filters' last step does.
tests/network/test_numbers.py compares both with Django's filters over many values."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils import formats, numberformat
from django.utils.translation import get_language


class Numbers:
    """The current language's decimal and thousand separators and grouping."""

    def __init__(self):
        language = get_language()
        self.decimal_sep = formats.get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
        self.grouping = formats.get_format("NUMBER_GROUPING", language, use_l10n=True)
        self.thousand_sep = formats.get_format("THOUSAND_SEPARATOR", language, use_l10n=True)

    def number(self, value, decimal_pos: int | None = None) -> str:
        """`formats.number_format(value, decimal_pos)`: what the admin writes for a
        number field."""
        return numberformat.format(
            value, self.decimal_sep, decimal_pos, self.grouping, self.thousand_sep, use_l10n=True
        )

    def intcomma(self, value) -> str:
        """`{{ value|intcomma }}`: an int grouped whatever USE_THOUSAND_SEPARATOR says;
        anything else (a decimal, a float, text) is the filter's."""
        if type(value) is not int:
            return intcomma(value)
        return numberformat.format(
            value, self.decimal_sep, None, self.grouping, self.thousand_sep, force_grouping=True, use_l10n=True
        )

    def fixed(self, value, places: int) -> str:
        """`{{ value|floatformat:places }}` (places ≥ 1) of a number that is not
        negative: rounded half up, then written with exactly `places` decimals. Any
        other value (negative, where the filter drops the sign of a rounded zero; not a
        number; too long for the decimal context) is the filter's."""
        try:
            number = value if isinstance(value, Decimal) else Decimal(str(value))
            if number.is_signed() or not number.is_finite():
                raise InvalidOperation
            rounded = number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        except InvalidOperation:  # also too many digits for the context: the filter widens it
            return floatformat(value, places)
        return numberformat.format(
            format(rounded, "f"), self.decimal_sep, places, self.grouping, self.thousand_sep, use_l10n=True
        )
