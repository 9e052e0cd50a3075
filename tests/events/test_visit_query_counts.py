"""Every visit list (and the pages with lists inside: a visit's actions and history,
the brokering page's suggestions, the role homes' panels) costs the same number of
queries with one row or several."""

import pytest
from django.urls import reverse

from events.visits.models import VisitPolicy
from tests import factories as f
from tests.events import visit_helpers as vh

pytestmark = pytest.mark.django_db


def _visitor(world):
    return f.PersonFactory(academy=f.AcademyFactory(trust=world.trust_b))


def _more_visits(world, n=3):
    def grow():
        for _ in range(n):
            host = f.AcademyFactory(trust=world.trust_a)
            owner = f.PersonFactory(academy=host)
            vh.agreed(world.network, host, [_visitor(world), _visitor(world)], by=world.coordinator, owner=owner)
            vh.requested(world.network, world.academy_a, by=world.leader_a, focus=[f.ExpertiseTagFactory()])

    return grow


@pytest.mark.parametrize("role", ["coordinator", "executive_a", "leader_a"])
def test_visit_list(world, assert_no_n_plus_one, role):
    vh.requested(world.network, world.academy_a, by=world.coordinator)
    assert_no_n_plus_one(reverse("events:visit_list") + "?show=all", _more_visits(world), user=getattr(world, role))


def test_visitor_list_and_home(world, assert_no_n_plus_one, client):
    VisitPolicy.objects.create(network=world.network, visitor_cap_per_term=20, host_cap_per_term=20)
    person = f.PersonFactory(academy=None, trust=None)
    login = f.UserFactory(role="visitor", person=person)
    vh.scheduled(world.network, world.academy_a, [person], by=world.coordinator, days=3)

    offsets = iter(range(5, 50, 2))

    def grow():
        for days in (next(offsets), next(offsets), next(offsets)):
            vh.scheduled(
                world.network,
                f.AcademyFactory(trust=world.trust_a),
                [person, _visitor(world)],
                by=world.coordinator,
                days=days,
            )

    assert_no_n_plus_one(reverse("events:visit_list"), grow, user=login)
    assert_no_n_plus_one(reverse("network:home"), grow, user=login)


def test_leader_home(world, assert_no_n_plus_one):
    vh.requested(world.network, world.academy_a, by=world.leader_a)
    assert_no_n_plus_one(reverse("network:home"), _more_visits(world), user=world.leader_a)


def test_queue(world, assert_no_n_plus_one):
    vh.requested(world.network, world.academy_a, by=world.coordinator, focus=[f.ExpertiseTagFactory()])
    assert_no_n_plus_one(reverse("events:visit_queue"), _more_visits(world), user=world.coordinator)


def test_trust_visits(world, assert_no_n_plus_one):
    vh.current_year(world.network)
    vh.requested(world.network, world.academy_a, by=world.coordinator)
    assert_no_n_plus_one(
        reverse("events:trust_visits", args=[world.trust_a.pk]), _more_visits(world), user=world.executive_a
    )


def test_coverage(world, assert_no_n_plus_one):
    year = vh.current_year(world.network)
    f.MembershipFactory(year=year, academy=world.academy_a)

    def grow():
        for tier in ("stabilise", "improve", "sustain"):
            academy = f.AcademyFactory(trust=world.trust_a, support_tier=tier)
            f.MembershipFactory(year=year, academy=academy)
            vh.completed(world.network, academy, [_visitor(world)], by=world.coordinator)

    assert_no_n_plus_one(reverse("events:visit_coverage"), grow, user=world.coordinator)


def test_visit_detail_with_actions_and_history(world, assert_no_n_plus_one):
    owner = f.PersonFactory(academy=world.academy_a)
    visit = vh.agreed(world.network, world.academy_a, [_visitor(world)], by=world.coordinator, owner=owner)

    def grow():
        for i in range(3):
            visit.actions.create(
                description=f"Action {i}",
                owner=f.PersonFactory(academy=world.academy_a),
                due_on=visit.actions.first().due_on,
            )
            vh.log_entry(visit, world.coordinator)
            visit.assignments.create(person=_visitor(world))
            visit.focus_areas.add(f.ExpertiseTagFactory())

    assert_no_n_plus_one(reverse("events:visit_detail", args=[visit.pk]), grow, user=world.coordinator)


def test_broker_suggestions(world, assert_no_n_plus_one):
    tag = f.ExpertiseTagFactory()
    visit = vh.requested(world.network, world.academy_a, by=world.coordinator, focus=[tag])
    f.PersonFactory(academy=world.academy_b).expertise.set([tag])

    def grow():
        for _ in range(3):
            academy = f.AcademyFactory(trust=world.trust_b)
            f.InspectionFactory(academy=academy, grade=1)
            person = f.PersonFactory(academy=academy)
            person.expertise.set([tag])
            person.designations.set([f.DesignationFactory()])

    assert_no_n_plus_one(reverse("events:visit_broker", args=[visit.pk]), grow, user=world.coordinator)
