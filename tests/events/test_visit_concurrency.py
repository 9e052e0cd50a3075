"""Visits under concurrency, on PostgreSQL.

- Double-booking: coordinators scheduling the same person onto overlapping visits at the
  same moment are served one after the other (scheduling locks everyone on the visit),
  so exactly one succeeds and the others are refused naming the clash; a visit over a
  booked CPD event is refused however many try at once.
- Sweeps: two workers sweeping at the same moment queue each message once (the outbox
  key is unique)."""

import pytest
from django.core.exceptions import ValidationError

from events.visits.models import Visit
from events.visits.services import scheduling
from events.visits.services.reminders import visits_sweep
from network.base.models import OutboxMessage
from tests import factories as f
from tests.events import visit_helpers as vh
from tests.network.test_membership_sweep_postgres import at_once  # one thread per job, released together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(postgres):
    trust_a, trust_b = f.TrustFactory(), f.TrustFactory()
    network = f.NetworkFactory()
    network.member_trusts.set([trust_a, trust_b])
    coordinator = f.coordinator()
    visitor = f.PersonFactory(academy=f.AcademyFactory(trust=trust_b), first_name="Ruth", last_name="Mensah")
    hosts = [f.AcademyFactory(trust=trust_a) for _ in range(6)]
    requests = [vh.requested(network, host, by=coordinator) for host in hosts]
    return network, coordinator, visitor, requests


def _schedule(visit, visitor, by, start_hour):
    return lambda: (
        scheduling.visit_schedule(
            visit=visit,
            starts_at=vh.at(10, start_hour),
            ends_at=vh.at(10, start_hour + 2),
            visitors=[visitor],
            by=by,
        ).pk
    )


def test_six_overlapping_visits_for_one_person_at_once_schedule_exactly_one(scene):
    network, coordinator, visitor, requests = scene
    jobs = [_schedule(v, visitor, coordinator, 9 + i % 2) for i, v in enumerate(requests)]  # 9-11 or 10-12

    results, errors = at_once(jobs)

    assert len(results) == 1
    assert len(errors) == 5
    assert all(isinstance(e, ValidationError) for e in errors)
    assert all("Ruth Mensah is already on the consultant visit" in e.messages[0] for e in errors)
    assert Visit.objects.filter(status="scheduled").count() == 1


def test_visits_over_a_booked_cpd_event_are_all_refused_at_once(scene):
    network, coordinator, visitor, requests = scene
    event = f.EventFactory(
        network=network, title="Assessment that helps", starts_at=vh.at(10, 11), ends_at=vh.at(10, 12)
    )
    f.BookingFactory(event=event, person=visitor)
    jobs = [_schedule(v, visitor, coordinator, 10) for v in requests[:4]]

    results, errors = at_once(jobs)

    assert results == []
    assert len(errors) == 4
    assert all("Ruth Mensah is booked on “Assessment that helps”" in " ".join(e.messages) for e in errors)
    assert Visit.objects.filter(status="scheduled").count() == 0


def test_two_workers_sweeping_at_once_queue_each_reminder_once(scene):
    network, coordinator, visitor, requests = scene
    visit = scheduling.visit_schedule(
        visit=requests[0],
        starts_at=vh.at(1, 14),
        ends_at=vh.at(1, 16),
        visitors=[visitor],
        by=coordinator,
        now=vh.at(-10),
    )
    now = visit.starts_at - vh.datetime.timedelta(hours=20)

    results, errors = at_once([lambda: visits_sweep(now=now), lambda: visits_sweep(now=now)])

    assert errors == []
    keys = list(OutboxMessage.objects.filter(key__contains=":reminder-1d:").values_list("key", flat=True))
    assert sorted(keys) == sorted(set(keys))
    assert len(keys) == 1 + Visit.objects.get(pk=visit.pk).host_academy.people.count()
    # A restarted worker (a new connection, nothing in memory) finds nothing to do.
    assert visits_sweep(now=now) == {"reminders": 0, "reports": 0, "actions": 0}
