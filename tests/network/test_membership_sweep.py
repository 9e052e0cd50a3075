"""The hourly review sweep reaches every network: one without a policy row follows the
default policy, and one network's failure does not stop the networks after it."""

import datetime
import logging

from network.programme.membership import review
from network.programme.membership.models import MembershipPolicy, ReviewRun
from tests import factories as f

REVIEW_DAY = datetime.date(2026, 3, 2)  # on or after 1 March, the default review date


def network_with_a_member(name, slug):
    trust = f.TrustFactory()
    network = f.NetworkFactory(name=name, slug=slug)
    network.member_trusts.add(trust)
    year = f.MembershipYearFactory(network=network)  # 2025-26, reviewed on 1 March 2026
    f.MembershipFactory(year=year, academy=f.AcademyFactory(trust=trust))
    return network


def test_review_sweep_reviews_a_network_without_a_policy_row(db):
    network = network_with_a_member("Secondary Science Network", "ssn")
    assert not MembershipPolicy.objects.exists()

    assert review.review_sweep(today=datetime.date(2026, 2, 28)) == []  # before the review date
    runs = review.review_sweep(today=REVIEW_DAY)

    assert [(run.network, run.year.label, run.trigger) for run in runs] == [(network, "2025-26", "sweep")]
    assert run_count_by_network() == {network.slug: 1}
    policy = MembershipPolicy.objects.get(network=network)  # the defaults, now stored
    assert (policy.review_month, policy.review_day, policy.review_automatically) == (3, 1, True)
    assert review.review_sweep(today=REVIEW_DAY) == []  # and never twice


def run_count_by_network():
    runs = ReviewRun.objects.values_list("network__slug", flat=True)
    return {slug: list(runs).count(slug) for slug in set(runs)}


def test_review_sweep_failure_in_one_network_does_not_stop_the_others(db, monkeypatch, caplog):
    broken = network_with_a_member("Broken Network", "broken")  # swept first (lower id)
    healthy = network_with_a_member("Secondary Science Network", "ssn")
    assess = review.review_assess

    def failing_for_broken(*, network, **kwargs):
        if network.pk == broken.pk:
            raise RuntimeError("bad data in the broken network")
        return assess(network=network, **kwargs)

    monkeypatch.setattr(review, "review_assess", failing_for_broken)
    with caplog.at_level(logging.ERROR, logger="network.programme.membership.review"):
        runs = review.review_sweep(today=REVIEW_DAY)

    assert [run.network for run in runs] == [healthy]
    assert run_count_by_network() == {"ssn": 1}  # nothing half-written for the broken one
    assert "Broken Network" in caplog.text and "bad data in the broken network" in caplog.text

    # Mended, the next hourly sweep reviews it, and the healthy network only once.
    monkeypatch.setattr(review, "review_assess", assess)
    assert [run.network for run in review.review_sweep(today=REVIEW_DAY)] == [broken]
    assert run_count_by_network() == {"ssn": 1, "broken": 1}
