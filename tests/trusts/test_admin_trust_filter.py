"""The admin's filter by trust (academies, people) lists what Django's own would, from
each trust's id and name alone (`trusts.admin.TrustNameFilter`), and filters the same;
the academies page loads only the columns it shows (`trusts.admin.ShownColumnsChangeList`)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from tests import factories as f
from trusts.admin import TrustNameFilter
from trusts.models import Academy, Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("model", "path"), [(Academy, "trust"), (Person, "academy__trust")])
def test_the_choices_are_djangos(model, path):
    for name in ("Oak & <Ash> Trust", "Birch Trust", "Elm Trust"):
        f.TrustFactory(name=name)
    request = RequestFactory().get("/")
    request.user = f.coordinator()
    model_admin = admin.site._registry[model]
    field = Academy._meta.get_field("trust")
    ours = TrustNameFilter(field, request, {}, model, model_admin, path)
    django = admin.RelatedFieldListFilter(field, request, {}, model, model_admin, path)
    assert ours.lookup_choices == django.lookup_choices
    assert [name for _, name in ours.lookup_choices][:3] == ["Birch Trust", "Elm Trust", "Oak & <Ash> Trust"]


def test_filtering_the_academies_by_a_trust(client):
    oak, elm = f.TrustFactory(name="Oak Trust"), f.TrustFactory(name="Elm Trust")
    f.AcademyFactory(trust=oak, name="Oak Academy")
    f.AcademyFactory(trust=elm, name="Elm Academy")
    client.force_login(f.coordinator())
    page = client.get(reverse("admin:trusts_academy_changelist"), {"trust__id__exact": oak.pk}).content.decode()
    assert "Oak Academy" in page and "Elm Academy" not in page


def test_the_academies_page_loads_only_the_columns_it_shows(client):
    """`ShownColumnsChangeList`: the page's rows read the shown columns alone, and every
    cell is still filled; actions and exports (`get_queryset`) still read whole rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    academy = f.AcademyFactory(name="Oak Academy", local_authority="Leeds", pupils_on_roll=1234)
    coordinator = f.coordinator()
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("admin:trusts_academy_changelist")).content.decode()
    rows = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "trusts_academy"."id", "trusts_academy"."urn"')
    ]
    assert len(rows) == 1 and "local_authority" not in rows[0] and "urban_rural" not in rows[0]
    for shown in ("Oak Academy", str(academy.urn), academy.trust.name, ">1234<", "Select this object for an action"):
        assert shown in page, shown
    request = RequestFactory().get("/")
    request.user = coordinator
    changelist = admin.site._registry[Academy].get_changelist_instance(request)
    whole = changelist.get_queryset(request).get(pk=academy.pk)
    assert whole.get_deferred_fields() == set()
