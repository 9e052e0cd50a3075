"""`network.base.numbers.Numbers` writes numbers exactly as Django's filters do
(`intcomma`, `floatformat:N`, and `formats.number_format`, the admin's), in English and
in a language with other separators, with and without USE_THOUSAND_SEPARATOR."""

from decimal import Decimal

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils import formats, translation

from network.base.numbers import Numbers

INTEGERS = (0, 7, 999, 1000, 1234, 98765, 1234567, -1, -1234, 10**12)
DECIMALS = (
    *(Decimal(text) for text in ("0", "0.00", "0.04", "0.05", "0.15", "0.25", "1.5", "7.04", "21.55", "21.549")),
    *(Decimal(text) for text in ("99.95", "100.00", "1234.5", "1234567.891", "-0.04", "-2.25", "1E+3", "12E-3")),
    *(Decimal(text) for text in ("NaN", "Infinity", "9" * 40 + ".5")),
    0.125, 2.675, 3, 1234.05, -0.5,
)  # fmt: skip


@pytest.mark.parametrize("language", ["en-gb", "de"])
@pytest.mark.parametrize("grouping", [False, True])
def test_numbers_are_djangos(settings, language, grouping):
    settings.USE_THOUSAND_SEPARATOR = grouping
    with translation.override(language):
        numbers = Numbers()
        for value in (*INTEGERS, Decimal("12.25"), 2.675, "1234", "1.5", "not a number"):
            assert numbers.intcomma(value) == intcomma(value), value
        for value in INTEGERS:
            assert numbers.number(value) == formats.number_format(value), value
        for value in DECIMALS:
            for places in (1, 2):
                assert numbers.fixed(value, places) == floatformat(value, places), (value, places)
            if isinstance(value, Decimal) and value.is_finite():
                assert numbers.number(value, 2) == formats.number_format(value, 2), value
