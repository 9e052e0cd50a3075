"""The membership pages as each role uses them, and a query-count (N+1) test on every
list page."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from network.base.models import OutboxMessage
from network.programme.membership.models import (
    InvoiceLine,
    Membership,
    MembershipApplication,
    ReviewProposal,
    ReviewRun,
)
from network.programme.membership.review import ProposalDecision, review_decide, review_run
from network.programme.membership.services import invoices, years
from tests import factories as f
from tests.network import membership_helpers as mh


@pytest.fixture
def year(world):
    f.MembershipPolicyFactory(network=world.network)
    label = world.network.membership_policy.year_containing(timezone.localdate())[0]
    return years.membership_year_get_or_create(network=world.network, label=label)


def member(year, academy=None, **kwargs):
    return f.MembershipFactory(
        year=year, academy=academy or f.AcademyFactory(trust=year.network.member_trusts.first()), **kwargs
    )


# -- Who sees what ---------------------------------------------------------------------


def test_membership_list_is_scoped_and_filtered(client, world, year):
    member(year, world.academy_a)
    member(year, world.academy_b, status="invited")
    url = reverse("network:membership_list")

    client.force_login(world.executive_a)
    page = client.get(url).content.decode()
    assert "Academy A" in page and "Academy B" not in page

    client.force_login(world.coordinator)
    assert "Academy B" in client.get(url).content.decode()
    filtered = client.get(url, {"status": "invited", "year": year.label}).context["page"].object_list
    assert [m.academy for m in filtered] == [world.academy_b]
    assert [m.academy for m in client.get(url, {"trust": world.trust_a.pk}).context["page"].object_list] == [
        world.academy_a
    ]


def test_executives_see_confirmed_outcomes_and_reasons_of_their_academies_only(client, world, year):
    member(year, world.academy_a)
    member(year, world.academy_b)
    f.InspectionFactory(academy=world.academy_a, grade=1)
    run, _ = review_run(network=world.network, label=year.label, trigger="page")
    client.force_login(world.executive_a)
    assert (
        list(client.get(reverse("network:membership_outcomes")).context["page"].object_list) == []
    )  # not yet confirmed

    review_decide(
        run=run,
        decisions=[ProposalDecision(proposal_id=p.pk, confirm=True) for p in run.proposals.all()],
        by=world.coordinator,
    )
    page = client.get(reverse("network:membership_outcomes")).content.decode()
    assert "Academy A" in page and "Academy B" not in page
    assert "Grade 1 (Outstanding) is eligible on its own." in page


def test_leader_sees_their_academys_status_and_accepts_the_invitation(client, world, year):
    membership = member(year, world.academy_a, status="invited")
    client.force_login(world.leader_a)
    page = client.get(reverse("network:membership_academy", args=[world.academy_a.urn])).content.decode()
    assert f"Accept the invitation for {year.label}" in page

    response = client.post(reverse("network:membership_accept", args=[membership.pk]), follow=True)
    membership.refresh_from_db()
    assert membership.status == "active"
    assert f"Academy A is a member for {year.label}. Welcome!" in response.content.decode()
    assert InvoiceLine.objects.filter(membership=membership).count() == 1


def test_a_leader_cannot_accept_another_academys_invitation(client, world, year):
    membership = member(year, world.academy_b, status="invited")
    client.force_login(world.leader_a)
    assert client.post(reverse("network:membership_accept", args=[membership.pk])).status_code == 404
    membership.refresh_from_db()
    assert membership.status == "invited"


def test_leader_applies_with_evidence_and_the_steering_group_decides(client, world, year):
    client.force_login(world.leader_a)
    response = client.post(
        reverse("network:membership_apply"),
        {
            "academy": world.academy_a.pk,
            "network": world.network.pk,
            "year": year.label,
            "evidence_text": "Three years of rising results.",
            "files": [SimpleUploadedFile("plan.docx", b"PK\x03\x04 plan")],
        },
    )
    application = MembershipApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("network:membership_application_detail", args=[application.pk])
    assert application.is_referred  # no inspection on record: the data cannot decide

    client.force_login(world.steering)
    assert [a.pk for a in client.get(reverse("network:steering_referrals")).context["page"].object_list] == [
        application.pk
    ]
    evidence = application.evidence_files.get()
    download = client.get(reverse("network:membership_evidence_download", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == b"PK\x03\x04 plan"
    assert 'attachment; filename="plan.docx"' in download["Content-Disposition"]

    detail = reverse("network:membership_application_detail", args=[application.pk])
    assert "Record the decision" in client.get(detail).content.decode()
    bad = client.post(reverse("network:membership_application_decide", args=[application.pk]), {"decision": "approve"})
    assert bad.status_code == 400
    client.post(
        reverse("network:membership_application_decide", args=[application.pk]),
        {"decision": "approve", "reason": "Convincing plan for practical science."},
    )
    application.refresh_from_db()
    assert (application.decision, application.decided_by) == ("approved", world.steering)
    assert application.membership.status == "active"


def test_steering_group_does_not_see_applications_that_were_not_referred(client, world):
    evidence = mh.b_evidence(world, referred=False)
    application = evidence.application
    client.force_login(world.steering)
    assert client.get(reverse("network:membership_application_detail", args=[application.pk])).status_code == 404
    assert client.get(reverse("network:membership_evidence_download", args=[evidence.pk])).status_code == 404


def test_own_trust_application_is_visible_to_its_leader_and_executive(client, world, year):
    membership = member(year, world.academy_a, status="applied")
    application = MembershipApplication.objects.create(membership=membership, source="application", meets_criteria=True)
    for user in (world.leader_a, world.executive_a):
        client.force_login(user)
        page = client.get(reverse("network:membership_application_detail", args=[application.pk]))
        assert page.status_code == 200
        assert "Record the decision" not in page.content.decode()  # they cannot decide their own


# -- The coordinator's review pages ---------------------------------------------------------


def test_coordinator_runs_the_review_overrides_with_a_reason_and_confirms(client, world, year):
    member(year, world.academy_a)
    member(year, world.academy_b)
    f.InspectionFactory(academy=world.academy_a, grade=1)
    f.InspectionFactory(academy=world.academy_b, grade=4)
    client.force_login(world.coordinator)

    response = client.post(
        reverse("network:membership_review_start"), {"network": world.network.pk, "year": year.label}
    )
    run = ReviewRun.objects.get()
    assert response["Location"] == reverse("network:membership_review_detail", args=[run.pk])
    again = client.post(
        reverse("network:membership_review_start"), {"network": world.network.pk, "year": year.label}, follow=True
    )
    assert "had already run" in again.content.decode()

    detail = reverse("network:membership_review_detail", args=[run.pk])
    page = client.get(detail)
    rows = {p.academy.name: (p, form) for p, form in page.context["rows"]}
    proposal_b = rows["Academy B"][0]
    assert proposal_b.outcome == "not_eligible"
    shown = page.content.decode()
    assert "0 of 2 proposals confirmed." in shown and ">All (2)</a>" in shown
    assert ">Not eligible (1)</a>" in shown and ">Refer to steering group (0)</a>" in shown
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-proposal": str(rows["Academy A"][0].pk),
        "form-0-outcome": "",
        "form-0-reason": "",
        "form-1-proposal": str(proposal_b.pk),
        "form-1-outcome": "refer",
        "form-1-reason": "",
        "action": "all",
    }
    refused = client.post(detail, data, follow=True)
    assert (
        "Academy B: please give a reason for changing the outcome to “Refer to steering group”."
        in refused.content.decode()
    )
    assert not ReviewProposal.objects.filter(confirmed_at__isnull=False).exists()

    data["form-1-reason"] = "New leadership since the inspection; let the steering group look."
    asked = client.post(detail, data)  # "confirm all on this page" asks first
    assert "Confirm all 2 outcomes on this page?" in asked.content.decode()
    assert "1 × Refer to steering group" in asked.content.decode()
    assert not ReviewProposal.objects.filter(confirmed_at__isnull=False).exists()
    assert not OutboxMessage.objects.exists()
    back = client.post(detail, {**data, "action": "back"})
    assert data["form-1-reason"] in back.content.decode()  # what was typed is kept
    assert not ReviewProposal.objects.filter(confirmed_at__isnull=False).exists()
    done = client.post(detail, {**data, "action": "all-confirmed"}, follow=True)
    assert "Saved: 2 confirmed, 1 changed with a reason, 2 letters queued." in done.content.decode()
    proposal_b.refresh_from_db()
    assert (proposal_b.final_outcome, proposal_b.confirmed_by) == ("refer", world.coordinator)
    # A renewal invitation to A's head of science, a letter to B's, and the steering group told.
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == sorted(
        [world.person_a.email, world.person_b.email, world.steering.email]
    )
    assert Membership.objects.get(academy=world.academy_b, year__label=year.next_label).status == "under_review"
    assert "Confirmed" in done.content.decode()
    # The counts follow a coordinator's change, and the confirmations.
    shown = done.content.decode()
    assert "2 of 2 proposals confirmed." in shown and ">All (2)</a>" in shown
    assert ">Not eligible (0)</a>" in shown and ">Refer to steering group (1)</a>" in shown


def test_review_table_shows_each_decision_and_saves_the_ticked_rows(client, world, year):
    """The table's controls (written by {% review_controls %}): labelled for their academy,
    a change made earlier selected with its reason; ticked rows saved, the rest kept;
    a bound formset with an error shown again with what was typed, nothing saved."""
    member(year, world.academy_a)
    member(year, world.academy_b)
    f.InspectionFactory(academy=world.academy_a, grade=1)
    f.InspectionFactory(academy=world.academy_b, grade=4)
    run, _ = review_run(network=world.network, label=year.label, trigger="page")
    a, b = (run.proposals.get(academy=academy) for academy in (world.academy_a, world.academy_b))
    reason_b = "New head & <team>"
    review_decide(
        run=run, decisions=[ProposalDecision(proposal_id=b.pk, outcome="refer", reason=reason_b)], by=world.coordinator
    )
    client.force_login(world.coordinator)
    detail = reverse("network:membership_review_detail", args=[run.pk])

    html = client.get(detail).content.decode()
    assertInHTML(f'<input type="hidden" name="form-0-proposal" value="{a.pk}" id="id_form-0-proposal">', html)
    assertInHTML('<label class="visually-hidden" for="id_form-0-outcome">Decision for Academy A</label>', html)
    assertInHTML('<option value="refer" selected>Refer to steering group</option>', html, count=1)  # B's
    assertInHTML(
        '<label class="visually-hidden" for="id_form-1-reason">Reason for changing the outcome for Academy B</label>',
        html,
    )
    assertInHTML(
        '<input type="text" name="form-1-reason" id="id_form-1-reason" maxlength="1000"'
        ' class="form-control form-control-sm review-reason" value="New head &amp; &lt;team&gt;">',
        html,
    )
    assertInHTML('<input class="form-check-input" type="checkbox" name="form-1-confirm" id="id_form-1-confirm">', html)
    assert "Changed by" in html

    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-proposal": str(a.pk),
        "form-0-outcome": "at_risk",
        "form-0-reason": "Typed & kept",
        "form-0-confirm": "on",
        "form-1-proposal": str(b.pk),
        "form-1-outcome": "refer",
        "form-1-reason": reason_b,
        "action": "selected",
    }
    forged = client.post(detail, {**data, "form-1-outcome": "bogus"})
    assert forged.status_code == 200
    assertInHTML(
        '<input type="text" name="form-0-reason" id="id_form-0-reason" maxlength="1000"'
        ' class="form-control form-control-sm review-reason" value="Typed &amp; kept">',
        forged.content.decode(),
    )
    assertInHTML(
        '<input class="form-check-input" type="checkbox" name="form-0-confirm" id="id_form-0-confirm" checked>',
        forged.content.decode(),
    )
    assert not ReviewProposal.objects.filter(confirmed_at__isnull=False).exists()

    saved = client.post(detail, data, follow=True).content.decode()
    assert "Saved: 1 confirmed, 1 changed with a reason" in saved
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.final_outcome, a.override_reason, a.is_confirmed) == ("at_risk", "Typed & kept", True)
    assert (b.final_outcome, b.override_reason, b.is_confirmed) == ("refer", reason_b, False)
    # A is final now, shown without controls; B, still open, is the only form.
    assertInHTML('<label class="visually-hidden" for="id_form-0-outcome">Decision for Academy B</label>', saved)
    assert not re.search(rf'name="form-\d+-proposal" value="{a.pk}"', saved)


def test_invite_page_lists_academies_that_meet_the_criteria_and_invites_them(client, world, year):
    f.InspectionFactory(academy=world.academy_a, grade=1)
    f.InspectionFactory(academy=world.academy_b, grade=3)
    client.force_login(world.coordinator)
    url = reverse("network:membership_invite") + f"?network={world.network.pk}&year={year.label}"
    candidates = client.get(url).context["candidates"]
    assert [a for a, _ in candidates] == [world.academy_a]

    client.post(url, {"academy": [world.academy_a.pk, world.academy_b.pk]})
    assert list(Membership.objects.values_list("academy__name", "status")) == [("Academy A", "invited")]


def test_invoice_lines_export_as_csv_for_finance(client, world, year):
    membership = member(year, world.academy_a)
    invoices.fee_line_add(membership=membership, by=world.coordinator)
    invoices.invoice_line_add(membership=membership, description="Extra visit", net_amount=250, by=world.coordinator)
    client.force_login(world.coordinator)
    response = client.get(reverse("network:membership_invoices_csv"), {"year": year.label})
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        lines[0] == "Line,Date,Network,Year,URN,Academy,Trust,Kind,Description,Net (£),VAT rate (%),VAT (£),Gross (£)"
    )
    assert lines[1].endswith(
        f",Secondary Science Network,{year.label},{world.academy_a.urn},Academy A,Trust A,Membership fee,"
        f"Secondary Science Network membership {year.label},1600.00,20.00,320.00,1920.00"
    )
    assert lines[2].endswith(",Extra charge,Extra visit,250.00,20.00,50.00,300.00")


def test_steering_home_lists_open_referrals(client, world):
    application = mh.b_application(world)
    client.force_login(world.steering)
    page = client.get(reverse("network:home")).content.decode()
    assert "Awaiting a decision (1)" in page
    assert reverse("network:membership_application_detail", args=[application.pk]) in page


# -- N+1: the query count of each list page does not grow with its rows ---------------------


def _grow_memberships(year, n=3):
    def grow():
        for _ in range(n):
            academy = f.AcademyFactory(trust=year.network.member_trusts.first())
            membership = member(year, academy, at_risk=True, at_risk_reason="Grade 3")
            MembershipApplication.objects.create(
                membership=membership, source="application", meets_criteria=False, referred_at=timezone.now()
            )
            invoices.fee_line_add(membership=membership, by=None)

    return grow


def test_membership_list_query_count(world, year, assert_no_n_plus_one):
    _grow_memberships(year, 1)()
    assert_no_n_plus_one(reverse("network:membership_list"), _grow_memberships(year), user=world.coordinator)


def test_membership_academy_page_query_count(world, year, assert_no_n_plus_one):
    member(year, world.academy_a)

    def grow():
        for label in ("2021-22", "2022-23", "2023-24"):
            older = years.membership_year_get_or_create(network=world.network, label=label)
            m = member(older, world.academy_a, status="not_renewed")
            MembershipApplication.objects.create(membership=m, source="review", meets_criteria=False)

    assert_no_n_plus_one(reverse("network:membership_academy", args=[world.academy_a.urn]), grow, user=world.leader_a)


def _confirmed_run(world, year):
    run, _ = review_run(network=world.network, label=year.label, trigger="page")
    review_decide(
        run=run,
        decisions=[ProposalDecision(proposal_id=p.pk, confirm=True) for p in run.proposals.all()],
        by=world.coordinator,
    )
    return run


def test_outcomes_query_count(world, year, assert_no_n_plus_one):
    member(year, world.academy_a)
    _confirmed_run(world, year)

    def grow():
        older = [
            years.membership_year_get_or_create(network=world.network, label=label)
            for label in ("2021-22", "2022-23", "2023-24")
        ]
        for y in older:
            member(y, world.academy_a)
        for y in older:
            _confirmed_run(world, y)

    assert_no_n_plus_one(reverse("network:membership_outcomes"), grow, user=world.executive_a)


def test_referrals_and_steering_home_query_count(world, year, assert_no_n_plus_one):
    _grow_memberships(year, 1)()
    assert_no_n_plus_one(reverse("network:steering_referrals"), _grow_memberships(year), user=world.steering)
    assert_no_n_plus_one(reverse("network:home"), _grow_memberships(year), user=world.steering)


def test_review_pages_query_count(world, year, assert_no_n_plus_one):
    member(year, world.academy_a)
    run, _ = review_run(network=world.network, label=year.label, trigger="page")

    def grow_proposals():
        for _ in range(3):
            academy = f.AcademyFactory(trust=world.trust_a)
            ReviewProposal.objects.create(
                run=run, academy=academy, trust=world.trust_a, outcome="invite", reasons=["x"]
            )
        confirmed = ReviewProposal.objects.create(
            run=run, academy=f.AcademyFactory(trust=world.trust_a), outcome="renew", reasons=["y"],
            override_outcome="refer", override_reason="z", overridden_by=world.coordinator,
            confirmed_by=world.coordinator, confirmed_at=timezone.now(),
        )  # fmt: skip
        assert confirmed.is_confirmed

    assert_no_n_plus_one(
        reverse("network:membership_review_detail", args=[run.pk]), grow_proposals, user=world.coordinator
    )

    def grow_runs():
        for label in ("2021-22", "2022-23", "2023-24"):
            review_run(network=world.network, label=label, trigger="page", by=world.coordinator)

    assert_no_n_plus_one(reverse("network:membership_reviews"), grow_runs, user=world.coordinator)


def test_growth_invite_and_invoices_query_count(world, year, assert_no_n_plus_one):
    member(year, world.academy_a)

    def grow_years():
        for label in ("2021-22", "2022-23", "2023-24"):
            older = years.membership_year_get_or_create(network=world.network, label=label)
            member(older, world.academy_a)

    assert_no_n_plus_one(reverse("network:membership_growth"), grow_years, user=world.coordinator)

    f.InspectionFactory(academy=world.academy_a, grade=1, inspection_date=datetime.date(2024, 1, 1))
    next_label = year.next_label

    def grow_candidates():
        for _ in range(3):
            f.InspectionFactory(academy=f.AcademyFactory(trust=world.trust_b), grade=1)

    invite_url = reverse("network:membership_invite") + f"?network={world.network.pk}&year={next_label}"
    assert_no_n_plus_one(invite_url, grow_candidates, user=world.coordinator)
    assert_no_n_plus_one(reverse("network:membership_invoices_csv"), _grow_memberships(year), user=world.coordinator)


def test_membership_academy_page_explains_instead_of_accept_when_the_inspection_bars_it(client, world, year):
    member(year, world.academy_a, status="invited")
    f.InspectionFactory(academy=world.academy_a, grade=4, inspection_date=timezone.localdate())
    url = reverse("network:membership_academy", args=[world.academy_a.urn])

    client.force_login(world.leader_a)
    page = client.get(url).content.decode()
    assert f"Accept the invitation for {year.label}" not in page
    assert "Academy A cannot accept this invitation" in page and "coordinators decide whether it joins" in page

    client.force_login(world.coordinator)  # may accept on the academy's behalf
    page = client.get(url).content.decode()
    assert f"Accept the invitation for {year.label}" in page
    assert "coordinators decide whether it joins" not in page


def test_membership_academy_page_offers_accept_when_a_newer_inspection_is_good(client, world, year):
    member(year, world.academy_a, status="invited")
    f.InspectionFactory(
        academy=world.academy_a, grade=4, inspection_date=timezone.localdate() - datetime.timedelta(days=900)
    )
    f.InspectionFactory(academy=world.academy_a, grade=2, inspection_date=timezone.localdate())
    client.force_login(world.leader_a)
    page = client.get(reverse("network:membership_academy", args=[world.academy_a.urn])).content.decode()
    assert f"Accept the invitation for {year.label}" in page


def test_membership_academy_page_query_count_with_a_barred_invitation(world, year, assert_no_n_plus_one):
    member(year, world.academy_a, status="invited")
    f.InspectionFactory(academy=world.academy_a, grade=4, inspection_date=timezone.localdate())

    def grow():
        f.InspectionFactory(
            academy=world.academy_a, grade=3, inspection_date=timezone.localdate() - datetime.timedelta(days=700)
        )
        for label in ("2021-22", "2022-23", "2023-24"):
            older = years.membership_year_get_or_create(network=world.network, label=label)
            member(older, world.academy_a, status="not_renewed")

    assert_no_n_plus_one(reverse("network:membership_academy", args=[world.academy_a.urn]), grow, user=world.leader_a)
