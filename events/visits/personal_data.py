"""What visits hold about a person, for "Download my data", and what erasure does here.
Visits, actions and the log keep the (erased) person, so the network's figures stay
true; they hold no contact details of their own, so erasure has nothing more to do
(the outbox's unsent visit emails are removed by the platform's erasure)."""

from django.db.models import Q
from django.utils import timezone

from events.visits.models import Visit, VisitAction


def _when(moment):
    return timezone.localtime(moment) if moment else None


def personal_data(user, person) -> dict:
    visits = Visit.objects.filter(Q(requested_by=user) | Q(assignments__person=person) | Q(host_contact=person))
    if person is None:
        visits = Visit.objects.filter(requested_by=user)
    rows = visits.distinct().select_related("kind", "host_academy").order_by("requested_at")
    actions = VisitAction.objects.filter(owner=person).select_related("visit__host_academy") if person else []
    return {
        "visits": [
            {
                "kind": v.kind.name,
                "academy_visited": v.host_academy.name if v.host_academy_id else None,
                "starts_at": _when(v.starts_at),
                "status": v.get_status_display(),
                "requested_by_you": v.requested_by_id == user.pk,
                "host_contact": bool(person and v.host_contact_id == person.pk),
            }
            for v in rows
        ],
        "visit_actions_owned": [
            {"action": a.description, "due_on": a.due_on, "status": a.get_status_display()} for a in actions
        ],
    }


def erase(person) -> None:
    """Nothing to remove: see the module's note."""
