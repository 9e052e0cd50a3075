"""Whether an event can be booked now, and whether it is meant for a person: the
reasons people read when it cannot. Shared by the booking services (which refuse) and
the event page (which explains before anyone clicks), so it imports neither."""

import datetime

from django.utils import timezone

from events.models import Event
from trusts.models import JobRole, Person, Phase


def uk_datetime(dt: datetime.datetime) -> str:
    """A moment as people in the UK write it: "05/03/2026 at 18:30"."""
    return timezone.localtime(dt).strftime("%d/%m/%Y at %H:%M")


def _in_sentence(label) -> str:
    """A label as it reads mid-sentence: "Head of science" → "head of science", but
    "Early career teacher (ECT)" keeps its acronym and "SENCo" stays as it is."""
    label = str(label)
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def audience_problem(*, event: Event, person: Person) -> str | None:
    """Why `event` is not meant for `person` (their job role or their academy's phase),
    or None when it is."""
    if event.audience_roles and person.job_role not in event.audience_roles:
        labels = ", ".join(_in_sentence(JobRole(r).label) for r in event.audience_roles if r in JobRole.values)
        return (
            f"This event is for {labels or 'other roles'}, so it is not open to a "
            f"{_in_sentence(person.get_job_role_display())}. Please contact the network coordinator if you think this is wrong."
        )
    if event.audience_phases:
        phase = person.academy.phase if person.academy_id else None
        if phase not in event.audience_phases:
            labels = ", ".join(_in_sentence(Phase(p).label) for p in event.audience_phases if p in Phase.values)
            return f"This event is for {labels or 'other'} phase academies, so it is not open to your academy."
    return None


def window_problem(*, event: Event, now: datetime.datetime | None = None) -> str | None:
    """Why `event` cannot be booked now (cancelled, not open yet, closed), or None."""
    now = now or timezone.now()
    if event.is_cancelled:
        return "This event has been cancelled, so it cannot be booked."
    if event.booking_opens_at and now < event.booking_opens_at:
        return f"Booking for this event opens on {uk_datetime(event.booking_opens_at)}."
    if now >= event.booking_deadline:
        return f"Booking for this event closed on {uk_datetime(event.booking_deadline)}."
    return None
