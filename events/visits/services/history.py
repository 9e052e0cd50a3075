"""What every visit service shares: the row lock and the logged move."""

from django.utils import timezone

from events.visits import lifecycle
from events.visits.models import Visit, VisitLog
from network.base.models import User


def lock(visit: Visit) -> Visit:
    """The visit, re-read under a row lock: two people acting on one visit at once are
    served one after the other, and the second sees the first's change."""
    return Visit.objects.select_for_update(of=("self",)).select_related("kind", "network").get(pk=visit.pk)


def log(visit: Visit, *, action: str, by: User | None, text: str = "", from_status: str = "") -> VisitLog:
    return VisitLog.objects.create(
        visit=visit,
        at=timezone.now(),
        by=by if by and by.is_authenticated else None,
        action=action,
        from_status=from_status or visit.status,
        to_status=visit.status,
        text=text.strip(),
    )


def move(visit: Visit, *, action: str, by: User | None, text: str = "", fields=()) -> VisitLog:
    """Check the table, change the status, save the fields named, log the move."""
    lifecycle.check(visit, action)
    before = visit.status
    visit.status = lifecycle.target(action)
    visit.save(update_fields=["status", "updated_at", *fields])
    return log(visit, action=action, by=by, text=text, from_status=before)
