"""The visit's state machine as a table: which action may move a visit from which
states, and to which. Services ask `check(visit, action)` before they write, so an
illegal move is refused with a sentence a person understands (a `ValidationError`,
shown on the page), never a 500. Pure: no queries."""

from django.core.exceptions import ValidationError

from events.visits.models import Visit

S = Visit.Status

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset, str]] = {
    "propose": (frozenset({S.REQUESTED, S.PROPOSED}), S.PROPOSED),
    "schedule": (frozenset({S.REQUESTED, S.PROPOSED}), S.SCHEDULED),
    "reschedule": (frozenset({S.SCHEDULED}), S.SCHEDULED),
    "cancel": (frozenset({S.REQUESTED, S.PROPOSED, S.SCHEDULED}), S.CANCELLED),
    "complete": (frozenset({S.SCHEDULED}), S.COMPLETED),
    "submit_report": (frozenset({S.COMPLETED}), S.REPORT_SUBMITTED),
    "request_changes": (frozenset({S.REPORT_SUBMITTED}), S.COMPLETED),
    "agree_report": (frozenset({S.REPORT_SUBMITTED}), S.REPORT_AGREED),
    "close": (frozenset({S.REPORT_AGREED}), S.CLOSED),
}

# How each action and state reads in a refusal: "A visit that is cancelled cannot be rescheduled."
VERBS = {
    "propose": "be given a proposed host or visitor",
    "schedule": "be scheduled",
    "reschedule": "be rescheduled",
    "cancel": "be cancelled",
    "complete": "be marked as completed",
    "submit_report": "have its report submitted",
    "request_changes": "have its report sent back for changes",
    "agree_report": "have its report agreed",
    "close": "be closed",
}
STATES = {
    S.REQUESTED: "still a request",
    S.PROPOSED: "proposed but not yet scheduled",
    S.SCHEDULED: "scheduled and has not happened yet",
    S.COMPLETED: "waiting for its report",
    S.REPORT_SUBMITTED: "waiting for the host to agree its report",
    S.REPORT_AGREED: "agreed, with actions still open",
    S.CLOSED: "closed",
    S.CANCELLED: "cancelled",
}
HINTS = {
    "cancel": " Visits can be cancelled only before they have happened.",
    "reschedule": " Only a scheduled visit can be moved; schedule a request instead.",
    "complete": " A visit is marked as completed once it has been scheduled and has taken place.",
}


def can(status: str, action: str) -> bool:
    sources, _ = TRANSITIONS[action]
    return status in sources


def target(action: str) -> str:
    return TRANSITIONS[action][1]


def refusal(status: str, action: str) -> str:
    return f"A visit that is {STATES[S(status)]} cannot {VERBS[action]}.{HINTS.get(action, '')}"


def check(visit: Visit, action: str) -> None:
    """Raise a `ValidationError` that says why, unless `action` may move `visit` now."""
    if action not in TRANSITIONS:
        raise ValidationError(f"Unknown action on a visit: {action}.")
    if not can(visit.status, action):
        raise ValidationError(refusal(visit.status, action), code="illegal_transition")
