"""Report cards through the real review (database, the network's policy as
coordinators set it in the admin): the outcome, and reasons that quote the card."""

import datetime

import pytest
from django.urls import reverse

from network.programme.membership.models import MembershipPolicy, ReviewProposal
from network.programme.membership.review import review_run
from tests import factories as f
from trusts import report_cards

CARD_DAY = datetime.date(2025, 12, 3)
CORE = report_cards.AREAS[:6]  # the six areas every school is graded in


def card(safeguarding="Met", **grades):
    values = dict.fromkeys(CORE, "Expected standard")
    values.update({area.replace("_", " ").capitalize(): grade for area, grade in grades.items()})
    values["Safeguarding"] = safeguarding
    return values


# id, card, policy fields, Progress 8 percentiles (2022-23 … 2024-25), outcome, phrase in the reasons
CASES = [
    ("meets, strong results", card(), {}, (80, 85, 90), "renew",
     "Safeguarding met and no area below expected standard, with strong standard or better in 0 of 6 areas (the "
     "policy needs none): performance decides, as for a grade 2 (Good)."),
    ("meets, weak results", card(), {}, (60, 60, 60), "not_eligible", "in 0 of 3 years"),
    ("needs attention", card(achievement="Needs attention"), {}, (80, 85, 90), "refer",
     "Needs attention in Achievement, so the report card falls short of the policy: referred to the steering group."),
    ("urgent improvement", card(inclusion="Urgent improvement"), {}, (80, 85, 90), "not_eligible",
     "Urgent improvement in Inclusion: under the network's policy this counts as a grade 4 did, so the school is not "
     "eligible to renew."),
    ("safeguarding not met", card(safeguarding="Not met"), {}, (80, 85, 90), "not_eligible",
     "Safeguarding not met: under the network's policy this counts as a grade 4 did"),
    ("policy wants two strong areas", card(inclusion="Strong standard"), {"report_card_strong_areas": 2},
     (80, 85, 90), "refer", "strong standard or better in 1 of 6 areas (the policy needs 2)"),
    ("policy: eligible on the card alone", card(), {"report_card_needs_performance": False}, (), "renew",
     "eligible on its report card, as the policy says."),
    ("policy: needs attention is not eligible", card(achievement="Needs attention"),
     {"report_card_shortfall_treatment": "not_eligible"}, (80, 85, 90), "not_eligible", "not eligible under the policy"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "values", "policy", "percentiles", "expected", "phrase"), CASES, ids=[c[0] for c in CASES]
)
def test_report_card_review_table(db, case, values, policy, percentiles, expected, phrase):
    trust = f.TrustFactory(name="Trust A")
    network = f.NetworkFactory()
    network.member_trusts.add(trust)
    f.MembershipPolicyFactory(network=network, **policy)
    academy = f.AcademyFactory(trust=trust, name="Case Academy")
    f.MembershipFactory(year=f.MembershipYearFactory(network=network), academy=academy)
    f.InspectionFactory(academy=academy, inspection_date=datetime.date(2021, 6, 1), grade=1)
    f.InspectionFactory(
        academy=academy, inspection_date=CARD_DAY, grade=None, outcome_text="Report card", report_card=values
    )
    for year, percentile in zip(("2022-23", "2023-24", "2024-25"), percentiles, strict=False):
        f.PerformanceResultFactory(academy=academy, academic_year=year, percentile=percentile)
    if not percentiles:  # national data exists, this school has none
        f.PerformanceResultFactory(academic_year="2024-25", percentile=50)

    run, _ = review_run(network=network, label="2025-26", trigger="command", today=datetime.date(2026, 3, 2))

    proposal = ReviewProposal.objects.get(run=run, academy=academy)
    assert proposal.outcome == expected, proposal.reasons
    assert phrase in " ".join(proposal.reasons), proposal.reasons
    quoted = proposal.reasons[0]
    assert quoted.startswith("Latest inspection on 03/12/2025: report card – Inclusion: ")
    assert all(f"{area}: {grade}" in quoted for area, grade in values.items() if area != "Safeguarding")
    assert f"safeguarding: {values['Safeguarding']}" in quoted
    assert proposal.evidence["inspection"]["report_card"] == values


def test_coordinators_set_the_report_card_mapping_and_fallback_in_the_admin(client, world):
    policy = f.MembershipPolicyFactory(network=world.network)
    client.force_login(world.coordinator)
    url = reverse("admin:network_membershippolicy_change", args=[policy.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    for name in (
        "fallback_measure",
        "report_card_strong_areas",
        "report_card_shortfall_treatment",
        "report_card_needs_performance",
    ):
        assert name in form.fields, name
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        network=world.network.pk,
        fallback_measure="attainment8",
        report_card_strong_areas=1,
        report_card_shortfall_treatment="not_eligible",
        report_card_needs_performance="",  # unticked
    )
    data.pop("prerequisite_network", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    policy.refresh_from_db()
    assert (
        policy.fallback_measure,
        policy.report_card_strong_areas,
        policy.report_card_shortfall_treatment,
        policy.report_card_needs_performance,
    ) == ("attainment8", 1, "not_eligible", False)


def test_policy_defaults_are_the_documented_ones(db):
    policy = MembershipPolicy(network=f.NetworkFactory())
    assert (
        policy.fallback_measure,
        policy.report_card_strong_areas,
        policy.report_card_shortfall_treatment,
        policy.report_card_needs_performance,
    ) == ("none", 0, "refer", True)
