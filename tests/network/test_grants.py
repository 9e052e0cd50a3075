"""Innovation grants: bidding (dates, budget lines, endorsement), the review panel's
conflict of interest (in the service and at the door), the two-review minimum, awards
within budget, letters once, the finance CSV, outcome reports and the library."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from network.base.models import OutboxMessage
from network.base.rules import NotAllowed
from network.programme.grants import selectors
from network.programme.grants.models import GrantBid, GrantReview
from network.programme.grants.services import awards, bids, reports, reviews
from tests import factories as f
from tests.network import programme_helpers as ph

pytestmark = pytest.mark.django_db


@pytest.fixture
def grants(world):
    """Trust A's academy is a member with a headteacher; a round is open."""
    ph.member(world.academy_a, world.network)
    f.PersonFactory(academy=world.academy_a, job_role="headteacher", email="head.a@school.example")
    world.round = ph.grant_round(world.network, budget=Decimal("1500"))
    return world


def _draft(w, **kwargs):
    values = dict(
        grant_round=w.round,
        title="Practical science clubs",
        aims="More practical work.",
        intended_impact="Confidence rises.",
        measurement="Survey in October and June.",
        amount_requested=Decimal("900"),
        lines=[("Kit", Decimal("600")), ("Cover", Decimal("300"))],
        by=w.leader_a,
    )
    values.update(kwargs)
    return bids.bid_save(**values)


def test_a_draft_may_be_incomplete_and_an_academy_may_bid_twice(grants):
    first = _draft(grants, aims="", lines=[])
    second = _draft(grants, title="Second idea")
    assert (first.status, second.status) == ("draft", "draft")
    assert GrantBid.objects.filter(academy=grants.academy_a).count() == 2


def test_budget_lines_must_add_up_to_the_amount(grants):
    bid = _draft(grants, lines=[("Kit", Decimal("600"))])
    with pytest.raises(ValidationError) as error:
        bids.bid_submit(bid=bid, by=grants.leader_a)
    assert "add up to £600.00, not the £900.00 requested" in str(error.value)


def test_a_bid_over_the_maximum_is_refused(grants):
    bid = _draft(grants, amount_requested=Decimal("1200"), lines=[("Kit", Decimal("1200"))])
    with pytest.raises(ValidationError, match="at most £1,000.00"):
        bids.bid_submit(bid=bid, by=grants.leader_a)


def test_a_bid_after_the_close_date_is_refused_with_the_date(grants):
    bid = _draft(grants)
    later = grants.round.closes_on + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        bids.bid_submit(bid=bid, by=grants.leader_a, today=later)
    assert f"closed on {grants.round.closes_on:%d/%m/%Y}" in str(error.value)
    assert GrantBid.objects.get(pk=bid.pk).status == "draft"


def test_only_current_members_may_bid(world):
    grant_round = ph.grant_round(world.network)
    with pytest.raises(ValidationError, match="is not a member"):
        bids.bid_save(grant_round=grant_round, title="Idea", by=world.leader_a)


def test_submitting_asks_the_head_to_endorse_once_by_a_signed_link(grants, client):
    bid = bids.bid_submit(bid=_draft(grants), by=grants.leader_a)
    messages = OutboxMessage.objects.filter(key__startswith=f"grant-bid:{bid.pk}:endorsement-request")
    assert list(messages.values_list("to", flat=True)) == ["head.a@school.example"]
    link = next(word for word in messages.get().body_text.split() if "/grants/endorse/" in word)
    token = link.rsplit("/endorse/", 1)[1].strip("/")
    assert client.get(reverse("network:grant_endorse", args=[token])).status_code == 200
    client.post(reverse("network:grant_endorse", args=[token]))
    assert GrantBid.objects.get(pk=bid.pk).endorsed_by.email == "head.a@school.example"
    assert client.get(reverse("network:grant_endorse", args=[token[:-2] + "xx"])).status_code == 410


# -- Conflict of interest -------------------------------------------------------------


@pytest.fixture
def submitted(grants):
    return ph.bid(grants.round, grants.academy_b, grants.person_b)


def test_a_reviewer_from_the_bids_own_trust_is_never_assigned(grants, submitted):
    same_trust_leader = f.leader(f.AcademyFactory(trust=grants.trust_b))
    same_trust_executive = f.trust_executive(grants.trust_b)
    for reviewer in (same_trust_leader, same_trust_executive):
        with pytest.raises(NotAllowed, match="conflict of interest"):
            reviews.review_assign(bid=submitted, reviewer=reviewer, by=grants.coordinator)
    assert not GrantReview.objects.exists()
    review = reviews.review_assign(bid=submitted, reviewer=grants.leader_a, by=grants.coordinator)
    assert review.reviewer == grants.leader_a
    assert OutboxMessage.objects.filter(key=f"grant-review:{review.pk}:assigned").count() == 1


def test_the_assignment_page_refuses_and_offers_only_other_trusts(client, grants, submitted):
    same_trust_leader = f.leader(f.AcademyFactory(trust=grants.trust_b))
    client.force_login(grants.coordinator)
    page = client.get(reverse("network:grant_bid_detail", args=[submitted.pk])).content.decode()
    assert grants.leader_a.email in page and same_trust_leader.email not in page
    response = client.post(
        reverse("network:grant_bid_assign", args=[submitted.pk]), {"reviewer": same_trust_leader.pk}, follow=True
    )
    assert "conflict of interest" in response.content.decode()
    assert not GrantReview.objects.exists()


def test_a_reviewer_cannot_open_a_bid_from_their_own_trust_by_url(client, grants, submitted):
    # Written by hand (as if the reviewer's academy moved trust after assignment): the
    # door still hides it, and the bid itself is never theirs to open.
    insider = f.leader(f.AcademyFactory(trust=grants.trust_b))
    review = GrantReview.objects.create(bid=submitted, reviewer=insider)
    client.force_login(insider)
    assert client.get(reverse("network:grant_review", args=[review.pk])).status_code == 404
    assert client.post(reverse("network:grant_review", args=[review.pk]), {"comment": "x"}).status_code == 404
    assert client.get(reverse("network:grant_reviews")).content.decode().count(submitted.title) == 0
    with pytest.raises(NotAllowed):
        reviews.review_submit(review=review, scores={}, comment="Mine", by=insider)


def test_an_assigned_reviewer_from_another_trust_scores_against_the_criteria(client, grants, submitted):
    review = reviews.review_assign(bid=submitted, reviewer=grants.leader_a, by=grants.coordinator)
    criteria = list(grants.round.criteria.all())
    client.force_login(grants.leader_a)
    assert client.get(reverse("network:grant_review", args=[review.pk])).status_code == 200
    data = {f"criterion_{c.pk}": "5" for c in criteria} | {"comment": "Strong and realistic."}
    response = client.post(reverse("network:grant_review", args=[review.pk]), data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.weighted_score, review.comment) == (Decimal("100.0"), "Strong and realistic.")


def test_scores_are_collated_with_their_spread(grants, submitted):
    other = f.leader(f.AcademyFactory(trust=f.TrustFactory()))
    for reviewer, score in ((grants.leader_a, 5), (other, 2)):
        review = reviews.review_assign(bid=submitted, reviewer=reviewer, by=grants.coordinator)
        reviews.review_submit(
            review=review, scores={str(c.pk): score for c in grants.round.criteria.all()}, comment="ok", by=reviewer
        )
    row = selectors.bids_in_round(grants.coordinator, grants.round).get(pk=submitted.pk)
    assert (row.review_count, row.mean_score, row.low_score, row.high_score) == (
        2,
        70,
        Decimal("40.0"),
        Decimal("100.0"),
    )


# -- Decisions ---------------------------------------------------------------------------


def _two_reviews(w, made):
    return ph.reviewed(made, [w.leader_a, f.leader(f.AcademyFactory(trust=f.TrustFactory()))])


def test_a_bid_needs_two_reviews_before_an_award(grants, submitted):
    ph.reviewed(submitted, [grants.leader_a])
    with pytest.raises(ValidationError, match="at least 2 reviews"):
        awards.bid_award(bid=submitted, by=grants.coordinator)
    ph.reviewed(submitted, [f.leader(f.AcademyFactory(trust=f.TrustFactory()))])
    assert awards.bid_award(bid=submitted, by=grants.coordinator).status == "awarded"


def test_an_unendorsed_bid_is_not_awarded(grants):
    made = _two_reviews(grants, ph.bid(grants.round, grants.academy_b, grants.person_b, endorsed=False))
    with pytest.raises(ValidationError, match="not endorsed"):
        awards.bid_award(bid=made, by=grants.coordinator)


def test_an_award_that_would_overspend_is_refused(grants):
    first = _two_reviews(grants, ph.bid(grants.round, grants.academy_b, grants.person_b, amount=Decimal("1000")))
    second = _two_reviews(grants, ph.bid(grants.round, grants.academy_b, grants.person_b, amount=Decimal("600")))
    awards.bid_award(bid=first, by=grants.coordinator)
    with pytest.raises(ValidationError, match="would overspend Innovation grants: £500.00 of its £1,500.00"):
        awards.bid_award(bid=second, by=grants.coordinator)
    assert awards.bid_award(bid=second, amount=Decimal("500"), by=grants.coordinator).amount_awarded == 500


def test_letters_go_once_and_the_award_is_in_the_finance_csv(client, grants, submitted):
    _two_reviews(grants, submitted)
    client.force_login(grants.coordinator)
    url = reverse("network:grant_bid_decide", args=[submitted.pk])
    client.post(url, {"decision": "award", "note": "Well argued."})
    client.post(url, {"decision": "award", "note": "Again"})  # a double click: refused, no second letter
    assert OutboxMessage.objects.filter(key=f"grant-bid:{submitted.pk}:award-letter").count() == 1
    csv = client.get(reverse("network:grant_finance_csv")).content.decode("utf-8-sig")
    assert "Practical science clubs for Year 7" in csv and "800.00" in csv and grants.academy_b.name in csv


@pytest.mark.parametrize("year", ["9999-00", "2025", "20x5-26", "2025-27"])
def test_the_finance_csv_answers_an_impossible_year_with_no_rows(client, grants, year):
    # 9999-00 is shaped like a year, but its end (1 April 10000) is no date: it was a 500.
    client.force_login(grants.coordinator)
    response = client.get(reverse("network:grant_finance_csv"), {"year": year})
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").count("\n") == 1  # the header only


def test_a_declined_bid_gets_one_letter_with_the_reason(grants, submitted):
    awards.bid_decline(bid=submitted, note="The budget was spent.", by=grants.coordinator)
    message = OutboxMessage.objects.get(key=f"grant-bid:{submitted.pk}:decision-letter")
    assert "The budget was spent." in message.body_text


# -- Outcome reports and the library ---------------------------------------------------------


@pytest.fixture
def awarded(grants):
    made = ph.bid(grants.round, grants.academy_a, grants.person_a, status="awarded", amount_awarded=Decimal("800"))
    made.decided_at = timezone.now()
    made.save()
    return made


def test_the_final_report_is_published_and_reminders_go_once(grants, awarded):
    due = grants.round.midpoint_report_due_on
    assert reports.report_reminders(today=due - datetime.timedelta(days=30)) == 0
    assert reports.report_reminders(today=due - datetime.timedelta(days=10)) == 1
    assert reports.report_reminders(today=due - datetime.timedelta(days=9)) == 0
    report = reports.report_file(
        bid=awarded, kind="final", what_was_done="Clubs ran.", what_changed="Confidence rose.", by=grants.leader_a
    )
    assert report.published_at is not None
    start = timezone.localdate() - datetime.timedelta(days=1)
    assert list(
        selectors.published_outcomes(network=grants.network, starts_on=start, ends_on=timezone.localdate())
    ) == [report]
    figures = selectors.grant_figures(
        network=grants.network, starts_on=start - datetime.timedelta(days=30), ends_on=timezone.localdate()
    )
    assert (figures["awarded"], figures["awarded_total"], figures["outcomes_published"]) == (1, Decimal("800"), 1)


def test_the_outcomes_library_is_for_members_only(client, grants, awarded):
    report = ph.final_report(awarded)
    member_b = f.leader(grants.academy_b)
    ph.member(grants.academy_b, grants.network)
    non_member = f.leader(f.AcademyFactory(trust=f.TrustFactory()))
    library = reverse("network:grant_outcomes")
    detail = reverse("network:grant_outcome_detail", args=[report.pk])
    client.force_login(member_b)
    page = client.get(library, {"q": "Year 7"}).content.decode()
    assert awarded.title in page
    assert client.get(detail).status_code == 200
    for outsider in (non_member, grants.visitor, grants.steering):
        client.force_login(outsider)
        assert client.get(library).status_code == 404
        assert client.get(detail).status_code == 404


def test_the_leader_bids_through_the_form_and_a_late_submission_keeps_the_draft(client, grants):
    client.force_login(grants.leader_a)
    data = {
        "title": "Cheap kit",
        "aims": "a",
        "intended_impact": "b",
        "measurement": "c",
        "amount_requested": "500",
        "lines-TOTAL_FORMS": "4",
        "lines-INITIAL_FORMS": "0",
        "lines-0-description": "Kit",
        "lines-0-amount": "400",
        "submit": "1",
    }
    response = client.post(reverse("network:grant_bid_create", args=[grants.round.pk]), data)
    assert response.status_code == 400
    assert "add up to £400.00" in response.content.decode()
    bid = GrantBid.objects.get(title="Cheap kit")
    assert bid.status == "draft"
    data.update({"lines-0-amount": "500"})
    response = client.post(reverse("network:grant_bid_edit", args=[bid.pk]), data)
    assert response.status_code == 302
    assert GrantBid.objects.get(pk=bid.pk).status == "submitted"


def test_the_review_panel_follows_the_rule_not_the_role(client, grants, submitted, monkeypatch):
    """The panel (scores, reviewers, the decision) is shown to whoever `network.run_grants`
    lets in, the rule its actions check, not by comparing roles in the template."""
    from network.programme.grants import views

    url = reverse("network:grant_bid_detail", args=[submitted.pk])
    client.force_login(grants.coordinator)
    assert "Review panel" in client.get(url).content.decode()
    real = views.has
    monkeypatch.setattr(
        views, "has", lambda user, perm, obj=None: perm != "network.run_grants" and real(user, perm, obj)
    )
    page = client.get(url).content.decode()
    assert "Review panel" not in page and "Record the decision" not in page
