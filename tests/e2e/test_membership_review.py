"""The annual review in a real Chromium: a coordinator runs it, overrides one outcome
with a reason, confirms, and the renewal letters are queued in the outbox."""

import datetime

import pytest
from django.utils import timezone

from network.base.models import OutboxMessage
from network.programme.membership.models import Membership, ReviewProposal
from network.programme.membership.services import years
from tests import factories as f
from tests.e2e.conftest import axe, sign_in

pytestmark = pytest.mark.e2e


def test_coordinator_runs_the_review_overrides_one_outcome_and_confirms(page, transactional_db):
    trust = f.TrustFactory(name="Pennine Learning Trust")
    network = f.NetworkFactory(name="Secondary Science Network", slug="ssn")
    network.member_trusts.add(trust)
    f.MembershipPolicyFactory(network=network)
    label = network.membership_policy.year_containing(timezone.localdate())[0]
    year = years.membership_year_get_or_create(network=network, label=label)
    nation = f.AcademyFactory(name="Elsewhere School", trust=f.TrustFactory(name="Elsewhere Trust"))
    start = int(label[:4])
    recent = [f"{y}-{(y + 1) % 100:02d}" for y in range(start - 3, start)]
    for y in recent:
        f.PerformanceResultFactory(academy=nation, academic_year=y, percentile=50)

    ashton = f.AcademyFactory(trust=trust, name="Ashton Academy")
    colne = f.AcademyFactory(trust=trust, name="Colne Academy")
    for academy, grade, percentile in ((ashton, 1, 90), (colne, 2, 60)):
        f.PersonFactory(
            academy=academy, email=f"science@{academy.name.split()[0].lower()}.example", job_role="head_of_science"
        )
        f.InspectionFactory(academy=academy, grade=grade, inspection_date=datetime.date(start - 2, 3, 14))
        for y in recent:
            f.PerformanceResultFactory(academy=academy, academic_year=y, percentile=percentile)
        f.MembershipFactory(year=year, academy=academy)
    coordinator = f.coordinator(full_name="Priya Shah")

    sign_in(page, coordinator)
    page.goto("/membership/reviews/")
    axe(page)
    page.get_by_label("Network").select_option(label="Secondary Science Network")
    page.get_by_label("Membership year reviewed").fill(label)
    page.get_by_role("button", name="Run the review").click()
    page.wait_for_url("**/membership/reviews/*/")

    main = page.get_by_role("main")
    assert page.get_by_role("heading", level=1).inner_text() == f"Review of Secondary Science Network {label}"
    assert "The review of Secondary Science Network" in main.inner_text()
    colne_row = main.get_by_role("row").filter(has_text="Colne Academy")
    assert "Not eligible" in colne_row.inner_text()
    assert "in 0 of 3 years" in colne_row.inner_text()  # the reasons cite the data
    axe(page)

    page.get_by_label("Decision for Colne Academy").select_option("renew")
    page.get_by_role("button", name="Confirm all on this page").click()
    # Without a reason the change is refused and nothing is confirmed.
    assert page.get_by_role("alert").filter(has_text="please give a reason").is_visible()
    assert not ReviewProposal.objects.filter(confirmed_at__isnull=False).exists()

    page.get_by_label("Decision for Colne Academy").select_option("renew")
    page.get_by_label("Reason for changing the outcome for Colne Academy").fill(
        "Results were re-marked upwards on appeal; the head of science is new."
    )
    page.get_by_role("button", name="Confirm all on this page").click()
    # It asks first, without JavaScript: nothing is confirmed until the second button.
    question = page.get_by_role("alert").filter(has_text="Confirm all 2 outcomes on this page?")
    assert question.is_visible()
    axe(page)
    assert not ReviewProposal.objects.filter(confirmed_at__isnull=False).exists()
    question.get_by_role("button", name="Yes, confirm all 2").click()
    assert (
        page.get_by_role("alert")
        .filter(has_text="Saved: 2 confirmed, 1 changed with a reason, 2 letters queued.")
        .is_visible()
    )
    assert main.get_by_role("row").filter(has_text="Colne Academy").get_by_text("Confirmed").is_visible()
    axe(page)

    renewals = OutboxMessage.objects.filter(key__contains=":renewal-invitation:")
    assert sorted(renewals.values_list("to", flat=True)) == ["science@ashton.example", "science@colne.example"]
    assert Membership.objects.filter(year__label=year.next_label, status="invited").count() == 2
    colne_proposal = ReviewProposal.objects.get(academy=colne)
    assert (colne_proposal.final_outcome, colne_proposal.overridden_by) == ("renew", coordinator)
