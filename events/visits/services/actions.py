"""Agreed actions, tracked to closure by their owners (or the host's leaders)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from events.visits.models import Visit, VisitAction
from events.visits.services.history import lock, log
from events.visits.services.reports import close_if_done
from network.base.models import User
from network.base.rules import ensure


@transaction.atomic
def action_update(*, action: VisitAction, status: str, by: User, note: str = "") -> VisitAction:
    """Move an agreed action on (open → in progress → closed, or back while the visit is
    open). Closing the last open action closes the visit. Actions of a report not yet
    agreed are the visitor's draft; a closed visit's are final."""
    ensure(by, "events.update_visit_action", action, "Only the action's owner or the host's leaders can update it.")
    visit = lock(action.visit)
    if visit.status != Visit.Status.REPORT_AGREED:
        if visit.status == Visit.Status.CLOSED:
            raise ValidationError("This visit is closed: every action was closed.")
        raise ValidationError("Actions are tracked once the host has agreed the report.")
    if status not in VisitAction.Status.values:
        raise ValidationError({"status": "Choose open, in progress or closed."})
    action = VisitAction.objects.select_for_update().get(pk=action.pk)
    before = action.get_status_display()
    action.status = status
    action.note = note.strip() or action.note
    if status == VisitAction.Status.CLOSED:
        action.closed_at, action.closed_by = timezone.now(), by
    else:
        action.closed_at, action.closed_by = None, None
    action.save()
    log(
        visit,
        action="action",
        by=by,
        text=f"“{action.description[:80]}”: {before} → {action.get_status_display()}. {note.strip()}".strip(),
    )
    close_if_done(visit, by=by)
    return action
