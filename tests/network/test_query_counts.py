"""N+1 tests: every list and dashboard page costs the same number of queries with one
row as with several."""

import pytest
from django.urls import reverse

from tests import factories as f


def _more_academies(world, n=2):
    def grow():
        for _ in range(n):
            academy = f.AcademyFactory(trust=world.trust_a)
            f.PersonFactory(academy=academy, directory_consent=True).expertise.add(f.ExpertiseTagFactory())
            f.InspectionFactory(academy=academy)

    return grow


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "executive_a"])
def test_academy_list_has_no_n_plus_one(world, assert_no_n_plus_one, role):
    assert_no_n_plus_one(reverse("trusts:academy_list"), _more_academies(world), user=getattr(world, role))


@pytest.mark.django_db
def test_trust_list_has_no_n_plus_one(world, assert_no_n_plus_one):
    def grow():
        for _ in range(2):
            f.AcademyFactory(trust=f.TrustFactory())

    assert_no_n_plus_one(reverse("trusts:trust_list"), grow, user=world.coordinator)


@pytest.mark.django_db
def test_trust_detail_has_no_n_plus_one(world, assert_no_n_plus_one):
    assert_no_n_plus_one(
        reverse("trusts:trust_detail", args=[world.trust_a.pk]), _more_academies(world), user=world.executive_a
    )


@pytest.mark.django_db
def test_academy_detail_has_no_n_plus_one(world, assert_no_n_plus_one):
    def grow():
        for year in ("2021-22", "2022-23"):
            f.PerformanceResultFactory(academy=world.academy_a, academic_year=year)
        for day in (1, 2):
            f.InspectionFactory(academy=world.academy_a, inspection_date=f"2019-0{day}-10")
        for _ in range(2):
            f.PersonFactory(academy=world.academy_a).designations.add(f.DesignationFactory())

    assert_no_n_plus_one(reverse("trusts:academy_detail", args=[world.academy_a.urn]), grow, user=world.coordinator)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "leader_a"])
def test_directory_has_no_n_plus_one(world, assert_no_n_plus_one, role):
    assert_no_n_plus_one(reverse("network:directory"), _more_academies(world), user=getattr(world, role))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "executive_a", "leader_a"])
def test_home_pages_have_no_n_plus_one(world, assert_no_n_plus_one, role):
    def grow():
        _more_academies(world)()
        f.PersonFactory(academy=world.academy_a)
        f.HubFactory(network=world.network).academies.add(world.academy_a)

    assert_no_n_plus_one(reverse("network:home"), grow, user=getattr(world, role))
