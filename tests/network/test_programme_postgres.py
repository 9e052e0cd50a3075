"""The programme under concurrency on PostgreSQL: two coordinators awarding at the same
moment cannot together overspend a round (the round's row lock), and two workers
sweeping the radar at once send each member leader one copy."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from network.base.models import OutboxMessage
from network.programme.grants.models import GrantBid
from network.programme.grants.services import awards
from network.programme.radar.models import RadarIssue
from network.programme.radar.services import radar_sweep
from tests import factories as f
from tests.network import programme_helpers as ph
from tests.network.test_membership_sweep_postgres import at_once  # threads released together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_awards_at_once_cannot_overspend_the_round(postgres):
    network = f.NetworkFactory()
    grant_round = ph.grant_round(network, budget=Decimal("1000"))
    coordinators = [f.coordinator(), f.coordinator()]
    panel = [f.leader(f.AcademyFactory()), f.leader(f.AcademyFactory())]
    made = []
    for _ in range(2):
        academy = f.AcademyFactory()
        made.append(
            ph.reviewed(ph.bid(grant_round, academy, f.PersonFactory(academy=academy), amount=Decimal("700")), panel)
        )

    results, errors = at_once(
        [lambda b=b, c=c: awards.bid_award(bid=b, by=c) for b, c in zip(made, coordinators, strict=True)]
    )

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert "would overspend" in str(errors[0])
    assert GrantBid.objects.filter(status="awarded").count() == 1
    assert OutboxMessage.objects.filter(key__endswith=":award-letter").count() == 1


def test_two_workers_sweeping_the_radar_send_each_leader_one_copy(postgres):
    network = f.NetworkFactory()
    leaders = []
    for _ in range(3):
        academy = f.AcademyFactory()
        ph.member(academy, network)
        leaders.append(f.leader(academy))
    issue = RadarIssue.objects.create(network=network, title="Radar", editorial="Hello", status="sending")

    results, errors = at_once([radar_sweep, radar_sweep])
    assert errors == []
    assert sorted(results) == [0, 3]
    assert radar_sweep() == 0  # a third sweep later: nothing more

    sent = OutboxMessage.objects.filter(key__startswith=f"radar:{issue.pk}:")
    assert sorted(sent.values_list("to", flat=True)) == sorted(u.email for u in leaders)
    issue.refresh_from_db()
    assert (issue.status, issue.recipient_count) == ("sent", 3)
