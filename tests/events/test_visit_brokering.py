"""Brokering suggestions: ranked by fit with the reasons shown, never the requester's own
academy (nor its people), another trust preferred, and anyone at the term's cap left out."""

import datetime

import pytest
from django.urls import reverse

from events.visits.brokering import suggestions
from events.visits.models import VisitPolicy
from tests import factories as f
from tests.events import visit_helpers as vh


@pytest.fixture
def tags():
    return {
        "practical": f.ExpertiseTagFactory(name="Practical work", slug="practical-work"),
        "literacy": f.ExpertiseTagFactory(name="Literacy in science", slug="literacy-in-science"),
    }


def test_hosts_ranked_by_fit_with_reasons_never_the_requester(world, tags):
    # Academy A asks to see practical work; B and C could host; A has experts too.
    expert_a = f.PersonFactory(academy=world.academy_a)
    expert_a.expertise.set([tags["practical"]])
    expert_b = f.PersonFactory(academy=world.academy_b)
    expert_b.expertise.set([tags["practical"]])
    expert_b.designations.set([f.DesignationFactory(name="Specialist Leader of Education (SLE)")])
    f.InspectionFactory(academy=world.academy_b, grade=1, inspection_date=datetime.date(2024, 5, 1))
    f.PerformanceResultFactory(academy=world.academy_b, academic_year="2023-24", percentile=92)
    same_trust = f.AcademyFactory(trust=world.trust_a, name="Academy A2")
    f.PersonFactory(academy=same_trust).expertise.set([tags["practical"]])
    visit = vh.requested(
        world.network, world.academy_a, by=world.leader_a, code="peer", direction="see", focus=[tags["practical"]]
    )

    found = suggestions(visit)

    assert found.wanted == "host"
    names = [s.academy.name for s in found.items]
    assert "Academy A" not in names
    assert names[:2] == ["Academy B", "Academy A2"]
    best = found.items[0]
    assert best.reasons == [
        "Expertise in Practical work",
        "1 SLE or Lead Practitioner",
        "Ofsted: Outstanding (01/05/2024)",
        "Progress 8 at the 92th percentile nationally (2023-24)",
        "Another trust",
    ]
    assert best.score == 3 + 2 + 3 + 3 + 2
    # Another trust is preferred: same expertise, but A2 is in the requester's trust.
    assert "Another trust" not in found.items[1].reasons


def test_visitors_ranked_never_from_the_host_and_a_consultant_head_first(world, tags):
    visit = vh.requested(world.network, world.academy_a, by=world.leader_a, focus=[tags["literacy"]])
    consultant = f.PersonFactory(academy=None, trust=None, first_name="Helen", last_name="Ward")
    consultant.designations.set([f.DesignationFactory(name="Consultant headteacher")])
    peer = f.PersonFactory(academy=world.academy_b, first_name="Owen", last_name="Price")
    peer.expertise.set([tags["literacy"]])
    colleague = f.PersonFactory(academy=world.academy_a)
    colleague.expertise.set([tags["literacy"]])

    found = suggestions(visit)

    assert found.wanted == "visitors"
    people = [s.person for s in found.items]
    assert colleague not in people
    assert people == [peer, consultant]
    assert found.items[0].reasons == [
        "Expertise in Practical work".replace("Practical work", "Literacy in science"),
        "Another trust",
    ]
    assert found.items[1].reasons == ["Consultant headteacher", "Independent of any trust"]


def test_past_agreed_reports_in_the_focus_count(world, tags):
    visitor = f.PersonFactory(academy=world.academy_b, first_name="Owen", last_name="Price")
    done = vh.agreed(world.network, world.academy_a, [visitor], by=world.coordinator, owner=world.person_a)
    done.focus_areas.set([tags["practical"]])
    other = f.AcademyFactory(trust=world.trust_a, name="Academy A3")
    visit = vh.requested(world.network, other, by=world.coordinator, focus=[tags["practical"]])

    found = suggestions(visit)

    owen = next(s for s in found.items if s.person == visitor)
    assert "Wrote 1 agreed visit report on these focus areas" in owen.reasons


def test_anyone_at_the_term_cap_is_left_out_and_counted(world, tags):
    VisitPolicy.objects.create(network=world.network, host_cap_per_term=1, visitor_cap_per_term=1)
    busy = f.PersonFactory(academy=world.academy_b)
    busy.expertise.set([tags["practical"]])
    free = f.PersonFactory(academy=world.academy_b)
    free.expertise.set([tags["practical"]])
    vh.scheduled(world.network, f.AcademyFactory(trust=world.trust_a), [busy], by=world.coordinator, days=2)
    visit = vh.requested(world.network, world.academy_a, by=world.leader_a, focus=[tags["practical"]])

    found = suggestions(visit)

    people = [s.person for s in found.items]
    assert busy not in people and free in people
    assert found.left_out_at_cap == 1


def test_a_suggestion_fills_the_schedule_form_and_the_coordinator_schedules(client, world, tags):
    visit = vh.requested(
        world.network, world.academy_a, by=world.leader_a, code="peer", direction="see", focus=[tags["practical"]]
    )
    f.PersonFactory(academy=world.academy_b).expertise.set([tags["practical"]])
    client.force_login(world.coordinator)
    page = client.get(reverse("events:visit_broker", args=[visit.pk]))
    assert "Expertise in Practical work" in page.content.decode()
    filled = client.get(reverse("events:visit_broker", args=[visit.pk]), {"host": world.academy_b.urn})
    assert f'value="{world.academy_b.urn}"' in filled.content.decode()
    day = vh.at(9).date()
    response = client.post(
        reverse("events:visit_broker", args=[visit.pk]),
        {
            "step": "schedule",
            "host_urn": world.academy_b.urn,
            "visitor_emails": world.person_a.email,
            "day": day.isoformat(),
            "start_time": "09:00",
            "end_time": "12:00",
            "location": "Science block",
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.host_academy, list(visit.visitors.all())) == (
        "scheduled",
        world.academy_b,
        [world.person_a],
    )


def test_the_broker_form_shows_a_clash_on_the_page(client, world, tags):
    visitor = f.PersonFactory(academy=world.academy_b, first_name="Ruth", last_name="Mensah")
    vh.scheduled(world.network, f.AcademyFactory(trust=world.trust_a), [visitor], by=world.coordinator, days=9)
    visit = vh.requested(world.network, world.academy_a, by=world.coordinator)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("events:visit_broker", args=[visit.pk]),
        {
            "step": "schedule",
            "visitor_emails": visitor.email,
            "day": vh.at(9).date().isoformat(),
            "start_time": "10:00",
            "end_time": "11:00",
        },
    )
    assert response.status_code == 200
    assert "Nobody can be in two places at once. Ruth Mensah is already on" in response.content.decode()
