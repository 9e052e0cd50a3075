"""The visit sweeps send each message once per (visit or action, kind, person): run
twice, the second run queues nothing. Reminders 7 days and 1 day before, the joining
link an hour before an online visit, report not written 10 days after, report not
agreed 10 days after submission, action overdue from its due date."""

import datetime

from django.utils import timezone

from events.visits.models import VisitAction, VisitReport
from events.visits.services import reports
from events.visits.services.reminders import actions_chase, reports_chase, visits_remind, visits_sweep
from network.base.models import OutboxMessage
from tests import factories as f
from tests.events import visit_helpers as vh

H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)


def _keys(prefix):
    return sorted(OutboxMessage.objects.filter(key__contains=prefix).values_list("key", flat=True))


def test_reminders_and_joining_link_once_each(world):
    visitor = f.PersonFactory(academy=world.academy_b)
    visit = vh.scheduled(
        world.network,
        world.academy_a,
        [visitor],
        by=world.coordinator,
        days=30,
        contact=world.person_a,
        is_online=True,
        joining_link="https://meet.example/visit",
    )
    start = visit.starts_at
    assert visits_remind(now=start - 10 * D) == 0
    assert visits_remind(now=start - 6 * D) == 2  # visitor and host contact
    assert visits_remind(now=start - 6 * D + H) == 0
    assert visits_remind(now=start - 20 * H) == 2
    assert visits_remind(now=start - 30 * datetime.timedelta(minutes=1)) == 2  # joining link
    assert visits_remind(now=start - 10 * datetime.timedelta(minutes=1)) == 0
    assert _keys(f"visit:{visit.pk}:reminder-7d") == [
        f"visit:{visit.pk}:reminder-7d:{p}" for p in sorted([visitor.pk, world.person_a.pk])
    ]
    link = OutboxMessage.objects.get(key=f"visit:{visit.pk}:joining-link:{visitor.pk}")
    assert "https://meet.example/visit" in link.body_text


def test_no_7_day_reminder_for_a_visit_scheduled_3_days_ahead(world):
    visitor = f.PersonFactory(academy=world.academy_b)
    visit = vh.scheduled(world.network, world.academy_a, [visitor], by=world.coordinator, days=3)
    assert visits_remind(now=visit.starts_at - 2 * D) == 0
    assert visits_remind(now=visit.starts_at - 20 * H) == 2  # the visitor and the host's head of science


def test_report_not_written_then_not_agreed_once_each(world):
    visitor = f.PersonFactory(academy=world.academy_b)
    visit = vh.completed(
        world.network, world.academy_a, [visitor], by=world.coordinator, days=-2, contact=world.person_a
    )
    assert reports_chase(now=visit.ends_at + 9 * D) == 0
    assert reports_chase(now=visit.ends_at + 11 * D) == 1
    assert reports_chase(now=visit.ends_at + 12 * D) == 0
    assert _keys("report-overdue") == [f"visit:{visit.pk}:report-overdue:{visitor.pk}"]

    # Submit this visit's report and let ten days pass without the host agreeing.
    reports.report_save(visit=visit, by=world.coordinator, seen="a", strengths="b", development="c", submit=True)
    submitted_at = VisitReport.objects.get(visit=visit).submitted_at
    assert reports_chase(now=submitted_at + 9 * D) == 0
    assert reports_chase(now=submitted_at + 11 * D) == 1  # to the host contact
    assert reports_chase(now=submitted_at + 11 * D) == 0
    assert _keys("agreement-overdue") == [f"visit:{visit.pk}:agreement-overdue:{world.person_a.pk}"]


def test_action_overdue_once_from_its_due_date(world):
    visitor = f.PersonFactory(academy=world.academy_b)
    visit = vh.agreed(world.network, world.academy_a, [visitor], by=world.coordinator, owner=world.person_a, due_in=5)
    action = visit.actions.get()
    today = timezone.localdate()
    assert actions_chase(today=today + 4 * D) == 0
    assert actions_chase(today=today + 5 * D) == 1
    assert actions_chase(today=today + 6 * D) == 0
    VisitAction.objects.filter(pk=action.pk).update(status="closed", closed_at=timezone.now())
    assert _keys("visit-action:") == [f"visit-action:{action.pk}:overdue"]


def test_the_whole_sweep_twice_sends_nothing_new(world):
    visitor = f.PersonFactory(academy=world.academy_b)
    visit = vh.scheduled(world.network, world.academy_a, [visitor], by=world.coordinator, days=1, hours=2)
    now = visit.starts_at - 20 * H
    first = visits_sweep(now=now)
    assert first["reminders"] == 2
    assert visits_sweep(now=now) == {"reminders": 0, "reports": 0, "actions": 0}
