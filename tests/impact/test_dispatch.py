"""Dispatch on the right days, with time frozen (every sweep takes `now=`): the
evaluation after the event, follow-ups 3 and 12 months after attending, one reminder
after 7 days to those who have not answered, surveys closing on their date; and no
message twice when the sweep runs twice, or on two workers at once (PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection

from events.services.reminders import surveys_mark_due
from impact.models import Survey, SurveyInvitation
from impact.surveys.services import dispatch
from impact.surveys.services.dispatch import surveys_sweep
from network.base import outbox
from network.base.models import OutboxMessage
from tests import factories as f
from tests.impact.helpers import T0, answer, attendee, builtin, past_event

pytestmark = pytest.mark.django_db

EVALUATION = Survey.Kind.EVALUATION
FOLLOW_UP = Survey.Kind.FOLLOW_UP


def keys(kind: str) -> list[str]:
    return sorted(OutboxMessage.objects.filter(key__endswith=f":{kind}").values_list("key", flat=True))


def test_the_evaluation_goes_in_the_first_sweep_after_the_event_is_marked_due(world):
    event = past_event(world.network)
    booking = attendee(event, academy=world.academy_a)
    absent = attendee(event, attended=False)
    surveys_sweep(now=T0 - timedelta(hours=1))  # before the event ends: nothing due
    assert SurveyInvitation.objects.count() == 0
    surveys_mark_due(now=T0 + timedelta(minutes=20))
    result = surveys_sweep(now=T0 + timedelta(minutes=30))
    assert (result["evaluations"], result["invitations"]) == (1, 1)
    invitation = SurveyInvitation.objects.get()
    assert (invitation.survey, invitation.person, invitation.event) == (
        builtin(world.network, EVALUATION),
        booking.person,
        event,
    )
    assert invitation.invited_at == T0 + timedelta(minutes=30)
    message = OutboxMessage.objects.get(key=f"survey-invitation:{invitation.pk}:invitation")
    assert message.to == booking.person.email
    assert invitation.token in message.body_text
    assert event.title in message.subject
    assert not SurveyInvitation.objects.filter(person=absent.person).exists()


def test_an_invitation_records_the_academy_it_counts_for(world):
    """The booking's academy (where the person was when they booked), else the person's:
    the dashboards count response rates by academy from it without a join."""
    event = past_event(world.network)
    booking = attendee(event, academy=world.academy_a)
    booking.person.academy = world.academy_b  # moved school since booking
    survey = f.SurveyFactory(network=world.network)
    about_the_event = dispatch.build_invitation(survey, booking.person, now=T0, event=event, booking=booking)
    assert about_the_event.academy_id == world.academy_a.pk
    assert about_the_event.trust_id == world.academy_b.trust_id  # the trust when invited, as before
    no_booking = dispatch.build_invitation(survey, booking.person, now=T0)
    assert no_booking.academy_id == world.academy_b.pk


def test_a_booking_marked_due_long_ago_is_not_invited_by_a_new_sweep(world):
    event = past_event(world.network, ended_at=T0 - timedelta(days=29))
    booking = attendee(event)
    booking.survey_due_at = T0 - timedelta(days=31)
    booking.save()
    assert surveys_sweep(now=T0)["evaluations"] == 0


def test_one_reminder_on_the_seventh_day_to_those_who_have_not_answered(world):
    event = past_event(world.network)
    quiet, keen = attendee(event), attendee(event)
    surveys_mark_due(now=T0 + timedelta(minutes=20))
    surveys_sweep(now=T0 + timedelta(minutes=30))
    invited = T0 + timedelta(minutes=30)
    survey = builtin(world.network, EVALUATION)
    keen_invitation = SurveyInvitation.objects.get(person=keen.person)
    questions = dict.fromkeys(survey.questions.filter(kind="likert"), 4)
    questions.update({q: q.choices[0] for q in survey.questions.filter(kind="single")})
    questions.update(dict.fromkeys(survey.questions.filter(kind="long_text", required=True), "More practicals"))
    answer(keen_invitation, questions, now=invited + timedelta(days=2))

    assert surveys_sweep(now=invited + timedelta(days=6, hours=23))["reminders"] == 0
    assert surveys_sweep(now=invited + timedelta(days=7))["reminders"] == 1
    assert surveys_sweep(now=invited + timedelta(days=7, hours=1))["reminders"] == 0
    assert surveys_sweep(now=invited + timedelta(days=14))["reminders"] == 0
    quiet_invitation = SurveyInvitation.objects.get(person=quiet.person)
    assert keys("reminder") == [f"survey-invitation:{quiet_invitation.pk}:reminder"]
    assert keys("invitation") == sorted(
        f"survey-invitation:{pk}:invitation" for pk in SurveyInvitation.objects.values_list("pk", flat=True)
    )


def test_no_reminder_once_the_link_has_expired_or_the_survey_closed(world):
    survey = f.SurveyFactory(network=world.network)
    f.question(survey)
    expired = f.invitation(survey, f.PersonFactory(), invited_at=T0 - timedelta(days=8))
    expired.expires_at = T0 - timedelta(minutes=1)
    expired.save()
    assert surveys_sweep(now=T0)["reminders"] == 0


def test_the_sweep_run_twice_sends_nothing_twice(world):
    event = past_event(world.network)
    for _ in range(3):
        attendee(event)
    surveys_mark_due(now=T0 + timedelta(minutes=20))
    first = surveys_sweep(now=T0 + timedelta(minutes=30))
    second = surveys_sweep(now=T0 + timedelta(minutes=30))
    assert first["invitations"] == 3
    assert (second["evaluations"], second["invitations"], second["reminders"]) == (0, 0, 0)
    assert SurveyInvitation.objects.count() == 3
    assert OutboxMessage.objects.count() == 3


def test_follow_ups_three_and_twelve_months_after_attending(world):
    event = past_event(world.network)
    came = attendee(event)
    attendee(event, attended=False)  # absent: never followed up
    attendee(event, attended=None)  # no register taken: not known to have attended
    surveys_sweep(now=T0 + timedelta(days=88))
    assert not SurveyInvitation.objects.filter(survey__kind=FOLLOW_UP).exists()
    surveys_sweep(now=T0 + timedelta(days=92))  # 10 June: three calendar months after 10 March
    three = builtin(world.network, FOLLOW_UP, 3)
    assert list(SurveyInvitation.objects.filter(survey__kind=FOLLOW_UP).values_list("survey", "person")) == [
        (three.pk, came.person_id)
    ]
    surveys_sweep(now=T0 + timedelta(days=366))
    twelve = builtin(world.network, FOLLOW_UP, 12)
    assert sorted(SurveyInvitation.objects.filter(survey__kind=FOLLOW_UP).values_list("survey", flat=True)) == sorted(
        [three.pk, twelve.pk]
    )
    follow_up = OutboxMessage.objects.get(
        key__startswith=f"survey-invitation:{SurveyInvitation.objects.get(survey=three).pk}:"
    )
    assert "3-month follow-up" in follow_up.subject
    assert event.title in follow_up.body_text


def test_a_follow_up_delay_is_configurable(world):
    surveys_sweep(now=T0)
    three = builtin(world.network, FOLLOW_UP, 3)
    three.follow_up_months = 6
    three.save()
    event = past_event(world.network)
    attendee(event)
    surveys_sweep(now=T0 + timedelta(days=92))
    assert not SurveyInvitation.objects.filter(survey=three).exists()
    surveys_sweep(now=T0 + timedelta(days=184))
    assert SurveyInvitation.objects.filter(survey=three).count() == 1


def test_a_survey_closes_on_its_date(world):
    survey = f.SurveyFactory(network=world.network, closes_at=T0)
    assert surveys_sweep(now=T0 - timedelta(minutes=1))["closed"] == 0
    assert surveys_sweep(now=T0)["closed"] == 1
    survey.refresh_from_db()
    assert (survey.status, survey.closed_at) == (Survey.Status.CLOSED, T0)


def test_a_coordinator_invites_an_audience_once(world):
    survey = f.SurveyFactory(network=world.network, kind="annual")
    f.question(survey)
    event = past_event(world.network)
    people = [attendee(event).person for _ in range(3)]
    attendee(event, attended=False)
    assert dispatch.invitations_create(survey=survey, kind="event", event=event, by=world.coordinator, now=T0) == 3
    assert dispatch.invitations_create(survey=survey, kind="event", event=event, by=world.coordinator, now=T0) == 0
    assert sorted(SurveyInvitation.objects.values_list("person", flat=True)) == sorted(p.pk for p in people)
    assert SurveyInvitation.objects.filter(invited_at__isnull=True).count() == 3  # the sweep sends them
    assert surveys_sweep(now=T0 + timedelta(hours=1))["invitations"] == 3


def test_members_audience_is_the_member_academies_leads(world):
    survey = f.SurveyFactory(network=world.network, kind="annual")
    lead = f.PersonFactory(academy=world.academy_a, job_role="head_of_science")
    f.PersonFactory(academy=world.academy_a, job_role="teacher")
    outsider = f.PersonFactory(job_role="head_of_science")  # an academy of a trust not in the network
    people = dispatch.audience(survey, kind="members")
    assert lead in people and outsider not in people
    assert all(p.job_role != "teacher" for p in people)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_invite_and_send_each_message_once(postgres):
    network = f.NetworkFactory()
    event = past_event(network)
    bookings = [attendee(event) for _ in range(8)]
    surveys_mark_due(now=T0 + timedelta(minutes=20))
    barrier = threading.Barrier(2)
    errors = []

    def worker(now):
        try:
            barrier.wait(timeout=30)
            surveys_sweep(now=now)
            for message_id in OutboxMessage.objects.values_list("pk", flat=True):
                outbox.deliver(message_id)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    for now in (T0 + timedelta(minutes=30), T0 + timedelta(days=7, minutes=30)):
        threads = [threading.Thread(target=worker, args=(now,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert Survey.objects.filter(network=network, builtin=True).count() == 3
    assert SurveyInvitation.objects.count() == len(bookings)
    assert len(keys("invitation")) == len(bookings)
    assert len(keys("reminder")) == len(bookings)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(b.person.email for b in bookings for _ in range(2))
