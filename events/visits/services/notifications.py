"""The visit emails, through the outbox in the caller's transaction. Keys name the
visit (or action), the kind and the person, plus the log entry for messages a visit can
send more than once (a reschedule sends a new "scheduled"), so a retry sends once."""

from django.conf import settings
from django.urls import reverse

from events.visits.models import Visit, VisitAction, VisitLog
from network.base import outbox
from trusts.models import JobRole, Person

HOST_ROLES = (JobRole.HEAD_OF_SCIENCE, JobRole.HEADTEACHER, JobRole.SUBJECT_LEAD)


def visit_url(visit: Visit) -> str:
    return settings.PORTAL_BASE_URL + reverse("events:visit_detail", args=[visit.pk])


def host_people(visit: Visit) -> list[Person]:
    """Who speaks for the host: the host contact, or else the academy's heads of science
    and headteacher (and subject leads)."""
    if visit.host_contact_id:
        return [visit.host_contact]
    if not visit.host_academy_id:
        return []
    return list(Person.objects.filter(academy_id=visit.host_academy_id, job_role__in=HOST_ROLES).order_by("pk"))


def visitor_people(visit: Visit) -> list[Person]:
    return [a.person for a in visit.assignments.select_related("person").order_by("pk")]


def email(visit: Visit, *, kind: str, people, template: str, log: VisitLog | None = None, **context) -> None:
    """Queue `template` to each person, once per (visit, kind[, log entry], person)."""
    seen = set()
    for person in people:
        if person is None or person.pk in seen or not person.email:
            continue
        seen.add(person.pk)
        suffix = f":{log.pk}" if log else ""
        outbox.enqueue(
            key=f"visit:{visit.pk}:{kind}{suffix}:{person.pk}",
            to=person.email,
            template=f"events/visits/email/{template}",
            context={"visit": visit, "person": person, "visit_url": visit_url(visit), "log": log, **context},
        )


def email_action(action: VisitAction, *, kind: str, template: str) -> None:
    outbox.enqueue(
        key=f"visit-action:{action.pk}:{kind}",
        to=action.owner.email,
        template=f"events/visits/email/{template}",
        context={"action": action, "visit": action.visit, "person": action.owner, "visit_url": visit_url(action.visit)},
    )
