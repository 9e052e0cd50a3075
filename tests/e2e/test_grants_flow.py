"""Innovation grants in a real Chromium, end to end: a leader bids, the head endorses by
the emailed link, two reviewers from other trusts score it, the coordinator awards it,
the leader files the final outcome report, and a leader of another trust finds it in the
outcomes library. axe-core checks each page on the way."""

import re

import pytest

from network.base.models import OutboxMessage
from network.programme.grants.models import GrantBid
from tests import factories as f
from tests.e2e.conftest import axe, nav, sign_in
from tests.network import programme_helpers as ph

pytestmark = pytest.mark.e2e


def switch_to(page, user):
    page.context.clear_cookies()
    sign_in(page, user)


def test_a_bid_from_draft_to_the_outcomes_library(page, transactional_db):
    network = f.NetworkFactory(name="Secondary Science Network", slug="ssn")
    trusts = [
        f.TrustFactory(name=n) for n in ("Pennine Learning Trust", "Morecambe Bay Academies", "Calder Valley Trust")
    ]
    network.member_trusts.set(trusts)
    bidder_academy = f.AcademyFactory(trust=trusts[0], name="Burnley Road Academy")
    reader_academy = f.AcademyFactory(trust=trusts[1], name="Heysham Bay Academy")
    for academy in (bidder_academy, reader_academy):
        ph.member(academy, network)
    f.PersonFactory(academy=bidder_academy, job_role="headteacher", first_name="Helen", last_name="Ward",
                    email="head@burnley.example")  # fmt: skip
    leader = f.leader(bidder_academy, full_name="Tom Hughes")
    reviewer_1 = f.leader(reader_academy, full_name="Grace Adeyemi")
    reviewer_2 = f.trust_executive(trusts[2], full_name="David Nkemelu")
    reader = f.leader(reader_academy, full_name="Owen Price")
    coordinator = f.coordinator(full_name="Priya Shah")
    grant_round = ph.grant_round(network)

    # The leader bids.
    sign_in(page, leader)
    nav(page, "Innovation grants")
    axe(page)
    page.get_by_role("link", name=grant_round.name).click()
    page.get_by_role("link", name="Start a bid").click()
    page.get_by_label("Project").fill("Practical clubs for Year 7")
    page.get_by_label("Aims", exact=True).fill("Every Year 7 pupil handles practical kit with confidence.")
    page.get_by_label("Intended impact", exact=True).fill("Confidence in practical work rises.")
    page.get_by_label("How and when the impact will be measured").fill("A pupil survey in October and June.")
    page.get_by_label("Amount requested (£)").fill("900")
    page.get_by_label("Line 1: what it pays for").fill("Kit and consumables")
    page.get_by_label("Line 1: amount (£)").fill("700")
    page.get_by_label("Line 2: what it pays for").fill("Supply cover")
    page.get_by_label("Line 2: amount (£)").fill("200")
    axe(page)
    page.get_by_role("button", name="Submit the bid").click()
    assert page.get_by_role("alert").filter(has_text="Your bid is submitted").is_visible()
    axe(page)
    bid = GrantBid.objects.get()

    # The head endorses it by the emailed link (no sign-in).
    page.context.clear_cookies()
    body = OutboxMessage.objects.get(key__contains=":endorsement-request:").body_text
    page.goto(re.search(r"http://testserver(/grants/endorse/\S+)", body).group(1))
    axe(page)
    page.get_by_role("button", name="I endorse this bid").click()
    assert page.get_by_role("alert").filter(has_text="the bid is endorsed").is_visible()

    # The coordinator puts two reviewers from other trusts on it.
    switch_to(page, coordinator)
    page.goto(f"/grants/bids/{bid.pk}/")
    for reviewer in (reviewer_1, reviewer_2):
        page.get_by_label("Assign a reviewer").select_option(value=str(reviewer.pk))
        page.get_by_role("button", name="Assign").click()
        assert page.get_by_role("alert").filter(has_text="is asked to review this bid").is_visible()
    axe(page)

    # Each reviewer scores it against the criteria.
    for reviewer, score in ((reviewer_1, "5"), (reviewer_2, "3")):
        switch_to(page, reviewer)
        nav(page, "My grant reviews")
        page.get_by_role("link", name="Practical clubs for Year 7").click()
        page.get_by_label("Impact on pupils (weight 3)").select_option(score)
        page.get_by_label("Feasibility (weight 1)").select_option(score)
        page.get_by_label("Comment").fill("Clear, and the survey will show it.")
        axe(page)
        page.get_by_role("button", name="Save my review").click()
        assert page.get_by_role("alert").filter(has_text="your review is saved").is_visible()

    # The coordinator awards it.
    switch_to(page, coordinator)
    page.goto(f"/grants/rounds/{grant_round.pk}/")
    row = page.get_by_role("row").filter(has_text="Practical clubs for Year 7")
    assert "2 of 2" in row.inner_text() and "80.0" in row.inner_text() and "60.0–100.0" in row.inner_text()
    axe(page)
    row.get_by_role("link", name="Practical clubs for Year 7").click()
    page.get_by_label("Award", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    assert page.get_by_role("alert").filter(has_text="Awarded").is_visible()
    assert OutboxMessage.objects.filter(key=f"grant-bid:{bid.pk}:award-letter").count() == 1

    # The leader files the final outcome report.
    switch_to(page, leader)
    page.goto(f"/grants/bids/{bid.pk}/")
    page.get_by_role("link", name="File the final report").click()
    page.get_by_label("What was done").fill("Weekly practical clubs for every Year 7 class.")
    page.get_by_label("What changed").fill("Practical confidence rose from 41% to 73% in the pupil survey.")
    axe(page)
    page.get_by_role("button", name="File the report").click()
    assert page.get_by_role("alert").filter(has_text="published in the outcomes library").is_visible()

    # A leader of another trust finds it in the library.
    switch_to(page, reader)
    nav(page, "Outcomes library")
    page.get_by_label("Search the outcomes").fill("Year 7")
    with page.expect_navigation():  # axe must not start on the page being replaced
        page.get_by_role("button", name="Search").click()
    axe(page)
    page.get_by_role("link", name="Practical clubs for Year 7").click()
    assert "rose from 41% to 73%" in page.get_by_role("main").inner_text()
    axe(page)
