"""Scoping: an executive reaches their own trust's dashboard and nothing else, whatever
id or filter they put in the address."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.impact import dashboard_helpers as dh

pytestmark = pytest.mark.django_db


def get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


def test_executive_is_sent_to_their_trust(client, world):
    response = get(client, world.executive_a, "impact:dashboard")
    assert response.status_code == 302
    assert response["Location"] == reverse("impact:trust_dashboard", args=[world.trust_a.pk])


def test_another_trusts_dashboard_and_its_csv_are_not_found(client, world):
    for params in ({}, {"download": "academies"}, {"download": "benchmark"}, {"kind": "academic"}):
        assert get(client, world.executive_a, "impact:trust_dashboard", world.trust_b.pk, **params).status_code == 404


def test_filters_cannot_widen_an_executives_view(client, world):
    events = dh.webinars(world.network, 1)
    person_b = f.PersonFactory(academy=world.academy_b)
    f.BookingFactory(event=events[0], person=person_b)
    other_network = f.NetworkFactory(name="Other Network", slug="other")
    other_hub = f.HubFactory(network=other_network, name="Elsewhere Hub")
    for params in (
        {"network": "other"},
        {"hub": other_hub.pk},
        {"trust": world.trust_b.pk},
        {"year": "not-a-year"},
        {"kind": "nonsense"},
    ):
        response = get(client, world.executive_a, "impact:trust_dashboard", world.trust_a.pk, **params)
        assert response.status_code == 200, params
        dashboard = response.context["dashboard"]
        assert dashboard.trust == world.trust_a and dashboard.network == world.network, params
        assert dashboard.hub is None, params
        names = [row[0] for row in dashboard.table("academies").rows]
        assert names == ["Academy A"], params
        assert "Academy B" not in response.content.decode()


def test_an_executives_figures_are_their_trusts_alone(client, world):
    events = dh.webinars(world.network, 1)
    from events.models import Attendance

    for academy, count in ((world.academy_a, 2), (world.academy_b, 7)):
        for _ in range(count):
            booking = f.BookingFactory(event=events[0], person=f.PersonFactory(academy=academy))
            Attendance.objects.create(booking=booking, attended=True, source="register")
    response = get(client, world.executive_a, "impact:trust_dashboard", world.trust_a.pk)
    tiles = {t.label: t for t in response.context["dashboard"].tiles}
    assert tiles["Leaders taking part"].value == 2


@pytest.mark.parametrize("role", ["leader_a", "visitor", "steering"])
def test_other_roles_have_no_dashboard(client, world, role):
    user = getattr(world, role)
    assert get(client, user, "impact:trust_dashboard", world.trust_a.pk).status_code == 404
    assert get(client, user, "impact:dashboard").status_code == 404


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("impact:network_dashboard", ("ssn",)),
        ("impact:objectives", ("ssn",)),
        ("impact:report", ("ssn",)),
        ("impact:report_download", ("ssn", "json")),
    ],
)
def test_network_pages_are_not_for_executives(client, world, name, args):
    assert get(client, world.executive_a, name, *args).status_code == 404
    assert get(client, world.coordinator, name, *args).status_code == 200
