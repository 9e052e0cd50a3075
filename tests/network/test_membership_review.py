"""The annual review: runs once, by the sweep on or after the review date (even after a
missed day), on demand by command (with a dry run), and its confirmation: overrides
with reasons, next year's memberships, and each letter queued once."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.base.models import OutboxMessage
from network.base.rules import NotAllowed
from network.programme.membership.models import (
    Membership,
    MembershipApplication,
    MembershipYear,
    ReviewProposal,
    ReviewRun,
)
from network.programme.membership.review import ProposalDecision, review_decide, review_run, review_sweep
from tests import factories as f

REVIEW_DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def ssn(db):
    """A network reviewing 2025-26: four members with different data, one eligible
    non-member, one ineligible non-member, and one primary school (not considered)."""
    trust = f.TrustFactory(name="Pennine Learning Trust", ceo_email="ceo@pennine.example")
    network = f.NetworkFactory()
    network.member_trusts.add(trust)
    f.MembershipPolicyFactory(network=network)
    year = f.MembershipYearFactory(network=network)
    other = f.AcademyFactory(name="Elsewhere School", trust=f.TrustFactory(name="Elsewhere Trust"))
    for y in ("2022-23", "2023-24", "2024-25"):
        f.PerformanceResultFactory(academy=other, academic_year=y, percentile=50)

    def academy(name, grade, percentiles=(), member=True, **kwargs):
        a = f.AcademyFactory(trust=trust, name=name, **kwargs)
        f.PersonFactory(academy=a, email=f"science@{name.split()[0].lower()}.example", job_role="head_of_science")
        if grade is not None:
            f.InspectionFactory(academy=a, grade=grade, inspection_date=datetime.date(2023, 3, 14))
        for y, p in zip(("2022-23", "2023-24", "2024-25"), percentiles, strict=False):
            f.PerformanceResultFactory(academy=a, academic_year=y, percentile=p)
        if member:
            f.MembershipFactory(year=year, academy=a)
        return a

    return {
        "network": network,
        "year": year,
        "outstanding": academy("Ashton Academy", 1),
        "slipping": academy("Burnley Academy", 2, (80, 85, 60)),
        "weak": academy("Colne Academy", 2, (60, 60, 60)),
        "unknown": academy("Darwen Academy", None),
        "candidate": academy("Eccles Academy", 2, (90, 90, 90), member=False),
        "ineligible": academy("Fleetwood Academy", 3, member=False),
        "primary": academy("Garstang Primary", 1, member=False, phase="primary"),
    }


def outcomes(run):
    return dict(run.proposals.values_list("academy__name", "outcome"))


def test_review_proposes_an_outcome_for_members_and_invites_eligible_non_members(ssn):
    run, created = review_run(network=ssn["network"], label="2025-26", trigger="command", today=REVIEW_DAY)

    assert created
    assert outcomes(run) == {
        "Ashton Academy": "renew",
        "Burnley Academy": "at_risk",
        "Colne Academy": "not_eligible",
        "Darwen Academy": "refer",
        "Eccles Academy": "invite",
    }
    assert run.data_as_of == REVIEW_DAY
    assert not Membership.objects.filter(year__label="2026-27").exists()  # proposals only
    assert not OutboxMessage.objects.exists()


def test_review_runs_once_per_network_and_year(ssn):
    first, created = review_run(network=ssn["network"], label="2025-26", trigger="page", today=REVIEW_DAY)
    again, created_again = review_run(network=ssn["network"], label="2025-26", trigger="command")

    assert (created, created_again) == (True, False)
    assert again == first
    assert ReviewRun.objects.count() == 1
    assert ReviewProposal.objects.count() == 5


def test_prerequisite_network_limits_who_is_renewed_and_invited(ssn):
    wider = f.NetworkFactory(name="Wider Secondary Network", slug="wider")
    wider_year = f.MembershipYearFactory(network=wider)
    f.MembershipFactory(year=wider_year, academy=ssn["outstanding"])
    policy = ssn["network"].membership_policy
    policy.prerequisite_network = wider
    policy.save()

    run, _ = review_run(network=ssn["network"], label="2025-26", trigger="command", today=REVIEW_DAY)

    assert outcomes(run)["Ashton Academy"] == "renew"
    assert outcomes(run)["Burnley Academy"] == "not_eligible"
    assert "Eccles Academy" not in outcomes(run)  # not a member of the wider network: not invited
    reasons = run.proposals.get(academy=ssn["slipping"]).reasons
    assert reasons == ["Not an active member of Wider Secondary Network, which this network requires."]


def test_review_queries_do_not_grow_with_the_academies_or_their_history(ssn):
    """Issue 14: the review reads each kind of fact once for every academy, so ten more
    members and candidates, each with years of inspections and results, cost no query."""

    def review_queries() -> int:
        ReviewRun.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            review_run(network=ssn["network"], label="2025-26", trigger="command", today=REVIEW_DAY)
        return len(ctx.captured_queries)

    few = review_queries()
    trust = ssn["outstanding"].trust
    for n in range(10):
        academy = f.AcademyFactory(trust=trust, name=f"Extra Academy {n}")
        for year in range(2015, 2025):
            f.InspectionFactory(academy=academy, grade=2, inspection_date=datetime.date(year, 3, 14))
        for label in ("2019-20", "2020-21", "2021-22", "2022-23", "2023-24", "2024-25"):
            f.PerformanceResultFactory(academy=academy, academic_year=label, percentile=70)
        if n % 2:
            f.MembershipFactory(year=ssn["year"], academy=academy)

    many = review_queries()

    assert many == few
    proposed = set(ReviewRun.objects.get().proposals.values_list("academy__name", flat=True))
    assert {f"Extra Academy {n}" for n in (1, 3, 5, 7, 9)} <= proposed  # the five new members


# -- The sweep ------------------------------------------------------------------------


def test_sweep_waits_for_the_review_date(ssn):
    assert review_sweep(today=datetime.date(2026, 2, 28)) == []
    assert not ReviewRun.objects.exists()


def test_sweep_runs_on_the_review_date_and_never_twice(ssn):
    runs = review_sweep(today=datetime.date(2026, 3, 1))
    assert [(r.network, r.year.label, r.trigger) for r in runs] == [(ssn["network"], "2025-26", "sweep")]
    assert review_sweep(today=datetime.date(2026, 3, 1)) == []
    assert review_sweep(today=datetime.date(2026, 3, 2)) == []
    assert ReviewRun.objects.count() == 1


def test_sweep_after_a_missed_review_date_runs_on_the_next_sweep(ssn):
    # The worker was down from 28 February to 9 March.
    runs = review_sweep(today=datetime.date(2026, 3, 10))
    assert len(runs) == 1 and runs[0].data_as_of == datetime.date(2026, 3, 10)


def test_sweep_skips_networks_that_review_by_hand(ssn):
    ssn["network"].membership_policy.__class__.objects.update(review_automatically=False)
    assert review_sweep(today=datetime.date(2026, 3, 10)) == []


def test_sweep_after_the_year_ends_waits_for_next_years_review_date(ssn):
    assert review_sweep(today=datetime.date(2026, 4, 2)) == []  # 2026-27's review is on 1 March 2027
    runs = review_sweep(today=datetime.date(2027, 3, 1))
    assert [r.year.label for r in runs] == ["2026-27"]
    assert MembershipYear.objects.get(label="2026-27").review_on == datetime.date(2027, 3, 1)


def test_sweep_task_is_named_and_runs_the_sweep(ssn, monkeypatch):
    from network.programme.membership import tasks

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: datetime.date(2026, 3, 5))
    assert tasks.sweep_annual_reviews.name == "network.sweep_annual_reviews"
    assert len(tasks.sweep_annual_reviews.delay().get()) == 1
    assert tasks.sweep_annual_reviews.delay().get() == []


# -- The command ------------------------------------------------------------------------


def test_dry_run_prints_outcomes_and_writes_nothing(ssn):
    MembershipYear.objects.filter(label="2026-27").delete()
    out = io.StringIO()
    call_command("run_annual_review", "--network", "ssn", "--year", "2025-26", "--dry-run", stdout=out)
    text = out.getvalue()

    assert not ReviewRun.objects.exists()
    assert "Dry run of the Secondary Science Network review of 2025-26: nothing is saved." in text
    assert "Colne Academy (URN" in text and "): Not eligible" in text
    assert (
        "  - Progress 8 at or above the 75th percentile in 0 of 3 years with a score (2024-25: Progress 8 +0.25, "
        "60th percentile, 2023-24: Progress 8 +0.25, 60th percentile, 2022-23: Progress 8 +0.25, 60th percentile); "
        "the policy needs 2 of the last 3: does not meet it." in text
    )
    assert "  - Latest inspection on 14/03/2023: grade 2 (Good)." in text
    assert text.rstrip().endswith(
        "Summary: Renew, at risk: 1, Invite: 1, Not eligible: 1, Refer to steering group: 1, Renew: 1"
    )


def test_command_runs_the_review_once_and_prints_json(ssn):
    out = io.StringIO()
    call_command("run_annual_review", "--network", "ssn", "--year", "2025-26", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["created"], data["dry_run"], len(data["proposals"])) == (True, False, 5)
    ashton = next(p for p in data["proposals"] if p["academy"] == "Ashton Academy")
    assert ashton["outcome"] == "renew"
    assert ashton["evidence"]["inspection"] == {
        "date": "2023-03-14",
        "grade": 1,
        "judgement": "Outstanding",
        "outcome_text": "",
        "report_card": {},
        "source": "manual",
    }

    out = io.StringIO()
    call_command("run_annual_review", "--network", "ssn", "--year", "2025-26", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["created"] is False
    assert ReviewRun.objects.count() == 1


def test_command_refuses_an_unknown_network_or_year(ssn):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No network"):
        call_command("run_annual_review", "--network", "nope", "--year", "2025-26")
    with pytest.raises(CommandError, match="not a year like 2025-26"):
        call_command("run_annual_review", "--network", "ssn", "--year", "2025-2026")


# -- Confirming -------------------------------------------------------------------------


@pytest.fixture
def run(ssn):
    run, _ = review_run(network=ssn["network"], label="2025-26", trigger="page", today=REVIEW_DAY)
    return run


def proposal(run, academy):
    return run.proposals.get(academy=academy)


def test_an_override_needs_a_reason_and_nothing_is_saved_without_it(ssn, run):
    coordinator = f.coordinator()
    decisions = [
        ProposalDecision(proposal_id=proposal(run, ssn["outstanding"]).pk, confirm=True),
        ProposalDecision(proposal_id=proposal(run, ssn["weak"]).pk, outcome="renew", confirm=True),
    ]
    with pytest.raises(ValidationError) as error:
        review_decide(run=run, decisions=decisions, by=coordinator)

    assert error.value.messages == ["Colne Academy: please give a reason for changing the outcome to “Renew”."]
    assert not run.proposals.filter(confirmed_at__isnull=False).exists()
    assert not Membership.objects.filter(year__label="2026-27").exists()


def test_confirming_creates_next_years_memberships_and_queues_each_letter_once(ssn, run):
    coordinator = f.coordinator()
    decisions = [
        ProposalDecision(proposal_id=p.pk, confirm=True) for p in run.proposals.exclude(academy=ssn["weak"])
    ] + [
        ProposalDecision(
            proposal_id=proposal(run, ssn["weak"]).pk,
            outcome="renew",
            reason="New head of science; results re-marked upwards on appeal.",
            confirm=True,
        )
    ]
    result = review_decide(run=run, decisions=decisions, by=coordinator)

    assert (result.confirmed, result.overridden, result.letters) == (5, 1, 5)
    following = dict(Membership.objects.filter(year__label="2026-27").values_list("academy__name", "status"))
    assert following == {
        "Ashton Academy": "invited",
        "Burnley Academy": "invited",
        "Colne Academy": "invited",
        "Darwen Academy": "under_review",
        "Eccles Academy": "invited",
    }
    burnley = Membership.objects.get(year__label="2026-27", academy=ssn["slipping"])
    assert burnley.at_risk and "2024-25 was not at or above the 75th percentile" in burnley.at_risk_reason
    weak = proposal(run, ssn["weak"])
    assert (weak.final_outcome, weak.overridden_by, weak.override_reason) == (
        "renew",
        coordinator,
        "New head of science; results re-marked upwards on appeal.",
    )
    letters = dict(OutboxMessage.objects.values_list("to", "subject"))
    assert (
        letters["science@ashton.example"]
        == "Renew Ashton Academy's membership of Secondary Science Network for 2026-27"
    )
    assert (
        letters["science@eccles.example"] == "Eccles Academy is invited to join Secondary Science Network for 2026-27"
    )
    assert letters["science@darwen.example"].endswith("goes to the steering group")
    renewal = OutboxMessage.objects.get(to="science@colne.example")
    assert "The network's decision: New head of science; results re-marked upwards on appeal." in renewal.body_text
    referral = MembershipApplication.objects.get(membership__academy=ssn["unknown"])
    assert (referral.source, referral.is_referred, referral.decision) == ("review", True, "pending")

    # A second confirmation (a double click, a retry) changes nothing and sends nothing.
    again = review_decide(run=run, decisions=decisions, by=coordinator)
    assert (again.confirmed, again.letters) == (0, 0)
    assert OutboxMessage.objects.count() == 5


def test_not_eligible_member_gets_a_decision_letter_and_stays_to_the_end_of_the_year(ssn, run):
    review_decide(
        run=run,
        decisions=[ProposalDecision(proposal_id=proposal(run, ssn["weak"]).pk, confirm=True)],
        by=f.coordinator(),
    )
    assert Membership.objects.get(year__label="2026-27", academy=ssn["weak"]).status == "not_renewed"
    assert Membership.objects.get(year__label="2025-26", academy=ssn["weak"]).status == "active"
    letter = OutboxMessage.objects.get(to="science@colne.example")
    assert "will not be renewed for 2026-27. The current membership continues until 31 March 2026." in letter.body_text
    assert "in 0 of 3 years" in letter.body_text


def test_a_confirmed_proposal_cannot_be_changed(ssn, run):
    coordinator = f.coordinator()
    p = proposal(run, ssn["outstanding"])
    review_decide(run=run, decisions=[ProposalDecision(proposal_id=p.pk, confirm=True)], by=coordinator)
    with pytest.raises(ValidationError, match="already confirmed"):
        review_decide(
            run=run,
            decisions=[ProposalDecision(proposal_id=p.pk, outcome="not_eligible", reason="Changed our mind")],
            by=coordinator,
        )


def test_override_without_confirming_is_saved_with_who_and_when(ssn, run):
    coordinator = f.coordinator()
    p = proposal(run, ssn["unknown"])
    result = review_decide(
        run=run,
        decisions=[ProposalDecision(proposal_id=p.pk, outcome="not_eligible", reason="Closed in the summer")],
        by=coordinator,
    )
    p.refresh_from_db()
    assert (result.overridden, result.confirmed) == (1, 0)
    assert (p.override_outcome, p.overridden_by, p.is_confirmed) == ("not_eligible", coordinator, False)
    assert p.overridden_at is not None


def test_override_must_suit_membership(ssn, run):
    with pytest.raises(ValidationError, match="is a member: choose renew rather than invite"):
        review_decide(
            run=run,
            decisions=[ProposalDecision(proposal_id=proposal(run, ssn["weak"]).pk, outcome="invite", reason="x")],
            by=f.coordinator(),
        )


def test_only_coordinators_confirm(ssn, run):
    with pytest.raises(NotAllowed, match="Only coordinators"):
        review_decide(
            run=run,
            decisions=[ProposalDecision(proposal_id=proposal(run, ssn["outstanding"]).pk, confirm=True)],
            by=f.trust_executive(ssn["outstanding"].trust),
        )


def test_invite_outcome_overridden_to_not_eligible_creates_nothing(ssn, run):
    review_decide(
        run=run,
        decisions=[
            ProposalDecision(
                proposal_id=proposal(run, ssn["candidate"]).pk,
                outcome="not_eligible",
                reason="Trust asked us to wait",
                confirm=True,
            )
        ],
        by=f.coordinator(),
    )
    assert not Membership.objects.filter(academy=ssn["candidate"]).exists()
    assert not OutboxMessage.objects.exists()


def test_growth_target_uses_members_per_year(ssn, run):
    from network.programme.membership.selectors import growth

    coordinator = f.coordinator()
    review_decide(
        run=run,
        decisions=[ProposalDecision(proposal_id=p.pk, confirm=True) for p in run.proposals.all()],
        by=coordinator,
    )
    Membership.objects.filter(year__label="2026-27", status="invited").update(status="active")
    rows, target = growth(coordinator, ssn["network"])
    assert target == Decimal("20.00")
    assert [(r["year"].label, r["members"], r.get("target"), r.get("met")) for r in rows] == [
        ("2025-26", 4, None, None),
        ("2026-27", 3, 5, False),  # Ashton, Burnley, Eccles; 4 × 1.2 = 4.8, so 5 needed
    ]
