"""The science leader's home (speed, issue 14): the same page for fewer queries. Its
academy card, hubs and colleagues, the next bookings with the requests waiting for
approval, and the open visits are remembered under the records' generation and the
reader's own scope, and read afresh after a committed change (the bookings also once
one of them ends). The open surveys are read on every page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.visits.services import requests
from events.visits.services.kinds import visit_kinds_ensure
from network.base import access, changes
from network.programme import selectors
from network.programme.models import Hub
from tests import factories as f
from tests.conftest import count_queries
from tests.events import visit_helpers as vh
from trusts.models import Academy, JobRole

URL = reverse("network:home")


def _page(client) -> str:
    """The page's main part (the menu's forms carry a fresh CSRF token each time)."""
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def _approver(world):
    world.person_a.job_role = JobRole.HEAD_OF_SCIENCE
    world.person_a.save()
    return world.leader_a


def _request_from_a_colleague(world, **event):
    return f.BookingFactory(
        event=f.EventFactory(network=world.network, needs_approval=True, **event),
        person=f.PersonFactory(academy=world.academy_a, job_role=JobRole.TEACHER),
        status="pending_approval",
        confirmed_at=None,
    )


@pytest.mark.django_db(transaction=True)
def test_every_panel_once_remembered_costs_no_query_but_the_open_surveys(client, world, settings):
    leader = _approver(world)
    f.BookingFactory(event=f.EventFactory(network=world.network, title="Required practicals"), person=world.person_a)
    _request_from_a_colleague(world)
    f.invitation(f.SurveyFactory(network=world.network, title="Termly pulse"), world.person_a)
    vh.requested(world.network, world.academy_a, by=world.coordinator)
    f.PersonFactory(academy=world.academy_a, first_name="Ada", last_name="Lovelace")
    client.force_login(leader)
    settings.FIGURES_REMEMBERED = False
    every_time = _page(client)  # the session's first page also asks the menu's rules
    # Session, user, the door's person; the academy, its hubs, the colleagues; the
    # bookings, the requests waiting; the open surveys; the open visits.
    assert count_queries(client, URL) == 10
    for shown in ("Required practicals", "1 request from colleagues", "Termly pulse", "Consultant", "Ada Lovelace"):
        assert shown in every_time
    settings.FIGURES_REMEMBERED = True
    assert _page(client) == every_time  # computed and kept
    assert count_queries(client, URL) == 4  # session, user, the door's person, the open surveys
    assert _page(client) == every_time


@pytest.mark.django_db(transaction=True)
def test_the_academy_side_is_read_afresh_after_a_committed_change(client, world, settings):
    settings.FIGURES_REMEMBERED = True
    colleague = f.PersonFactory(academy=world.academy_a, first_name="Ada", last_name="Lovelace")
    client.force_login(world.leader_a)
    first = _page(client)
    assert "Ada Lovelace" in first and world.hub.name in first and "Academy A" in first
    f.PersonFactory(academy=world.academy_a, first_name="Grace", last_name="Hopper")
    assert "Grace Hopper" in _page(client)
    colleague.delete()
    assert "Ada Lovelace" not in _page(client)
    Academy.objects.filter(pk=world.academy_a.pk).update(name="Academy Alpha")  # no signal: say so
    changes.records_changed()
    assert "Academy Alpha" in _page(client)
    world.hub.academies.remove(world.academy_a)
    assert "Your academy is not in a hub yet." in _page(client)
    f.HubFactory(network=world.network, name="Moorland Cluster").academies.add(world.academy_a)
    assert "Moorland Cluster" in _page(client)


@pytest.mark.django_db(transaction=True)
def test_the_bookings_are_read_afresh_after_a_change_and_once_one_ends(client, world, settings, monkeypatch):
    settings.FIGURES_REMEMBERED = True
    soon = timezone.now() + datetime.timedelta(minutes=30)
    f.BookingFactory(
        event=f.EventFactory(
            network=world.network, title="Twilight webinar", starts_at=soon, ends_at=soon + datetime.timedelta(hours=1)
        ),
        person=world.person_a,
    )
    client.force_login(_approver(world))
    assert "Twilight webinar" in _page(client) and "waiting for your approval" not in _page(client)
    f.BookingFactory(event=f.EventFactory(network=world.network, title="Summer conference"), person=world.person_a)
    assert "Summer conference" in _page(client)
    request = _request_from_a_colleague(world)
    assert "1 request from colleagues at your academy is waiting" in _page(client)
    request.status = "confirmed"
    request.save()
    assert "waiting for your approval" not in _page(client)
    # No record changes when an event ends: the kept list knows when it goes out of date.
    generation = changes.generation()
    later = timezone.now() + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = _page(client)
    assert "Twilight webinar" not in page and "Summer conference" in page
    assert changes.generation() == generation


@pytest.mark.django_db(transaction=True)
def test_the_visits_are_read_afresh_after_a_change(client, world, settings):
    settings.FIGURES_REMEMBERED = True
    client.force_login(world.leader_a)
    assert "No open visits." in _page(client)
    visit = vh.requested(world.network, world.academy_a, by=world.coordinator)
    assert "No open visits." not in _page(client) and f"/visits/{visit.pk}/" in _page(client)


@pytest.mark.django_db(transaction=True)
def test_visits_written_in_bulk_move_the_generation_on(world, settings):
    settings.FIGURES_REMEMBERED = True
    year = vh.current_year(world.network)
    f.MembershipFactory(year=year, academy=world.academy_a)
    visit_kinds_ensure(network=world.network)  # saved one by one: it moves the generation itself
    before = changes.generation()
    assert requests.visits_create_annual(year=year, by=world.coordinator) == 1
    assert changes.generation() != before


@pytest.mark.django_db(transaction=True)
def test_each_reader_has_their_own_remembered_home(client, world, settings):
    settings.FIGURES_REMEMBERED = True
    other = f.leader(world.academy_a, email="second.leader@portal.example")
    client.force_login(world.leader_a)
    mine = _page(client)
    assert other.person.full_name in mine and f"<li>{world.person_a.full_name} –" not in mine
    client.force_login(other)
    theirs = _page(client)  # the same academy, but their colleagues leave them out
    assert world.person_a.full_name in theirs and f"<li>{other.person.full_name} –" not in theirs
    # A login is not a counted record: moving it to another person moves no generation,
    # so the key (access.scope_key) must name the person.
    other.person = world.person_b
    other.save()
    assert "Academy B" in _page(client) and "Academy A" not in _page(client)
    other.person = None
    other.save()
    assert "not linked to an academy" in _page(client)


@pytest.mark.django_db(transaction=True)
def test_superusers_with_a_leaders_login_share_a_scope_but_not_an_academy(world, settings):
    # (Their home is the coordinators' page; the selector must not mix them up all the same.)
    settings.FIGURES_REMEMBERED = True
    first = f.leader(world.academy_a, is_superuser=True)
    second = f.leader(world.academy_b, is_superuser=True)
    assert access.scope_key(first) == access.scope_key(second) == ("everything",)
    assert selectors.leader_overview(first)["academy"]["name"] == "Academy A"
    assert selectors.leader_overview(second)["academy"]["name"] == "Academy B"


@pytest.mark.django_db
def test_the_scope_key_names_what_the_door_reads_from_a_login(world):
    leader = world.leader_a
    assert access.scope_key(leader) == ("user", leader.pk, "leader", leader.person_id, world.academy_a.pk)
    assert access.scope_key(world.coordinator) == ("everything",)
    leader.is_active = False
    assert access.scope_key(leader) == ("nobody",)


@pytest.mark.django_db
def test_the_page_shows_the_academy_card_hubs_and_colleagues(client, world):
    world.academy_a.pupils_on_roll = 1234
    world.academy_a.support_tier = "stabilise"
    world.academy_a.region = "North East"
    world.academy_a.save()
    lead = f.PersonFactory(academy=world.academy_b, first_name="Rosalind", last_name="Franklin")
    Hub.objects.filter(pk=world.hub.pk).update(lead=lead, deputy_lead=world.person_b)
    f.PersonFactory(academy=world.academy_a, first_name="Ada", last_name="Lovelace", job_role="technician")
    client.force_login(world.leader_a)
    page = _page(client)
    assert "Trust A · North East" in page
    assert "1,234 pupils · Support tier: Stabilise &amp; Repair" in page
    assert (
        f"<li>{world.hub.name} ({world.hub.get_kind_display()}, Secondary Science Network) – led by Rosalind Franklin,"
        f" deputy {world.person_b.full_name}</li>"
    ) in page
    assert "<li>Ada Lovelace – Science technician</li>" in page


@pytest.mark.django_db
def test_an_academy_without_a_trust_or_hubs(client, world):
    academy = f.AcademyFactory(trust=None, name="Lone Academy", pupils_on_roll=None, region="")
    client.force_login(f.leader(academy))
    page = _page(client)
    assert "No trust · </p>" in page
    assert "Your academy is not in a hub yet." in page and "No colleagues recorded yet." in page
