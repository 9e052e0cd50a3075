"""A grade 3 or 4 inspection that arrives after the annual review was confirmed: the
current membership runs to the end of its year, and next year's renewal invitation
(or a pending application) is flagged at risk. The academy cannot accept a renewal
while that inspection makes it ineligible; the coordinators decide."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from network.base.models import OutboxMessage
from network.programme.membership import eligibility
from network.programme.membership.models import InvoiceLine, Membership
from network.programme.membership.review import ProposalDecision, review_decide, review_run
from network.programme.membership.services import at_risk, invitations
from network.programme.membership.services import years as year_services
from tests import factories as f
from trusts.models import Inspection


@pytest.fixture
def years(world):
    """(this year, next year) of the world's network, by today's date."""
    f.MembershipPolicyFactory(network=world.network)
    label = world.network.membership_policy.year_containing(timezone.localdate())[0]
    this = year_services.membership_year_get_or_create(network=world.network, label=label)
    return this, year_services.membership_year_get_or_create(network=world.network, label=this.next_label)


def renewed_after_review(world, this):
    """Academy A, a member this year with a grade 1, renewed by a confirmed review:
    next year's membership is an invitation to renew."""
    current = f.MembershipFactory(year=this, academy=world.academy_a, status="active")
    f.InspectionFactory(academy=world.academy_a, grade=1, inspection_date=this.starts_on - datetime.timedelta(days=400))
    run, _ = review_run(network=world.network, label=this.label, trigger="page", by=world.coordinator)
    [proposal] = run.proposals.filter(academy=world.academy_a)
    assert proposal.outcome == "renew"
    review_decide(run=run, decisions=[ProposalDecision(proposal_id=proposal.pk, confirm=True)], by=world.coordinator)
    return current, Membership.objects.get(academy=world.academy_a, year__label=this.next_label)


def grade_4_today(world):
    return Inspection.objects.create(academy=world.academy_a, inspection_date=timezone.localdate(), grade=4)


def test_membership_flag_after_inspection_flags_next_years_renewal_invitation(world, years):
    this, _next = years
    current, renewal = renewed_after_review(world, this)
    OutboxMessage.objects.all().delete()

    flagged = at_risk.membership_flag_after_inspection(inspection=grade_4_today(world))

    assert sorted(m.year.label for m in flagged) == [this.label, this.next_label]
    current.refresh_from_db()
    renewal.refresh_from_db()
    assert (current.status, current.at_risk) == ("active", True)
    assert (renewal.status, renewal.at_risk) == ("invited", True)
    assert "cannot accept this invitation itself" in renewal.at_risk_reason
    # One email per coordinator, naming both memberships.
    [message] = OutboxMessage.objects.filter(to=world.coordinator.email)
    assert message.subject == (
        f"At risk: Academy A (Secondary Science Network {this.label}, Secondary Science Network {this.next_label})"
    )
    assert f"It stays active until {this.ends_on:%-d %B %Y}" in message.body_text
    assert f"{this.next_label} (Invited)" in message.body_text
    assert "accept it on the academy's behalf" in message.body_text


def test_membership_flag_after_inspection_flags_pending_applications(world, years):
    _this, next_year = years
    applied = f.MembershipFactory(year=next_year, academy=world.academy_a, status="under_review", source="application")
    at_risk.membership_flag_after_inspection(inspection=grade_4_today(world))
    applied.refresh_from_db()
    assert applied.at_risk and "not eligible under the network's policy" in applied.at_risk_reason
    assert applied.status == "under_review"  # the deciders decide; the flag only tells them


def test_membership_flag_after_inspection_twice_changes_and_sends_nothing_more(world, years):
    this, _next = years
    renewed_after_review(world, this)
    inspection = grade_4_today(world)
    at_risk.membership_flag_after_inspection(inspection=inspection)
    sent = OutboxMessage.objects.count()
    at_risk.membership_flag_after_inspection(inspection=inspection)
    assert OutboxMessage.objects.count() == sent


def test_membership_accept_refused_while_latest_inspection_makes_the_academy_ineligible(world, years):
    this, _next = years
    _current, renewal = renewed_after_review(world, this)
    grade_4_today(world)  # recorded without the signal: the rule does not depend on the flag

    with pytest.raises(ValidationError, match="makes it ineligible under the network's policy"):
        invitations.membership_accept(membership=renewal, by=world.leader_a)
    renewal.refresh_from_db()
    assert renewal.status == "invited"
    assert not InvoiceLine.objects.filter(membership=renewal).exists()


def test_membership_accept_by_a_coordinator_is_their_decision_to_keep_the_academy(world, years):
    this, _next = years
    _current, renewal = renewed_after_review(world, this)
    grade_4_today(world)
    invitations.membership_accept(membership=renewal, by=world.coordinator)
    renewal.refresh_from_db()
    assert (renewal.status, renewal.accepted_by) == ("active", world.coordinator)


def test_membership_accept_allowed_when_the_review_confirmed_renewal_knowing_the_grade(world, years):
    this, _next = years
    f.MembershipFactory(year=this, academy=world.academy_a, status="active")
    f.InspectionFactory(academy=world.academy_a, grade=3, inspection_date=this.starts_on + datetime.timedelta(days=10))
    run, _ = review_run(network=world.network, label=this.label, trigger="page", by=world.coordinator)
    [proposal] = run.proposals.filter(academy=world.academy_a)
    assert proposal.outcome == "not_eligible"
    review_decide(
        run=run,
        decisions=[
            ProposalDecision(proposal_id=proposal.pk, outcome="renew", reason="New head; strong plan.", confirm=True)
        ],
        by=world.coordinator,
    )
    renewal = Membership.objects.get(academy=world.academy_a, year__label=this.next_label)

    invitations.membership_accept(membership=renewal, by=world.leader_a)
    renewal.refresh_from_db()
    assert renewal.status == "active"


def test_membership_accept_page_says_why_and_who_decides(client, world, years):
    this, _next = years
    _current, renewal = renewed_after_review(world, this)
    grade_4_today(world)
    client.force_login(world.leader_a)
    response = client.post(reverse("network:membership_accept", args=[renewal.pk]), follow=True)
    page = html.unescape(response.content.decode())
    assert "Academy A cannot accept this invitation" in page
    assert "The network's coordinators decide" in page
    renewal.refresh_from_db()
    assert renewal.status == "invited"


D = datetime.date


@pytest.mark.parametrize(
    ("inspections", "ungraded_treatment", "barred_by"),
    [
        ([(D(2024, 1, 1), 3)], "refer", D(2024, 1, 1)),
        ([(D(2024, 1, 1), 4), (D(2025, 6, 1), 2)], "refer", None),  # a newer good inspection
        ([(D(2024, 1, 1), 2), (D(2025, 6, 1), 4)], "refer", D(2025, 6, 1)),
        ([(D(2024, 1, 1), 3), (D(2025, 6, 1), None)], "refer", None),  # ungraded latest: referred, not barred
        ([(D(2024, 1, 1), 3), (D(2025, 6, 1), None)], "previous_grade", D(2024, 1, 1)),
        ([], "refer", None),
    ],
)
def test_barring_inspection_agrees_with_the_review(inspections, ungraded_treatment, barred_by):
    rules = eligibility.Rules(ungraded_treatment=ungraded_treatment)
    facts = [eligibility.InspectionFact(date=day, grade=grade) for day, grade in inspections]
    barring = eligibility.barring_inspection(rules, facts)
    assert (barring.date if barring else None) == barred_by
    if barring:  # the review says the same: not eligible because of that grade
        assessment = eligibility.assess(rules, eligibility.Facts(inspections=tuple(facts)))
        assert assessment.outcome == "not_eligible"
        assert "A grade 3 or 4 makes a school ineligible" in " ".join(assessment.reasons)
