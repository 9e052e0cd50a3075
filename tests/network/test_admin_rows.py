"""`{% quick_result_list %}` (network/templatetags/admin_rows.py) writes the admin change
lists' rows a column at a time. Its markup must be Django's own, character for
character: each test builds a change list and compares every row with what Django's
`items_for_result` writes for it."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone

from events.models import Event
from network.templatetags import admin_rows
from tests import factories as f
from trusts.models import Academy, Inspection, PerformanceResult, Person, Trust

pytestmark = pytest.mark.django_db


def _changelist(model_admin, user, query=""):
    opts = model_admin.model._meta
    path = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    request = RequestFactory().get(f"{path}?{query}" if query else path)
    request.resolver_match = resolve(path)  # so the list keeps its filters in its links, as served
    request.user = user
    cl = model_admin.get_changelist_instance(request)
    cl.formset = None  # as the change list view sets it when nothing is editable in the list
    return cl


def _django_rows(cl) -> list[str]:
    return ["".join(row) for row in admin_list.results(cl)]


def _quick_rows(cl) -> list[str]:
    return ["".join(row) for row in admin_rows.quick_results(cl)]


def _same(model_admin, user, query="") -> list[str]:
    cl = _changelist(model_admin, user, query)
    expected = _django_rows(cl)
    assert expected, "the change list shows no rows to compare"
    assert _quick_rows(_changelist(model_admin, user, query)) == expected
    return expected


@pytest.fixture
def superuser(world):
    """The coordinator, who runs the admin."""
    return world.coordinator


@pytest.fixture
def mixed_rows():
    """Rows with every kind of value a column can hold: empty, blank, unknown choices,
    no trust, booleans both ways, a name to escape."""
    trust = f.TrustFactory(name="Trust <A> & Co", ceo_name="")
    f.AcademyFactory(
        trust=trust, name="Brook & <Field>", region="north_west", pupils_on_roll=1234, percent_fsm=Decimal("21.50")
    )
    f.AcademyFactory(trust=None, name="Orphan Academy", region="", pupils_on_roll=None, percent_fsm=None, is_open=False)
    academy = f.AcademyFactory(trust=trust, name="Unknown Region", region="atlantis", community_type="")
    f.PersonFactory(academy=academy, trust=trust, first_name="Ann", last_name="O'Neil <b>", directory_consent=True)
    f.PersonFactory(academy=None, trust=None, first_name="", last_name="Solo", job_role="")
    f.InspectionFactory(academy=academy, grade=None, outcome_text="Not judged")
    f.InspectionFactory(academy=academy, inspection_date=datetime.date(2024, 1, 5), grade=4)
    f.PerformanceResultFactory(academy=academy, progress8=Decimal("-0.25"), percentile=None)
    return academy


@pytest.mark.parametrize("model", [Academy, Person, Trust])
def test_the_portal_change_lists_match_django(model, superuser, mixed_rows):
    _same(admin.site._registry[model], superuser)


@pytest.mark.parametrize(
    "query", ["o=-3.1", "region__exact=north_west", "q=brook", "is_open__exact=0&o=2", "p=1", "all="]
)
def test_sorted_filtered_and_searched_lists_match_django(query, superuser, mixed_rows):
    """The links keep the list's filters (preserved filters) as Django writes them."""
    rows = _same(admin.site._registry[Academy], superuser, query)
    if query and query != "p=1":
        assert "?_changelist_filters=" in rows[0]


class _EveryKind(admin.ModelAdmin):
    """Columns of each kind the writer covers: the automatic key, dates and times,
    decimals, choices, booleans from a method, a property, a callable and named links."""

    list_display = [
        "id",
        "academy",
        "inspection_date",
        "grade",
        "source",
        "is_graded",
        "graded",
        "late",
        lambda obj: obj.pk * 2,
    ]
    list_display_links = ["inspection_date", "grade"]

    @admin.display(boolean=True, description="Graded")
    def graded(self, obj):
        return obj.grade is not None if obj.grade != 4 else None

    @admin.display(empty_value="(none)")
    def late(self, obj):
        return timezone.now() if obj.grade == 4 else ""


class _Results(admin.ModelAdmin):
    list_display = ["academic_year", "progress8", "percentile", "suppressed", "academy"]
    list_display_links = None


class _Events(admin.ModelAdmin):
    list_display = ["title", "starts_at", "capacity"]


def test_every_kind_of_column_matches_django(superuser, mixed_rows):
    rows = _same(_EveryKind(Inspection, admin.site), superuser)
    assert 'class="field-inspection_date nowrap"><a href=' in rows[0]  # a named link, written as a heading
    assert "<th" in rows[0] and rows[0].count("<th") == 1  # only the first link is the row's heading


def test_decimals_and_a_list_without_links_match_django(superuser, mixed_rows):
    rows = _same(_Results(PerformanceResult, admin.site), superuser)
    assert "<a href" not in rows[0] and "-0.25" in rows[0]


def test_date_times_match_django_in_uk_time(superuser):
    f.EventFactory(title="Summer & <b>", starts_at=timezone.make_aware(datetime.datetime(2026, 7, 1, 16, 0)))
    f.EventFactory(title="Winter", starts_at=timezone.make_aware(datetime.datetime(2026, 12, 1, 9, 30)))
    _same(_Events(Event, admin.site), superuser)


def test_a_popup_or_a_list_editable_page_is_written_by_django(superuser, mixed_rows, monkeypatch):
    written = []
    real = admin_rows.items_for_result
    monkeypatch.setattr(admin_rows, "items_for_result", lambda *a: written.append(1) or real(*a))
    cl = _changelist(admin.site._registry[Academy], superuser, "_popup=1")
    assert ["".join(row) for row in admin_rows.quick_results(cl)] == _django_rows(cl)
    assert written  # handed to Django, not written here


def test_the_change_lists_use_the_quick_rows(client, superuser, mixed_rows):
    client.force_login(superuser)
    response = client.get("/admin/trusts/academy/")
    assert response.status_code == 200
    assert "admin/quick_change_list.html" in [t.name for t in response.templates]
    assert b"Brook &amp; &lt;Field&gt;" in response.content


def test_numbers_are_formatted_as_django_formats_them(superuser, mixed_rows, settings):
    """With grouping on (a deployment's choice), numbers still read as Django writes them."""
    settings.USE_THOUSAND_SEPARATOR = True
    rows = _same(admin.site._registry[Academy], superuser)
    assert any("1,234" in row for row in rows)


@pytest.mark.parametrize(
    "model, query",
    [
        (Academy, ""), (Academy, "region__exact=north_west"), (Academy, "q=brook&o=2&is_open__exact=0"),
        (Person, ""), (Person, "directory_consent__exact=1&job_role__exact=ect"), (Person, "academy__region__exact=north_west"),
        (Trust, ""), (Trust, "region__exact=north_west"),
    ],
)  # fmt: skip
def test_the_filters_are_what_django_writes(model, query, superuser, mixed_rows):
    """`{% quick_list_filter %}` writes each filter of the sidebar as Django's
    `admin/filter.html` does, the chosen one marked, every link keeping the others."""
    from django.contrib.admin.templatetags.admin_list import admin_list_filter

    cl = _changelist(admin.site._registry[model], superuser, query)
    assert cl.filter_specs
    for spec in cl.filter_specs:
        assert admin_rows.quick_list_filter(cl, spec) == admin_list_filter(cl, spec)


def test_a_filter_with_its_own_template_is_rendered_by_django(superuser, mixed_rows, monkeypatch):
    cl = _changelist(admin.site._registry[Academy], superuser)
    spec = cl.filter_specs[0]
    monkeypatch.setattr(spec, "template", "admin/filter.html ")  # another template's name
    rendered = []
    monkeypatch.setattr(admin_rows, "admin_list_filter", lambda cl, spec: rendered.append(spec) or "theirs")
    assert admin_rows.quick_list_filter(cl, spec) == "theirs" and rendered == [spec]


def test_the_change_list_uses_the_quick_filters(client, superuser, mixed_rows):
    client.force_login(superuser)
    html = client.get("/admin/trusts/academy/?region__exact=north_west").content.decode()
    assert '<li class="selected">' in html and 'data-filter-title="trust"' in html


def test_a_list_editable_page_keeps_its_inputs(superuser):
    """On a list-editable change list each row is paired with its form, as Django's own
    `results()` pairs them: the editable cells are inputs, not the values as text."""
    from events.visits.models import VisitKind

    f.NetworkFactory()
    from events.visits.services.kinds import visit_kinds_ensure
    from network.programme.models import Network

    visit_kinds_ensure(network=Network.objects.get())
    model_admin = admin.site._registry[VisitKind]
    cl = _changelist(model_admin, superuser)
    request = RequestFactory().get("/")
    request.user = superuser
    cl.formset = model_admin.get_changelist_formset(request)(queryset=cl.result_list)
    rows = ["".join(row) for row in admin_rows.quick_results(cl)]
    assert rows == ["".join(row) for row in admin_list.results(cl)]
    assert 'name="form-0-is_active"' in rows[0] and 'name="form-0-fee_net"' in rows[0]


@pytest.mark.parametrize("model", [Academy, Person, Trust])
def test_the_change_lists_have_no_n_plus_one(model, world, assert_no_n_plus_one):
    """More rows (each with a trust, an academy, designations) cost no more queries."""

    def grow():
        for n in range(6):
            trust = f.TrustFactory(name=f"Grown Trust {n}")
            academy = f.AcademyFactory(trust=trust, name=f"Grown Academy {n}")
            person = f.PersonFactory(academy=academy, trust=trust, first_name=f"Grown{n}")
            person.designations.add(f.DesignationFactory(name=f"Grown designation {n}"))

    opts = model._meta
    queries = assert_no_n_plus_one(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), grow, user=world.coordinator
    )
    assert queries <= 15
