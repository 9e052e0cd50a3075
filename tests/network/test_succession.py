"""Succession risks as a table of cases: each row builds a situation and names the risks
it must (and must not) raise. Then who sees what: coordinators everything, a trust
executive their trust's part, each risk with a link to its fix."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from network.programme.roles.models import NetworkRole
from network.programme.roles.succession import risks_for_network
from network.programme.terms import previous_term
from tests import factories as f
from tests.network import programme_helpers as ph

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LONG_AGO = previous_term(TODAY).starts_on - datetime.timedelta(days=30)


def role(w, kind="network_lead", **kwargs):
    values = dict(network=w.network, kind=kind, responsibilities="Runs it.", starts_on=LONG_AGO)
    values.setdefault("review_on", TODAY + datetime.timedelta(days=200))
    values.update(kwargs)
    return NetworkRole.objects.create(**values)


def active(person):
    """A CPD place taken last week: the person is active."""
    event = f.EventFactory(starts_at=timezone.now() - datetime.timedelta(days=7))
    event.ends_at = event.starts_at + datetime.timedelta(hours=1)
    event.save()
    f.BookingFactory(event=event, person=person)


def hub_without_deputy(w):
    f.HubFactory(network=w.network, name="Coastal Cluster", lead=w.person_a)
    active(w.person_a)
    return {("no_deputy", "Coastal Cluster")}, set()


def hub_with_deputy(w):
    f.HubFactory(network=w.network, name="Coastal Cluster", lead=w.person_a, deputy_lead=f.PersonFactory())
    active(w.person_a)
    return set(), {("no_deputy", "Coastal Cluster")}


def lead_role_without_deputy(w):
    role(w, holder=w.person_a, title="Network lead")
    active(w.person_a)
    return {("no_deputy", "Network lead")}, set()


def consultant_needs_no_deputy(w):
    role(w, kind="visit_consultant", holder=w.person_a, title="Visit consultant")
    return set(), {("no_deputy", "Visit consultant")}


def three_lead_roles(w):
    role(w, holder=w.person_a, deputy=w.person_b, title="Network lead")
    role(w, kind="trust_science_lead", holder=w.person_a, deputy=w.person_b, title="Trust science lead")
    f.HubFactory(network=w.network, name="Coastal Cluster", lead=w.person_a, deputy_lead=w.person_b)
    active(w.person_a)
    return {("overloaded", w.person_a.full_name)}, set()


def two_lead_roles(w):
    role(w, holder=w.person_a, deputy=w.person_b, title="Network lead")
    f.HubFactory(network=w.network, name="Coastal Cluster", lead=w.person_a, deputy_lead=w.person_b)
    active(w.person_a)
    return set(), {("overloaded", w.person_a.full_name)}


def academy_resting_on_one_person(w):
    ph.member(w.academy_a, w.network)
    active(w.person_a)
    return {("single_person", w.academy_a.name)}, set()


def academy_with_two_people(w):
    ph.member(w.academy_a, w.network)
    active(w.person_a)
    active(f.PersonFactory(academy=w.academy_a))
    return set(), {("single_person", w.academy_a.name)}


def lead_inactive_for_a_term(w):
    role(w, holder=w.person_b, deputy=w.person_a, title="Network lead")
    return {("inactive_lead", w.person_b.full_name)}, set()


def lead_active_last_week(w):
    role(w, holder=w.person_b, deputy=w.person_a, title="Network lead")
    active(w.person_b)
    return set(), {("inactive_lead", w.person_b.full_name)}


def role_past_its_review(w):
    role(
        w,
        holder=w.person_a,
        deputy=w.person_b,
        title="Steering chair",
        kind="steering",
        review_on=TODAY - datetime.timedelta(days=1),
    )
    return {("review_overdue", "Steering chair")}, set()


def role_not_yet_due(w):
    role(w, holder=w.person_a, deputy=w.person_b, title="Steering chair", kind="steering")
    return set(), {("review_overdue", "Steering chair")}


CASES = [
    hub_without_deputy,
    hub_with_deputy,
    lead_role_without_deputy,
    consultant_needs_no_deputy,
    three_lead_roles,
    two_lead_roles,
    academy_resting_on_one_person,
    academy_with_two_people,
    lead_inactive_for_a_term,
    lead_active_last_week,
    role_past_its_review,
    role_not_yet_due,
]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_succession_risk(world, case):
    expected, absent = case(world)
    found = {(r.kind, r.title) for r in risks_for_network(world.network, today=TODAY)}
    assert expected <= found, f"missing {expected - found}"
    assert not (absent & found), f"unexpected {absent & found}"


def test_every_risk_explains_itself_and_links_to_its_fix(world):
    role(world, holder=world.person_b, title="Network lead", review_on=TODAY - datetime.timedelta(days=3))
    for risk in risks_for_network(world.network, today=TODAY):
        assert risk.explanation and risk.fix_label and risk.fix_url.startswith("/")


def test_coordinators_see_all_and_an_executive_their_trusts_part(client, world):
    role(world, holder=world.person_a, title="Trust A lead", kind="trust_science_lead", trust=world.trust_a)
    role(world, holder=world.person_b, title="Trust B lead", kind="trust_science_lead", trust=world.trust_b)
    url = reverse("network:succession_risks")
    client.force_login(world.coordinator)
    page = client.get(url).content.decode()
    assert "Trust A lead" in page and "Trust B lead" in page
    assert reverse("admin:network_networkrole_changelist") in page  # fix links for coordinators
    client.force_login(world.executive_a)
    page = client.get(url).content.decode()
    assert "Trust A lead" in page and "Trust B lead" not in page
