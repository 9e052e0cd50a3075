"""The admin's filter by trust (academies, people) lists what Django's own would, from
each trust's id and name alone (`trusts.admin.TrustNameFilter`), and filters the same."""

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
