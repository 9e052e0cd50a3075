"""`{% quick_result_list cl %}`: Django admin's `{% result_list cl %}`, with the rows
written in Python column by column instead of cell by cell.

Django's `items_for_result` works out every cell from scratch: which field the column
is, its empty value, its classes, a dictionary of its choices, and a `format_html` of
the cell, then the template joins the cells one `{{ item }}` at a time. For the
academies and people change lists at ten times the network (50 rows of ten columns)
that was about 40% of the page's CPU (speed, issue 14). Here what a column needs is
worked out once per page and each row is one string.

The markup is Django's, character for character (tests/network/test_admin_rows.py
compares the two for every change list that uses this tag). A list-editable page is
Django's own `results()` (each row with its form). Anything else this writer does not
cover (a popup, a `to_field`, a file, URL or JSON column, a choice value that cannot be
a key) is handed to Django's own `items_for_result`, for the page or for the row."""

import datetime

from django import template
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _boolean_icon,
    _coerce_field_name,
    admin_list_filter,
    items_for_result,
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import FieldIsAForeignKeyColumnName, _get_non_gfk_field, display_for_value, lookup_field
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils import formats, timezone
from django.utils.encoding import iri_to_uri
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from network.base.numbers import Numbers
from network.base.web import MARKER, id_url_shape

register = template.Library()

_NOT_COVERED = (models.FileField, models.URLField, models.JSONField)


class _Django(Exception):
    """This column or cell is written by Django's own `items_for_result`."""


def _model_field(opts, name):
    """The model field a column shows, found as Django's `lookup_field` finds it."""
    if not isinstance(name, str):
        return None
    try:
        return _get_non_gfk_field(opts, name)
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        return None


class _Column:
    """What one column of the change list needs, worked out once per page."""

    def __init__(self, cl, index: int, name, *, linked: bool, heading: bool):
        self.name, self.linked, self.tag = name, linked, "th" if heading else "td"
        self.empty = cl.model_admin.get_empty_value_display()
        field = _model_field(cl.lookup_opts, name)
        self.field = None if field is None or field.auto_created else field
        self.classes = f"field-{_coerce_field_name(name, index)}"
        if self.field is None:
            return
        if isinstance(field, _NOT_COVERED):
            raise _Django
        self.related = isinstance(field.remote_field, models.ManyToOneRel)
        self.choices = None
        if not self.related and getattr(field, "flatchoices", None):
            try:
                self.choices = dict(field.flatchoices)
            except TypeError:  # choices that cannot be keys: Django's way
                raise _Django from None
        self.nowrap = isinstance(field, (models.DateField, models.TimeField, models.ForeignKey))
        # A yes/no column's three icons, found once (each is a static-file lookup).
        if isinstance(field, models.BooleanField):
            self.icons = {value: _boolean_icon(value) for value in (True, False, None)}
        # A number column's separators, read once: `formats.number_format` looks up
        # the language and three formats for every cell.
        if isinstance(field, (models.DecimalField, models.IntegerField, models.FloatField)):
            numbers = Numbers()
            places = field.decimal_places if isinstance(field, models.DecimalField) else None
            self.number = lambda value: numbers.number(value, places)

    def _field_cell(self, result) -> tuple[object, str]:
        field = self.field
        try:
            value = getattr(result, field.name)
        except ObjectDoesNotExist:
            return self.empty, self.classes
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if self.related:
            shown = self.empty if value is None else value
        elif self.choices is not None:
            try:
                shown = self.choices.get(value, self.empty)
            except TypeError:
                raise _Django from None
        elif isinstance(field, models.BooleanField):
            shown = self.icons[value]
        elif value in field.empty_values:
            shown = self.empty
        elif isinstance(field, models.DateTimeField):
            shown = formats.localize(timezone.template_localtime(value))
        elif isinstance(field, (models.DateField, models.TimeField)):
            shown = formats.localize(value)
        elif isinstance(field, (models.DecimalField, models.IntegerField, models.FloatField)):
            shown = self.number(value)
        else:
            shown = display_for_value(value, self.empty)
        return shown, f"{self.classes} nowrap" if self.nowrap else self.classes

    def _other_cell(self, cl, result) -> tuple[object, str]:
        """A method of the admin or of the model, a property, or a field Django reads
        as a value (the automatic primary key): as `items_for_result` does."""
        try:
            _field, attr, value = lookup_field(self.name, result, cl.model_admin)
        except ObjectDoesNotExist:
            return self.empty, self.classes
        classes = "action-checkbox" if self.name == "action_checkbox" else self.classes
        empty = getattr(attr, "empty_value_display", self.empty)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        boolean = getattr(attr, "boolean", False)
        if isinstance(attr, property) and hasattr(attr, "fget"):
            boolean = getattr(attr.fget, "boolean", False)
        shown = display_for_value(value, empty, boolean)
        if isinstance(value, (datetime.date, datetime.time)):
            classes += " nowrap"
        return shown, classes

    def cell(self, cl, result) -> str:
        shown, classes = self._field_cell(result) if self.field is not None else self._other_cell(cl, result)
        shown = conditional_escape(shown)
        if self.linked:
            url = self.link(result)
            if url is not None:
                shown = f'<a href="{conditional_escape(url)}">{shown}</a>'
        return f'<{self.tag} class="{classes}">{shown}</{self.tag}>'


def _link_maker(cl):
    """result -> its change page's link with the list's filters kept (None where Django
    writes no link), as Django writes it. Reversed and given its filters once a page,
    not once a row (`reverse` and `add_preserved_filters` were a tenth of the page)."""

    def django_link(result):
        try:
            url = cl.url_for_result(result)
        except NoReverseMatch:
            return None
        return add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)

    if type(cl).url_for_result is not ChangeList.url_for_result:
        return django_link
    name = f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change"
    shape = id_url_shape(name, current_app=cl.model_admin.admin_site.name)
    if shape is None:
        return django_link
    marker = str(MARKER)
    marked = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, marker.join(shape))
    if marked.count(marker) != 1:
        return django_link
    before, after = marked.split(marker)
    pk_attname = cl.pk_attname

    def quick_link(result):
        pk = getattr(result, pk_attname)
        return f"{before}{pk}{after}" if type(pk) is int and pk >= 0 else django_link(result)

    return quick_link


def _columns(cl) -> list[_Column] | None:
    """The page's columns, or None when Django's own rows are needed for the page."""
    links = cl.list_display_links
    if cl.formset or cl.is_popup or cl.to_field or links is None:
        return None
    columns, linked_yet, link = [], False, _link_maker(cl)
    try:
        for index, name in enumerate(cl.list_display):
            # As Django's `link_in_col`: the named links, or else the first column; the
            # first linked cell is the row's heading (<th>).
            linked = name in links if links else index == 0
            column = _Column(cl, index, name, linked=linked, heading=linked and not linked_yet)
            column.link = link
            columns.append(column)
            linked_yet = linked_yet or linked
    except _Django:
        return None
    return columns


def quick_results(cl) -> list[ResultList]:
    """`results(cl)` of Django's admin: each row a list of its cells' markup (here one
    string for the whole row)."""
    if cl.formset:
        return list(results(cl))  # list-editable: each row's form, as Django pairs them
    columns = _columns(cl)
    if columns is None:
        return [ResultList(None, items_for_result(cl, result, None)) for result in cl.result_list]
    rows = []
    for result in cl.result_list:
        try:
            cells = "".join(column.cell(cl, result) for column in columns)
        except _Django:
            rows.append(ResultList(None, items_for_result(cl, result, None)))
        else:
            rows.append(ResultList(None, [mark_safe(cells)]))  # noqa: S308 - every cell escaped above
    return rows


def quick_result_list(cl) -> dict:
    """The context of Django's `result_list`, with `quick_results`."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": quick_results(cl),
    }


# -- The filters ----------------------------------------------------------------------------
# Django renders each filter of the sidebar through `admin/filter.html`, a template and a
# loop per choice: the people list's trust filter alone is a hundred choices. The default
# template is written here (the same markup, `tests/network/test_admin_rows.py`); a
# filter with a template of its own is rendered by Django.
DEFAULT_FILTER_TEMPLATE = "admin/filter.html"


@register.simple_tag
def quick_list_filter(cl, spec) -> str:
    if spec.template != DEFAULT_FILTER_TEMPLATE:
        return admin_list_filter(cl, spec)
    title = conditional_escape(spec.title)
    by = gettext(" By %(filter_title)s ") % {"filter_title": title}
    selected = {True: ' class="selected"', False: ""}
    choices = "".join(
        f"\n    <li{selected[bool(choice['selected'])]}>\n"
        f'    <a href="{conditional_escape(iri_to_uri(choice["query_string"]))}">'
        f"{conditional_escape(choice['display'])}</a></li>\n  "
        for choice in spec.choices(cl)
    )
    return mark_safe(  # noqa: S308 - the title, links and labels are escaped above
        f'\n<details data-filter-title="{title}" open>\n  <summary>\n    {by}\n  </summary>\n  <ul>\n  {choices}\n'
        "  </ul>\n</details>\n"
    )


@register.tag(name="quick_result_list")
def quick_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=quick_result_list, template_name="change_list_results.html", takes_context=False
    )
