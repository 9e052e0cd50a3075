"""Suppression and anonymity: no benchmark figure resting on fewer than 5 people or 3
trusts reaches a trust executive, by the page, a filter or a CSV, and the benchmark
never names another trust."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.impact import dashboard_helpers as dh

pytestmark = pytest.mark.django_db


def dashboard(client, user, trust, **params):
    client.force_login(user)
    return client.get(reverse("impact:trust_dashboard", args=[trust.pk]), params)


def benchmark_cells(response):
    table = response.context["dashboard"].table("benchmark")
    return [row[2:6] for row in table.rows]  # lower quartile, median, upper quartile, trusts


@pytest.fixture
def setting():
    network = f.NetworkFactory()
    events = dh.webinars(network, 2)
    mine = dh.grow_trust(network, name="My Own Trust", people=3, events=events)
    return network, events, mine, f.trust_executive(mine)


def names_absent(text: str, trusts) -> None:
    for trust in trusts:
        assert trust.name not in text, f"{trust.name} named on an executive's dashboard"


def test_two_other_trusts_are_too_few(client, setting):
    network, events, mine, executive = setting
    others = [dh.grow_trust(network, name=f"Rival Trust {i}", people=5, events=events) for i in range(2)]
    response = dashboard(client, executive, mine)
    assert response.status_code == 200
    for cells in benchmark_cells(response):
        assert all(str(c) == "Suppressed: fewer than 3 other trusts to compare with" for c in cells)
    html = response.content.decode()
    assert "fewer than 3 other trusts to compare with" in html
    names_absent(html, others)
    csv = dashboard(client, executive, mine, download="benchmark").content.decode()
    assert "Suppressed: fewer than 3 other trusts" in csv
    names_absent(csv, others)


def test_three_other_trusts_with_four_people_are_too_few(client, setting):
    network, events, mine, executive = setting
    others = [dh.grow_trust(network, name=f"Rival Trust {i}", people=p, events=events) for i, p in enumerate((2, 1, 1))]
    response = dashboard(client, executive, mine)
    for cells in benchmark_cells(response):
        assert all(str(c) == "Suppressed: rests on fewer than 5 people" for c in cells)
    csv = dashboard(client, executive, mine, download="benchmark").content.decode()
    assert "Suppressed: rests on fewer than 5 people" in csv
    names_absent(csv + response.content.decode(), others)


def test_enough_trusts_and_people_show_the_benchmark_without_names(client, setting):
    network, events, mine, executive = setting
    others = [dh.grow_trust(network, name=f"Rival Trust {i}", people=p, events=events) for i, p in enumerate((2, 2, 4))]
    response = dashboard(client, executive, mine)
    rows = {row[0]: row for row in response.context["dashboard"].table("benchmark").rows}
    people = rows["People taking part per academy"]
    assert str(people[1]) == "1.50"  # 3 people over 2 academies
    assert [str(v) for v in people[2:6]] == ["1.00", "1.00", "1.50", "3"]  # of 1, 1, 2
    html = response.content.decode()
    csv = dashboard(client, executive, mine, download="benchmark").content.decode()
    names_absent(html + csv, others)
    assert "Suppressed" not in csv


def test_a_hub_filter_cannot_narrow_the_benchmark_below_three_trusts(client, setting):
    network, events, mine, executive = setting
    hub = f.HubFactory(network=network, name="Small Hub")
    hub.academies.add(*mine.academies.all())
    dh.grow_trust(network, name="Inside Hub Trust", people=10, events=events, hub=hub)
    dh.grow_trust(network, name="Inside Hub Trust Two", people=10, events=events, hub=hub)
    for i in range(3):
        dh.grow_trust(network, name=f"Outside Trust {i}", people=10, events=events)
    whole = dashboard(client, executive, mine)
    assert "Suppressed" not in str(benchmark_cells(whole))
    narrowed = dashboard(client, executive, mine, hub=hub.pk)
    for cells in benchmark_cells(narrowed):
        assert all(str(c).startswith("Suppressed: fewer than 3 other trusts") for c in cells)
    csv = dashboard(client, executive, mine, hub=hub.pk, download="benchmark").content.decode()
    assert "Inside Hub Trust" not in csv and "Suppressed: fewer than 3 other trusts" in csv


def test_no_table_or_csv_of_an_executive_names_another_trust(client, setting):
    network, events, mine, executive = setting
    others = [dh.grow_trust(network, name=f"Rival Trust {i}", people=6, events=events) for i in range(4)]
    response = dashboard(client, executive, mine)
    names_absent(response.content.decode(), others)
    for key in response.context["dashboard"].tables:
        csv = dashboard(client, executive, mine, download=key)
        assert csv.status_code == 200
        names_absent(csv.content.decode(), others)


def test_the_coordinator_sees_trusts_by_name(client, setting):
    network, events, mine, _executive = setting
    others = [dh.grow_trust(network, name=f"Rival Trust {i}", people=6, events=events) for i in range(3)]
    client.force_login(f.coordinator())
    response = client.get(reverse("impact:network_dashboard", args=[network.slug]))
    html = response.content.decode()
    for trust in [mine, *others]:
        assert trust.name in html
