"""How a dashboard cell reads: one place, so the page, and the CSV beside it (which
writes the same values), show a figure the same way."""

import datetime
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from impact.dashboards.tables import Suppressed

register = template.Library()
NO_FIGURE = mark_safe('<span aria-hidden="true">–</span><span class="visually-hidden">no figure</span>')


def number(value) -> str:
    if isinstance(value, Decimal):
        value = value.normalize() if value == value.to_integral() else value
        text = f"{value:,.2f}".rstrip("0").rstrip(".") if value != value.to_integral() else f"{int(value):,}"
        return text
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


@register.filter
def cell(value):
    if value is None:
        return NO_FIGURE
    if isinstance(value, Suppressed):
        return format_html('<span class="suppressed">Suppressed</span> <span class="small">({})</span>', value.reason)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return number(value)


@register.filter
def absolute(value):
    return abs(value)


@register.filter
def is_text(value) -> bool:
    """Text cells are left-aligned; numbers, dates, gaps and withheld figures right."""
    return isinstance(value, str)


@register.filter
def figure(value):
    """A tile's number."""
    return "–" if value is None else number(value)


@register.simple_tag
def sort_link(table, column, query):
    """The query string that sorts `table` by `column` (again: the other way round)."""
    descending = table.sort == column.key and not table.descending
    return f"?{query}&sort={column.key}&dir={'desc' if descending else 'asc'}#{table.key}"


@register.simple_tag
def aria_sort(table, column):
    if table.sort != column.key:
        return "none"
    return "descending" if table.descending else "ascending"
