"""`field__in_ids` (network/base/lookups.py): the rows `__in` finds, with the ids sent as
one parameter (an array on PostgreSQL); the directory's reach uses it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from trusts.models import Person

pytestmark = pytest.mark.django_db


def test_in_ids_finds_what_in_finds():
    oak, elm, ash = f.TrustFactory(), f.TrustFactory(), f.TrustFactory()
    for trust in (oak, elm, ash):
        f.PersonFactory(academy=f.AcademyFactory(trust=trust))
    f.PersonFactory(academy=None, trust=elm)
    for ids in ([oak.pk], [oak.pk, elm.pk], [str(ash.pk)], [], [999_999]):
        ours = Person.objects.filter(academy__trust_id__in_ids=ids).order_by("pk")
        djangos = Person.objects.filter(academy__trust_id__in=ids).order_by("pk")
        assert list(ours) == list(djangos), ids
        assert list(Person.objects.filter(trust_id__in_ids=ids)) == list(Person.objects.filter(trust_id__in=ids))
    assert list(Person.objects.exclude(academy__trust_id__in_ids=[oak.pk]).order_by("pk")) == list(
        Person.objects.exclude(academy__trust_id__in=[oak.pk]).order_by("pk")
    )


def test_only_ids_are_taken():
    with pytest.raises(ValueError):
        Person.objects.filter(trust_id__in_ids=["1); DROP TABLE trusts_person; --"])
    with pytest.raises(TypeError):  # a queryset is __in's (a subquery), never read here
        Person.objects.filter(trust_id__in_ids=Person.objects.values("trust_id"))
    trust = f.TrustFactory()
    f.PersonFactory(academy=None, trust=trust)
    assert Person.objects.filter(trust_id__in_ids=[None, trust.pk]).count() == 1  # None dropped, as __in does


@pytest.mark.postgres
def test_on_postgresql_the_ids_are_one_array(postgres):
    oak = f.TrustFactory()
    with CaptureQueriesContext(connection) as queries:
        list(Person.objects.filter(academy__trust_id__in_ids=[oak.pk, oak.pk + 1, oak.pk + 2]))
    assert "= ANY(ARRAY[" in queries.captured_queries[-1]["sql"]
