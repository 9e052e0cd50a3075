"""Who sees which visit (the door), on pages: a host or visiting academy's leaders their
academy's visits, an executive their trust's, a visitor only the visits assigned to
them, coordinators all; another trust's visit, report or action is a 404 for every
role, including POSTs. And the pages as each side uses them."""

import pytest
from django.urls import reverse

from events.visits.models import Visit
from events.visits.selectors import visits_for
from network.base import access
from tests import factories as f
from tests.events import visit_helpers as vh


@pytest.fixture
def b_visit(world):
    return vh.b_visit(world)


@pytest.mark.parametrize("role", ["visitor", "leader_a", "executive_a", "steering"])
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("events:visit_cancel", {"reason": "x"}),
        ("events:visit_complete", {}),
        ("events:visit_report_review", {"decision": "agree"}),
        ("events:visit_report_edit", {"seen": "x", "submit": "submit"}),
        ("events:visit_broker", {"step": "propose", "host_urn": "1"}),
    ],
)
def test_posts_to_another_trusts_visit_are_404(client, world, b_visit, role, name, data):
    client.force_login(getattr(world, role))
    assert client.post(reverse(name, args=[b_visit.pk]), data).status_code == 404


@pytest.mark.parametrize("role", ["visitor", "leader_a", "executive_a", "steering"])
def test_posts_to_another_trusts_action_are_404(client, world, b_visit, role):
    client.force_login(getattr(world, role))
    url = reverse("events:visit_action_update", args=[b_visit.actions.get().pk])
    assert client.post(url, {"status": "closed"}).status_code == 404


def test_each_role_sees_its_own_visits_only(world, b_visit):
    visitor_person = f.PersonFactory(academy=None, trust=None, first_name="Helen", last_name="Ward")
    world.visitor.person = visitor_person
    world.visitor.save()
    a_other = f.AcademyFactory(trust=world.trust_a)
    to_a = vh.scheduled(world.network, world.academy_a, [visitor_person], by=world.coordinator)
    from_a = vh.requested(
        world.network, world.academy_a, by=world.leader_a, code="peer", direction="see", focus=[f.ExpertiseTagFactory()]
    )
    elsewhere_in_a = vh.requested(world.network, a_other, by=world.coordinator)

    def seen(user):
        return set(access.scoped(user, Visit).values_list("pk", flat=True))

    assert seen(world.coordinator) == {b_visit.pk, to_a.pk, from_a.pk, elsewhere_in_a.pk}
    assert seen(world.leader_a) == {to_a.pk, from_a.pk}
    assert seen(world.executive_a) == {to_a.pk, from_a.pk, elsewhere_in_a.pk}
    assert seen(world.visitor) == {to_a.pk}
    assert seen(world.steering) == set()
    assert list(visits_for(world.visitor)) == [to_a]


def test_a_peer_visitor_from_another_trust_sees_the_visit_they_make(client, world, b_visit):
    visitor = b_visit.visitors.get()
    login = f.UserFactory(role="leader", person=visitor)
    client.force_login(login)
    assert client.get(reverse("events:visit_detail", args=[b_visit.pk])).status_code == 200
    # ...but not another visit at the same host.
    other = vh.requested(world.network, world.academy_b, by=world.coordinator)
    assert client.get(reverse("events:visit_detail", args=[other.pk])).status_code == 404


def test_an_executive_sees_their_trusts_visits_page_and_figures(client, world):
    vh.current_year(world.network)
    visitor = f.PersonFactory(academy=world.academy_b)
    vh.completed(world.network, world.academy_a, [visitor], by=world.coordinator)
    client.force_login(world.executive_a)
    response = client.get(reverse("events:trust_visits", args=[world.trust_a.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Visits: Trust A" in body and "Academy A" in body
    assert client.get(reverse("events:trust_visits", args=[world.trust_b.pk])).status_code == 404
