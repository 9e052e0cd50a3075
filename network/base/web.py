"""Web helpers every room's views share, written once: the permission gate, service
errors onto forms, CSV downloads, and one link per row of a list."""

import csv
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from network.base.csv import safe_cell
from network.base.rules import has


def permission_required(perm: str):
    """Gate a view on a rule without an object. Everyone who fails it is told the page
    does not exist (404), as for any object out of their scope: a role's pages are not
    advertised to other roles."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has(request.user, perm):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def form_errors(form, error: ValidationError) -> None:
    """Put a service's `ValidationError` on the form: on the fields it names, the rest
    on the form as a whole."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@contextmanager
def service_errors(form):
    """Run a service call; its `ValidationError` lands on the form (see `form_errors`)
    instead of a 500. Use as `with service_errors(form): ...` and check `form.errors`
    afterwards. `NotAllowed` is left to Django's 403 handler."""
    try:
        yield
    except ValidationError as error:
        form_errors(form, error)


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download whose every cell is spreadsheet-safe (no formula injection: names
    and descriptions are typed by people)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel opens UTF-8 (and the £ sign) correctly with a BOM
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return response


# An id no row has, to find where the id goes in a reversed URL.
MARKER = 7_319_058_264  # a number no real id reaches; its digits mark where the id goes
_shapes: dict[tuple, tuple[str, str] | None] = {}


def id_url_shape(name: str, current_app=None) -> tuple[str, str] | None:
    """(before, after) the id in the URL `name` reverses to with one integer argument,
    worked out once per URL configuration, script prefix, name and current app; None
    where only `reverse()` may answer (the name takes other arguments, or its converter
    writes ints its own way: Django's answer for two different numbers must be exactly
    the marker's shape). `reverse()` matches, checks and quotes its pattern on every
    call, about 40 µs: a list of 25 rows with a link or two each spent a millisecond
    there (speed, issue 14)."""
    key = (get_urlconf(), get_script_prefix(), name, current_app)
    if key in _shapes:
        return _shapes[key]
    shape = None
    try:
        marked = reverse(name, args=[MARKER], current_app=current_app)
        small = reverse(name, args=[7], current_app=current_app)
    except NoReverseMatch:
        marked = small = None
    if marked is not None and marked.count(str(MARKER)) == 1:
        before, after = marked.split(str(MARKER))
        if small == f"{before}7{after}":
            shape = (before, after)
    _shapes[key] = shape
    return shape


_plain: dict[tuple, str | None] = {}


def plain_url(name: str, current_app=None) -> str | None:
    """`reverse(name)` (no arguments), worked out once per URL configuration, script
    prefix, name and current app: the answer cannot differ between them. None where
    only `reverse()` may answer (the name does not reverse without arguments: its error
    is Django's). A page's header and footer have half a dozen such links (`id_url_shape`
    says what each `reverse()` costs)."""
    key = (get_urlconf(), get_script_prefix(), name, current_app)
    if key not in _plain:
        try:
            _plain[key] = reverse(name, current_app=current_app)
        except NoReverseMatch:
            _plain[key] = None
    return _plain[key]


def url_for_each(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` for many rows at the cost of one reverse, for a URL
    whose one argument is an integer id (`id_url_shape`)."""
    shape = id_url_shape(name)
    if shape is None:
        return lambda pk: reverse(name, args=[pk])
    head, tail = shape
    return lambda pk: f"{head}{int(pk)}{tail}"
