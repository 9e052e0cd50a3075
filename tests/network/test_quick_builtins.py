"""The quicker `{% url %}` and `|date` (network/templatetags/quick.py) answer exactly as
Django's own do: for every URL of the portal that takes one argument, and for every
date format the templates use, on dates either side of the clocks changing."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Engine, TemplateSyntaxError, engines
from django.template.defaultfilters import date as django_date
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from django.utils import timezone

from network.templatetags import quick

LONDON = ZoneInfo("Europe/London")
FORMATS_USED = sorted(
    {
        match
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for match in re.findall(r'\|date:"([^"]*)"', path.read_text())
    }
)
MOMENTS = [
    datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC),  # the night the clocks go forward
    datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC),
    datetime.datetime(2026, 10, 25, 0, 59, tzinfo=datetime.UTC),  # and back
    datetime.datetime(2026, 10, 25, 1, 0, tzinfo=datetime.UTC),
    datetime.datetime(2027, 1, 1, 0, 0, tzinfo=datetime.UTC),
    datetime.datetime(2026, 12, 31, 23, 59, tzinfo=datetime.UTC),
    datetime.datetime(999, 5, 3, 9, 5, tzinfo=datetime.UTC),  # years below 1000 keep four digits
]
DAYS = [datetime.date(2026, 4, 1), datetime.date(2027, 3, 31), datetime.date(2026, 9, 7)]


def _djangos_engine() -> Engine:
    """The same template engine without the quick builtins."""
    ours = engines["django"].engine
    return Engine(
        dirs=ours.dirs,
        app_dirs=True,
        libraries=ours.libraries,
        builtins=[b for b in ours.builtins if b not in Engine.default_builtins and b != "network.templatetags.quick"],
    )


def _both(source: str, context: dict) -> tuple[str, str]:
    ours = engines["django"].engine.from_string(source).render(Context(context))
    theirs = _djangos_engine().from_string(source).render(Context(context))
    return ours, theirs


def test_the_templates_get_the_quick_builtins():
    assert "network.templatetags.quick" in engines["django"].engine.builtins
    assert "network.templatetags.quick" not in _djangos_engine().builtins
    assert FORMATS_USED and "d/m/Y" in FORMATS_USED


@pytest.mark.parametrize("fmt", FORMATS_USED)
def test_every_date_format_in_the_templates_reads_as_djangos(fmt):
    with timezone.override(LONDON):
        for moment in MOMENTS:
            local = timezone.localtime(moment)
            assert quick.date(local, fmt) == django_date(local, fmt), (fmt, moment)
            ours, theirs = _both("{{ when|date:fmt }}", {"when": moment, "fmt": fmt})
            assert ours == theirs, (fmt, moment)
        for day in DAYS:
            if not re.search(r"(?<!\\)[HGi]", fmt):
                assert quick.date(day, fmt) == django_date(day, fmt), (fmt, day)


@pytest.mark.parametrize(
    "fmt", ["SHORT_DATE_FORMAT", "DATE_FORMAT", "N j, Y, P", "c", r"\d\a\y d", "jS F Y", "U", "", r"l jS \o\f F Y"]
)
def test_other_formats_are_djangos(fmt):
    with timezone.override(LONDON):
        for moment in MOMENTS:
            local = timezone.localtime(moment)
            assert quick.date(local, fmt) == django_date(local, fmt), (fmt, moment)


def test_empty_values_and_other_types_are_djangos():
    for value in (None, "", "2026-04-01", 5):
        assert quick.date(value, "d/m/Y") == django_date(value, "d/m/Y")
    assert quick.date(DAYS[0]) == django_date(DAYS[0])
    with pytest.raises(TypeError):  # a time of a date, as Django says
        django_date(DAYS[0], "H:i")
    with pytest.raises(TypeError):
        quick.date(DAYS[0], "H:i")


def _one_argument_urls():
    """(name, converter) of every named URL that takes exactly one argument."""
    found = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                converters = getattr(entry.pattern, "converters", {})
                if len(converters) == 1:
                    found.append((namespace + entry.name, next(iter(converters.values()))))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_url_with_one_argument_reads_as_djangos():
    urls = _one_argument_urls()
    assert sum(isinstance(c, IntConverter) for _, c in urls) >= 30  # ids and URNs throughout
    for name, _converter in urls:
        for value in (0, 7, 42, 137548, 10**12):
            try:
                ours, theirs = _both("{% url name value %}", {"name": name, "value": value})
            except NoReverseMatch:
                with pytest.raises(NoReverseMatch):
                    _both("{% url name value %}", {"name": name, "value": value})
                continue
            assert ours == theirs, (name, value)


def test_other_url_uses_are_djangos():
    context = {"pk": 5, "slug": "ssn", "negative": -1}
    for source in (
        "{% url 'events:event_detail' pk %}",
        "{% url 'events:event_detail' pk=pk %}",
        "{% url 'events:event_detail' pk as link %}[{{ link }}]",
        "{% url 'impact:report' slug %}",
        "{% url 'impact:report_download' slug 'pdf' %}",
        "{% url 'network:home' %}",
        "{% url 'events:event_detail' negative as link %}[{{ link }}]",
    ):
        ours, theirs = _both(source, context)
        assert ours == theirs, source
    with pytest.raises(NoReverseMatch):
        _both("{% url 'events:event_detail' negative %}", context)
    with pytest.raises(TemplateSyntaxError):
        engines["django"].engine.from_string("{% url %}")


def test_a_url_is_escaped_where_djangos_would_be():
    ours, theirs = _both("{% autoescape off %}{% url 'events:event_detail' pk %}{% endautoescape %}", {"pk": 3})
    assert ours == theirs == "/events/3/"


def test_a_format_written_in_the_template_takes_the_quick_way(monkeypatch):
    # Django marks a literal argument safe (a SafeString): it is a format all the same.
    with timezone.override(LONDON):
        expected = _both('{{ when|date:"D d/m/Y H:i" }}', {"when": MOMENTS[1]})
        monkeypatch.setattr(quick.defaultfilters, "date", lambda *args: pytest.fail("Django's filter was asked"))
        ours = (
            engines["django"].engine.from_string('{{ when|date:"D d/m/Y H:i" }}').render(Context({"when": MOMENTS[1]}))
        )
    assert expected[0] == expected[1] == ours == "Sun 29/03/2026 02:30"


def _plain_urls():
    """Every named URL that takes no argument."""
    found = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern) and entry.name and not getattr(entry.pattern, "converters", {}):
                found.append(namespace + entry.name)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_url_without_arguments_reads_as_djangos():
    names = _plain_urls()
    assert {"network:home", "events:event_list", "account_logout"} <= set(names)
    for name in names:
        try:
            ours, theirs = _both("{% url name %}", {"name": name})
        except NoReverseMatch:  # a name that needs arguments after all (a regex group)
            with pytest.raises(NoReverseMatch):
                _both("{% url name %}", {"name": name})
            continue
        assert ours == theirs, name
    with pytest.raises(NoReverseMatch):
        _both("{% url 'events:event_detail' %}", {})
    with pytest.raises(NoReverseMatch):
        _both("{% url 'no:such_page' %}", {})
