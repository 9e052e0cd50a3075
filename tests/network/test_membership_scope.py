"""Reading a membership's history and acting for an academy are different rights. The
trust a membership was credited to keeps reading it after the academy moves to another
trust; only the people whose *current* scope holds the academy may accept an invitation
or apply for it, and pages do not link the old trust to pages it cannot open."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from network.programme.membership.models import InvoiceLine, Membership
from network.programme.membership.review import ProposalDecision, review_decide, review_run
from network.programme.membership.services import years
from tests import factories as f
from trusts.services import academy_move_trust


@pytest.fixture
def year(world):
    f.MembershipPolicyFactory(network=world.network)
    label = world.network.membership_policy.year_containing(timezone.localdate())[0]
    return years.membership_year_get_or_create(network=world.network, label=label)


def move_academy_a_to_trust_b(world):
    academy_move_trust(
        academy=world.academy_a, trust=world.trust_b, on=timezone.localdate() - datetime.timedelta(days=1)
    )
    world.academy_a.refresh_from_db()


def test_membership_accept_by_the_old_trusts_executive_is_not_found(client, world, year):
    membership = f.MembershipFactory(year=year, academy=world.academy_a, status="invited")
    move_academy_a_to_trust_b(world)
    client.force_login(world.executive_a)

    assert client.post(reverse("network:membership_accept", args=[membership.pk])).status_code == 404
    membership.refresh_from_db()
    assert (membership.status, membership.accepted_by) == ("invited", None)
    assert not InvoiceLine.objects.exists()


def test_membership_accept_by_the_new_trusts_executive_records_the_fee(client, world, year):
    membership = f.MembershipFactory(year=year, academy=world.academy_a, status="invited")
    move_academy_a_to_trust_b(world)
    client.force_login(f.trust_executive(world.trust_b))

    response = client.post(reverse("network:membership_accept", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "active"
    assert InvoiceLine.objects.filter(membership=membership).count() == 1


def test_membership_apply_by_the_old_trusts_executive_is_refused(client, world, year):
    move_academy_a_to_trust_b(world)
    client.force_login(world.executive_a)
    response = client.post(
        reverse("network:membership_apply"),
        {"academy": world.academy_a.pk, "network": world.network.pk, "year": year.label, "evidence_text": "Please"},
    )
    assert response.status_code == 200
    assert "academy" in response.context["form"].errors
    assert not Membership.objects.exists()


def test_membership_list_old_trust_sees_history_without_a_link_it_cannot_follow(client, world, year):
    f.MembershipFactory(year=year, academy=world.academy_a, status="active")
    move_academy_a_to_trust_b(world)
    academy_url = reverse("network:membership_academy", args=[world.academy_a.urn])
    client.force_login(world.executive_a)

    page = client.get(reverse("network:membership_list")).content.decode()
    assert "Academy A" in page  # the history stays theirs to read
    assert academy_url not in page
    assert client.get(academy_url).status_code == 404

    client.force_login(f.trust_executive(world.trust_b))
    assert academy_url in client.get(reverse("network:membership_list")).content.decode()


def test_membership_outcomes_old_trust_sees_the_outcome_without_a_link(client, world, year):
    f.MembershipFactory(year=year, academy=world.academy_a, status="active")
    f.InspectionFactory(academy=world.academy_a, grade=1)
    run, _ = review_run(network=world.network, label=year.label, trigger="page")
    review_decide(
        run=run, decisions=[ProposalDecision(proposal_id=p.pk, confirm=True) for p in run.proposals.all()],
        by=world.coordinator,
    )  # fmt: skip
    move_academy_a_to_trust_b(world)
    client.force_login(world.executive_a)

    page = client.get(reverse("network:membership_outcomes")).content.decode()
    assert "Academy A" in page
    assert reverse("network:membership_academy", args=[world.academy_a.urn]) not in page
