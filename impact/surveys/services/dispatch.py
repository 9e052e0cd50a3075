"""Dispatch: who is invited to which survey, and the sweep that sends invitations and
the one reminder, and closes surveys on their close date.

Everything is a sweep (`surveys_sweep`, run hourly by beat) or a coordinator's action
that only writes invitation rows; emails go through the outbox with one key per
invitation and kind (`survey-invitation:<id>:invitation`, `…:reminder`). An invitation
is unique per (survey, person, event), so a rerun, a retry or a second worker at the same
moment creates nothing twice and sends nothing twice.

- Post-event evaluation: each attendee whose booking the events sweep marked due
  (`Booking.survey_due_at`, `events.mark_surveys_due`) is invited to the network's
  evaluation, about that event.
- Lagged follow-ups: people who attended an event (the register says so) are invited
  `follow_up_months` after it ended (3 and 12 by default), within a 30-day window so a
  new follow-up does not reach back years.
- Pre/post pairs and the annual survey: a coordinator invites an audience
  (`invitations_create`).
- One reminder, 7 days after the invitation, to those who have not answered, while the
  link still works. On its close date a survey closes and its links stop working.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from events.models import Attendance, Booking, Event
from impact.surveys.models import Survey, SurveyInvitation
from impact.surveys.services.building import builtin_surveys_ensure
from network.base import outbox
from network.base.rules import ensure
from network.programme.models import Network
from trusts.models import JobRole, Person

LINK_VALID = datetime.timedelta(days=42)
REMINDER_AFTER = datetime.timedelta(days=7)
DUE_WITHIN = datetime.timedelta(days=30)
FOLLOW_UP_WINDOW = datetime.timedelta(days=30)
MEMBER_ROLES = (JobRole.HEAD_OF_SCIENCE, JobRole.SUBJECT_LEAD, JobRole.TRUST_SCIENCE_LEAD)


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the last
    day of a shorter month)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(moment)


def _person_trust_id(person: Person) -> int | None:
    return person.academy.trust_id if person.academy_id else person.trust_id


def build_invitation(survey: Survey, person: Person, *, now, event=None, booking=None) -> SurveyInvitation:
    expires = now + LINK_VALID
    if survey.closes_at and survey.closes_at < expires:
        expires = survey.closes_at
    return SurveyInvitation(
        survey=survey,
        person=person,
        event=event,
        booking=booking,
        trust_id=_person_trust_id(person),
        academy_id=(booking.academy_at_booking_id if booking is not None else None) or person.academy_id,
        anonymous=survey.anonymous,
        created_at=now,
        expires_at=expires,
    )


def _insert(invitations: list[SurveyInvitation]) -> int:
    """Insert, skipping any that another run made first (the unique constraints decide)."""
    before = len(invitations)
    if not invitations:
        return 0
    SurveyInvitation.objects.bulk_create(invitations, ignore_conflicts=True, batch_size=500)
    return before


def _not_invited(survey: Survey, *, person_path: str, event_path: str | None):
    lookup = {"survey": survey, "person": OuterRef(person_path)}
    if event_path:
        lookup["event"] = OuterRef(event_path)
    else:
        lookup["event__isnull"] = True
    return ~Exists(SurveyInvitation.objects.filter(**lookup))


def evaluation_invitations_create(*, now) -> int:
    """Invite each attendee marked due (in the last 30 days) to their network's open
    evaluation, about that event."""
    made = 0
    for survey in Survey.objects.filter(builtin=True, kind=Survey.Kind.EVALUATION, status=Survey.Status.OPEN):
        bookings = (
            Booking.objects.filter(
                event__network_id=survey.network_id,
                status=Booking.Status.CONFIRMED,
                survey_due_at__lte=now,
                survey_due_at__gt=now - DUE_WITHIN,
            )
            .filter(_not_invited(survey, person_path="person_id", event_path="event_id"))
            .select_related("person__academy", "event")
        )
        made += _insert([build_invitation(survey, b.person, now=now, event=b.event, booking=b) for b in bookings])
    return made


def follow_up_invitations_create(*, now) -> int:
    """Invite those who attended an event that ended `follow_up_months` ago (within the
    window) to each open follow-up of its network."""
    made = 0
    for survey in Survey.objects.filter(kind=Survey.Kind.FOLLOW_UP, status=Survey.Status.OPEN):
        ended_by = months_before(now, survey.follow_up_months)
        attended = (
            Attendance.objects.filter(
                attended=True,
                booking__status=Booking.Status.CONFIRMED,
                booking__event__network_id=survey.network_id,
                booking__event__status=Event.Status.SCHEDULED,
                booking__event__ends_at__lte=ended_by,
                booking__event__ends_at__gt=ended_by - FOLLOW_UP_WINDOW,
            )
            .filter(_not_invited(survey, person_path="booking__person_id", event_path="booking__event_id"))
            .select_related("booking__person__academy", "booking__event")
        )
        made += _insert(
            [
                build_invitation(survey, a.booking.person, now=now, event=a.booking.event, booking=a.booking)
                for a in attended
            ]
        )
    return made


def audience(survey: Survey, *, kind: str, event=None, series: str = "") -> list[Person]:
    """The people an audience names: attendees (confirmed bookings not marked absent) of
    one event or of an event series of the survey's network, or the network's member
    academies' heads of science, subject leads and trust science leads."""
    if kind in ("event", "series"):
        bookings = Booking.objects.filter(status=Booking.Status.CONFIRMED, event__network_id=survey.network_id)
        bookings = bookings.filter(event=event) if kind == "event" else bookings.filter(event__series=series)
        bookings = bookings.exclude(attendance__attended=False)
        people = Person.objects.filter(pk__in=bookings.values("person_id"))
    elif kind == "members":
        trusts = survey.network.member_trusts.values("pk")
        people = Person.objects.filter(job_role__in=MEMBER_ROLES).filter(
            Q(academy__trust__in=trusts, academy__is_open=True) | Q(academy__isnull=True, trust__in=trusts)
        )
    else:
        raise ValidationError({"audience": "Choose who to invite."})
    return list(people.select_related("academy").order_by("last_name", "first_name", "pk"))


@transaction.atomic
def invitations_create(*, survey: Survey, kind: str, event=None, series: str = "", by, now=None) -> int:
    """A coordinator invites an audience to an open survey; the sweep sends the emails
    (within the hour). People already invited are not invited again. Returns how many
    invitations were made."""
    ensure(by, "impact.build_surveys")
    now = now or timezone.now()
    if not survey.is_open:
        raise ValidationError("Open the survey before inviting people.")
    people = audience(survey, kind=kind, event=event, series=series)
    invited = set(survey.invitations.filter(event__isnull=True).values_list("person_id", flat=True))
    fresh = [build_invitation(survey, p, now=now) for p in people if p.pk not in invited]
    return _insert(fresh)


def link_for(invitation: SurveyInvitation) -> str:
    return settings.PORTAL_BASE_URL + reverse("impact:answer_by_link", args=[invitation.token])


def _email(invitation: SurveyInvitation, kind: str) -> None:
    outbox.enqueue(
        key=f"survey-invitation:{invitation.pk}:{kind}",
        to=invitation.person.email,
        template=f"impact/email/survey_{kind}",
        context={
            "invitation": invitation,
            "person": invitation.person,
            "survey": invitation.survey,
            "event": invitation.event,
            "link": link_for(invitation),
            "intro": invitation.survey.introduction_for(invitation.event),
        },
    )


def _locked(queryset):
    # On PostgreSQL two workers share the work instead of queueing behind each other;
    # the outbox key would stop a double send either way.
    if connection.vendor == "postgresql":
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset


def _live(now):
    return SurveyInvitation.objects.filter(
        survey__status=Survey.Status.OPEN, answered_at__isnull=True, expires_at__gt=now
    ).select_related("survey", "person", "event")


def invitations_send(*, now) -> int:
    """Queue each new invitation's email, once."""
    sent = 0
    with transaction.atomic():
        for invitation in _locked(_live(now).filter(invited_at__isnull=True).order_by("pk")):
            _email(invitation, "invitation")
            invitation.invited_at = now
            invitation.save(update_fields=["invited_at"])
            sent += 1
    return sent


def reminders_send(*, now) -> int:
    """Queue the one reminder, 7 days after the invitation, to those who have not
    answered while their link still works."""
    sent = 0
    with transaction.atomic():
        due = _live(now).filter(invited_at__lte=now - REMINDER_AFTER, reminded_at__isnull=True).order_by("pk")
        for invitation in _locked(due):
            _email(invitation, "reminder")
            invitation.reminded_at = now
            invitation.save(update_fields=["reminded_at"])
            sent += 1
    return sent


def surveys_close_due(*, now) -> int:
    return Survey.objects.filter(status=Survey.Status.OPEN, closes_at__lte=now).update(
        status=Survey.Status.CLOSED, closed_at=now
    )


def surveys_sweep(*, now: datetime.datetime | None = None) -> dict:
    """The hourly sweep: close what is due, make the evaluation and follow-up
    invitations, send new invitations and the reminders. Safe to run twice or on two
    workers at once. Returns what it did, by step."""
    now = now or timezone.now()
    for network in Network.objects.all():
        builtin_surveys_ensure(network=network)
    return {
        "closed": surveys_close_due(now=now),
        "evaluations": evaluation_invitations_create(now=now),
        "follow_ups": follow_up_invitations_create(now=now),
        "invitations": invitations_send(now=now),
        "reminders": reminders_send(now=now),
    }
