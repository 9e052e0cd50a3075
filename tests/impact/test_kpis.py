"""Network objectives: values computed from the records, status and trend."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from impact.dashboards.kpis import BEHIND, MET, MISSED, ON_TRACK, kpis
from impact.dashboards.models import Measure, Objective
from impact.dashboards.services import objective_set
from network.base.rules import NotAllowed
from tests import factories as f
from tests.impact import known_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    return known_network.build()


def by_measure(network, label, today):
    return {k.measure: k for k in kpis(network, label, today=today)}


def test_values_come_from_the_records(known):
    found = by_measure(known.network, "2024-25", datetime.date(2025, 6, 1))
    assert (found[Measure.ONLINE_CPD_LEADERS].value, found[Measure.ONLINE_CPD_LEADERS].trusts) == (3, 2)
    assert (found[Measure.CONFERENCE].value, found[Measure.CONFERENCE].trusts) == (3, 2)
    assert found[Measure.MEMBERSHIP_GROWTH].value == Decimal("25.0")
    assert found[Measure.ACADEMIES_REACHED].value == 5
    assert found[Measure.NEVER_ENGAGED].value == Decimal("16.7")  # 1 of 6 academies
    assert found[Measure.CPD_HOURS].value == Decimal("23")
    assert (found[Measure.VISITS].value, found[Measure.VISITS].trusts) == (0, 0)  # none recorded
    # Trend: 2023-24 had p10 at one online event.
    assert found[Measure.ONLINE_CPD_LEADERS].previous == 1
    assert found[Measure.ONLINE_CPD_LEADERS].change == 2


def test_statuses_of_a_finished_year(known):
    coordinator = f.coordinator()
    network = known.network
    objective_set(network=network, year_label="2024-25", measure=Measure.ONLINE_CPD_LEADERS, target=3, by=coordinator)
    objective_set(
        network=network, year_label="2024-25", measure=Measure.CONFERENCE, target=3, min_trusts=7, by=coordinator
    )
    objective_set(network=network, year_label="2024-25", measure=Measure.MEMBERSHIP_GROWTH, target=20, by=coordinator)
    objective_set(network=network, year_label="2024-25", measure=Measure.NEVER_ENGAGED, target=10, by=coordinator)
    objective_set(
        network=network, year_label="2024-25", measure=Measure.VISITS, target=35, min_trusts=5, by=coordinator
    )
    found = by_measure(network, "2024-25", datetime.date(2025, 6, 1))
    assert found[Measure.ONLINE_CPD_LEADERS].status == MET
    assert found[Measure.CONFERENCE].status == MISSED  # 3 leaders, but from 2 trusts, not 7
    assert found[Measure.MEMBERSHIP_GROWTH].status == MET
    assert found[Measure.NEVER_ENGAGED].status == MISSED  # 16.7% against at most 10%
    assert found[Measure.VISITS].status == MISSED  # no visits recorded in a finished year
    assert found[Measure.CPD_HOURS].status == ""  # no target set


def test_status_while_the_year_is_under_way_is_pro_rata(known):
    coordinator = f.coordinator()
    objective_set(
        network=known.network, year_label="2024-25", measure=Measure.ONLINE_CPD_LEADERS, target=4, by=coordinator
    )
    # On 1 November 2024 (about 59% of the year gone) p1, p4 and p5 have joined: 3 of 4.
    early = by_measure(known.network, "2024-25", datetime.date(2024, 11, 1))
    assert early[Measure.ONLINE_CPD_LEADERS].value == 3
    assert early[Measure.ONLINE_CPD_LEADERS].status == ON_TRACK
    objective_set(
        network=known.network, year_label="2024-25", measure=Measure.ONLINE_CPD_LEADERS, target=10, by=coordinator
    )
    assert by_measure(known.network, "2024-25", datetime.date(2024, 11, 1))[Measure.ONLINE_CPD_LEADERS].status == BEHIND


def test_only_coordinators_set_objectives_and_trusts_only_where_counted(known, world):
    with pytest.raises(NotAllowed):
        objective_set(
            network=known.network, year_label="2024-25", measure=Measure.CPD_HOURS, target=1, by=world.executive_a
        )
    with pytest.raises(ValidationError):
        objective_set(
            network=known.network,
            year_label="2024-25",
            measure=Measure.CPD_HOURS,
            target=1,
            min_trusts=3,
            by=world.coordinator,
        )


def test_objectives_page_sets_a_target(client, known):
    coordinator = f.coordinator()
    client.force_login(coordinator)
    url = reverse("impact:objectives", args=[known.network.slug])
    response = client.post(
        url, {"year_label": "2025-26", "measure": Measure.VISITS, "target": "35", "min_trusts": "5", "note": ""}
    )
    assert response.status_code == 302
    objective = Objective.objects.get(network=known.network, year_label="2025-26")
    assert (objective.target, objective.min_trusts, objective.set_by) == (35, 5, coordinator)
    page = client.get(url + "?year=2025-26").content.decode()
    assert "Academy visits delivered" in page and "≥ 35 from ≥ 5 trusts" in page
