"""The termly radar: composed from the term's items, previewed, and sent through the
outbox to every member leader who has not opted out, once per person and issue (the
two-worker case is in test_programme_postgres.py)."""

import pytest
from django.urls import reverse

from network.base.models import OutboxMessage
from network.programme.connections.services import preference_set
from network.programme.radar.models import RadarIssue
from network.programme.radar.services import radar_sweep
from tests import factories as f
from tests.network import programme_helpers as ph

pytestmark = pytest.mark.django_db


def test_the_coordinator_composes_previews_and_sends_once_per_person(client, world, django_capture_on_commit_callbacks):
    ph.member(world.academy_a, world.network)
    ph.member(world.academy_b, world.network)
    leader_b = f.leader(world.academy_b)
    opted_out = f.leader(world.academy_a)
    preference_set(person=opted_out.person, radar_opt_out=True)
    not_member = f.leader(f.AcademyFactory())
    grant_round = ph.grant_round(world.network)
    report = ph.final_report(ph.bid(grant_round, world.academy_b, world.person_b, status="awarded", amount_awarded=800))
    event = f.EventFactory(network=world.network, title="Hub meeting: practicals")

    client.force_login(world.coordinator)
    form = client.get(reverse("network:radar_compose")).content.decode()
    assert report.bid.title in form and event.title in form
    response = client.post(
        reverse("network:radar_compose"),
        {
            "title": "Innovation Radar, spring",
            "editorial": "A term of firsts.",
            "outcomes": [report.pk],
            "events": [event.pk],
        },
    )
    issue = RadarIssue.objects.get()
    assert response["Location"] == reverse("network:radar_preview", args=[issue.pk])
    preview = client.get(response["Location"]).content.decode()
    assert "A term of firsts." in preview and report.bid.title in preview and "Send to 2 leaders" in preview

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:radar_send", args=[issue.pk]))
        client.post(reverse("network:radar_send", args=[issue.pk]))
    assert radar_sweep() == 0  # the sweep after the send finds nothing left
    assert radar_sweep() == 0
    sent = OutboxMessage.objects.filter(key__startswith=f"radar:{issue.pk}:")
    assert sorted(sent.values_list("to", flat=True)) == sorted([world.leader_a.email, leader_b.email])
    assert opted_out.email not in sent.values_list("to", flat=True)
    assert not_member.email not in sent.values_list("to", flat=True)
    assert "A term of firsts." in sent.first().body_text

    client.force_login(leader_b)  # the archive
    assert "Innovation Radar, spring" in client.get(reverse("network:radar_list")).content.decode()
    assert client.get(reverse("network:radar_detail", args=[issue.pk])).status_code == 200
