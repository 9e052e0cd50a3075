"""N+1 tests of the network programme's lists (issue 13): each page costs the same
number of queries with one row as with several."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from network.programme.connections.models import ConnectionRequest
from network.programme.grants.models import GrantReview, GrantRound
from network.programme.hubs.models import HubMembership, HubResource
from network.programme.radar.models import RadarIssue
from network.programme.roles.models import NetworkRole
from tests import factories as f
from tests.network import programme_helpers as ph

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _other_academy():
    academy = f.AcademyFactory(trust=f.TrustFactory())
    return academy, f.PersonFactory(academy=academy)


def _reviewed_bid(world, grant_round):
    academy, lead = _other_academy()
    made = ph.bid(grant_round, academy, lead)
    return ph.reviewed(made, [world.leader_a, f.leader(f.AcademyFactory(trust=f.TrustFactory()))])


def test_grant_rounds(world, assert_no_n_plus_one):
    ph.grant_round(world.network)

    def grow():
        for n in range(2):
            GrantRound.objects.create(
                network=world.network, name=f"Round {n}", budget=1000, opens_on=TODAY, closes_on=TODAY
            )

    assert_no_n_plus_one(reverse("network:grant_rounds"), grow, user=world.coordinator)


def test_grant_round_bids_and_scores(world, assert_no_n_plus_one):
    grant_round = ph.grant_round(world.network)
    _reviewed_bid(world, grant_round)
    url = reverse("network:grant_round_detail", args=[grant_round.pk])
    assert_no_n_plus_one(url, lambda: [_reviewed_bid(world, grant_round) for _ in range(2)], user=world.coordinator)


def test_grant_bid_detail(world, assert_no_n_plus_one):
    grant_round = ph.grant_round(world.network)
    made = _reviewed_bid(world, grant_round)

    def grow():
        for _ in range(2):
            GrantReview.objects.create(bid=made, reviewer=f.leader(f.AcademyFactory(trust=f.TrustFactory())))
        made.budget_lines.create(description="Cover", amount=Decimal("50"))

    assert_no_n_plus_one(reverse("network:grant_bid_detail", args=[made.pk]), grow, user=world.coordinator)


def test_my_reviews(world, assert_no_n_plus_one):
    grant_round = ph.grant_round(world.network)
    _reviewed_bid(world, grant_round)
    assert_no_n_plus_one(
        reverse("network:grant_reviews"),
        lambda: [_reviewed_bid(world, grant_round) for _ in range(2)],
        user=world.leader_a,
    )


def test_outcomes_library(world, assert_no_n_plus_one):
    ph.member(world.academy_a, world.network)
    grant_round = ph.grant_round(world.network)

    def published():
        academy, lead = _other_academy()
        ph.final_report(ph.bid(grant_round, academy, lead, status="awarded", amount_awarded=500))

    published()
    assert_no_n_plus_one(
        reverse("network:grant_outcomes"), lambda: [published() for _ in range(2)], user=world.leader_a
    )


def _role(world, **kwargs):
    holder = f.PersonFactory(academy=f.AcademyFactory(trust=world.trust_a))
    return NetworkRole.objects.create(
        network=world.network,
        kind="hub_lead",
        hub=f.HubFactory(network=world.network),
        responsibilities="Runs the hub.",
        holder=holder,
        starts_on=TODAY - datetime.timedelta(days=400),
        review_on=TODAY - datetime.timedelta(days=1),
        **kwargs,
    )


@pytest.mark.parametrize("name", ["network:role_list", "network:succession_risks"])
def test_roles_and_risks(world, assert_no_n_plus_one, name):
    _role(world)
    assert_no_n_plus_one(reverse(name), lambda: [_role(world) for _ in range(2)], user=world.coordinator)


def test_hub_list(world, assert_no_n_plus_one):
    def grow():
        for _ in range(2):
            hub = f.HubFactory(network=world.network, lead=f.PersonFactory(), deputy_lead=f.PersonFactory())
            hub.academies.add(world.academy_a)

    assert_no_n_plus_one(reverse("network:hub_list"), grow, user=world.leader_a)


def test_hub_detail(world, assert_no_n_plus_one):
    hub = world.hub

    def grow():
        for _ in range(2):
            academy = f.AcademyFactory(trust=f.TrustFactory())
            hub.academies.add(academy)
            HubMembership.objects.create(hub=hub, person=f.PersonFactory(academy=academy), status="accepted")
            HubResource.objects.create(hub=hub, title="Link", url="https://example.org/r", added_by=world.person_a)
            f.EventFactory(network=world.network, hub=hub, kind="hub_meeting")

    grow()
    assert_no_n_plus_one(reverse("network:hub_detail", args=[hub.pk]), grow, user=world.leader_a)


def test_my_connections(world, assert_no_n_plus_one):
    def grow():
        for status in ("accepted", "open"):
            other = f.PersonFactory(academy=f.AcademyFactory())
            ConnectionRequest.objects.create(asker=world.person_a, recipient=other, topic="Practicals", status=status)
            ConnectionRequest.objects.create(asker=other, recipient=world.person_a, topic="Practicals", status=status)

    grow()
    assert_no_n_plus_one(reverse("network:my_connections"), grow, user=world.leader_a)


def test_contribution_ledger(world, assert_no_n_plus_one):
    grant_round = ph.grant_round(world.network)

    def grow():
        academy = f.AcademyFactory(trust=world.trust_a)
        made = ph.bid(grant_round, academy, f.PersonFactory(academy=academy), status="awarded", amount_awarded=300)
        made.decided_at = timezone.now()
        made.save()
        past = timezone.now() - datetime.timedelta(days=2)
        event = f.EventFactory(network=world.network, starts_at=past, ends_at=past + datetime.timedelta(hours=1))
        f.BookingFactory(event=event, person=f.PersonFactory(academy=academy))

    grow()
    assert_no_n_plus_one(reverse("network:contribution_ledger"), lambda: [grow(), grow()], user=world.executive_a)


def test_radar_archive_and_issue(world, assert_no_n_plus_one):
    grant_round = ph.grant_round(world.network)
    issue = RadarIssue.objects.create(
        network=world.network, title="Radar", editorial="Hi", status="sent", sent_at=timezone.now()
    )

    def grow():
        RadarIssue.objects.create(
            network=world.network, title="Older", editorial="Hi", status="sent", sent_at=timezone.now()
        )
        academy, lead = _other_academy()
        issue.outcomes.add(ph.final_report(ph.bid(grant_round, academy, lead, status="awarded", amount_awarded=100)))
        issue.resources.add(HubResource.objects.create(hub=world.hub, title="Link", url="https://example.org/x"))
        issue.event_ids = [*issue.event_ids, f.EventFactory(network=world.network, hub=world.hub).pk]
        issue.save()

    grow()
    ph.member(world.academy_a, world.network)
    assert_no_n_plus_one(reverse("network:radar_list"), grow, user=world.leader_a)
    assert_no_n_plus_one(reverse("network:radar_detail", args=[issue.pk]), grow, user=world.leader_a)
    assert_no_n_plus_one(reverse("network:radar_preview", args=[issue.pk]), grow, user=world.coordinator)
