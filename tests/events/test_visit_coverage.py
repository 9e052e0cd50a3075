"""Coverage by support tier (the planner) and the figures selector the dashboards and
the annual report call, which must cost the same few queries however many visits."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.visits.coverage import coverage, visit_figures
from events.visits.models import VisitAction
from events.visits.services import actions
from tests import factories as f
from tests.events import visit_helpers as vh


@pytest.fixture
def members(world):
    year = vh.current_year(world.network)
    tiers = {"S&R": "stabilise", "Improve": "improve", "Sustain": "sustain", "Untiered": ""}
    made = {}
    for name, tier in tiers.items():
        trust = world.trust_a if name in ("S&R", "Improve") else world.trust_b
        academy = f.AcademyFactory(trust=trust, name=name, support_tier=tier)
        f.MembershipFactory(year=year, academy=academy)
        made[name] = academy
    f.AcademyFactory(trust=world.trust_a, name="Not a member", support_tier="stabilise")
    return year, made


def _visitor(world):
    return f.PersonFactory(academy=f.AcademyFactory(trust=world.trust_b))


def test_coverage_lists_academies_behind_first_against_tier_targets(world, members):
    year, a = members
    vh.completed(world.network, a["S&R"], [_visitor(world)], by=world.coordinator, days=-20)
    vh.completed(world.network, a["Improve"], [_visitor(world)], by=world.coordinator, days=-20)
    vh.completed(world.network, a["Improve"], [_visitor(world)], by=world.coordinator, days=-10, code="peer")
    vh.scheduled(world.network, a["Sustain"], [_visitor(world)], by=world.coordinator, days=10)

    planner = coverage(world.coordinator, year=year)

    rows = [(r.name, r.target, r.done, r.planned, r.shortfall) for r in planner.rows]
    assert rows == [
        ("S&R", 3, 1, 0, 2),
        ("Untiered", 1, 0, 0, 1),
        ("Improve", 2, 2, 0, 0),
        ("Sustain", 1, 0, 1, 0),
    ]
    by_tier = {t["tier"]: (t["academies"], t["target"], t["met"], t["planned"]) for t in planner.by_tier}
    assert by_tier == {"stabilise": (1, 3, 0, 0), "improve": (1, 2, 1, 0), "sustain": (1, 1, 0, 1), "": (1, 1, 0, 0)}
    assert [r.name for r in coverage(world.coordinator, year=year, tier="stabilise").rows] == ["S&R"]
    assert [r.name for r in coverage(world.coordinator, year=year, tier="none").rows] == ["Untiered"]
    assert [r.name for r in coverage(world.coordinator, year=year, trust=world.trust_b).rows] == ["Untiered", "Sustain"]


def test_coverage_targets_are_configurable(world, members):
    from events.visits.models import VisitPolicy

    year, _ = members
    VisitPolicy.objects.create(network=world.network, target_stabilise=6, target_sustain=0)
    targets = {r.name: r.target for r in coverage(world.coordinator, year=year).rows}
    assert targets == {"S&R": 6, "Improve": 2, "Sustain": 0, "Untiered": 1}


def test_figures_for_the_year_and_by_term(world, members):
    year, a = members
    owner = f.PersonFactory(academy=a["S&R"])
    agreed = vh.agreed(world.network, a["S&R"], [_visitor(world)], by=world.coordinator, owner=owner, days=-6)
    vh.completed(world.network, a["Sustain"], [_visitor(world)], by=world.coordinator, days=-2, code="peer")
    vh.scheduled(world.network, a["Improve"], [_visitor(world)], by=world.coordinator, days=5)
    action = agreed.actions.get()
    VisitAction.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))

    figures = visit_figures(network=world.network, starts_on=year.starts_on, ends_on=year.ends_on)

    assert figures["completed"] == 2
    assert figures["completed_by_kind"] == {"Consultant visit (annual)": 1, "Peer visit": 1}
    assert (figures["trusts_visited"], figures["academies_visited"]) == (2, 2)
    assert (figures["members"], figures["members_without_visit"]) == (4, 2)
    assert figures["members_without_visit_names"] == ["Improve", "Untiered"]
    assert figures["median_days_to_agreed"] == 6
    assert figures["actions"] == {"open": 1, "closed": 0, "overdue": 1}
    assert {c["tier"]: (c["academies"], c["target_each"], c["met"]) for c in figures["coverage"]} == {
        "stabilise": (1, 3, 0),
        "improve": (1, 2, 0),
        "sustain": (1, 1, 1),
        "": (1, 1, 0),
    }
    assert [t["term"].split()[0] for t in figures["by_term"]] == ["Summer", "Autumn", "Spring"]
    assert sum(t["completed"] for t in figures["by_term"]) == 2

    only_a = visit_figures(
        network=world.network, starts_on=year.starts_on, ends_on=year.ends_on, trust_ids=[world.trust_a.pk]
    )
    assert (only_a["completed"], only_a["members"], only_a["trusts_visited"]) == (1, 2, 1)
    actions.action_update(action=VisitAction.objects.get(pk=action.pk), status="closed", by=world.coordinator)
    closed = visit_figures(network=world.network, starts_on=year.starts_on, ends_on=year.ends_on)
    assert closed["actions"] == {"open": 0, "closed": 1, "overdue": 0}


def test_figures_cost_a_fixed_number_of_queries(world, members):
    year, a = members

    def count():
        with CaptureQueriesContext(connection) as ctx:
            visit_figures(network=world.network, starts_on=year.starts_on, ends_on=year.ends_on)
        return len(ctx.captured_queries)

    vh.completed(world.network, a["S&R"], [_visitor(world)], by=world.coordinator, days=-3)
    before = count()
    for name in ("Improve", "Sustain", "Untiered"):
        owner = f.PersonFactory(academy=a[name])
        vh.agreed(world.network, a[name], [_visitor(world)], by=world.coordinator, owner=owner, days=-4)
    assert count() == before <= 5
