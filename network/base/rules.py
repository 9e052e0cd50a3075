"""Who may do what: the platform's role predicates and the one "not allowed" exception.

Every "may this user do this (to that)?" question in the portal is a permission of
django-rules (https://github.com/dfunckt/django-rules), registered in its room's
`rules.py` and asked in one way everywhere: a service calls `ensure(user, perm, obj)`, a
view is gated by `network.base.web.permission_required`, and a template uses
`{% load rules %}{% has_perm "room.perm" user obj as ok %}`. Nothing else restates a
rule. *Which rows* a user may see is a different question, answered by the access door
(`network/base/access.py`); a predicate that needs rows asks the door.

Permissions are named `<room>.<verb>_<thing>`, e.g. `events.cancel_booking`.
"""

import rules
from django.core.exceptions import PermissionDenied

from network.base.models import Role


class NotAllowed(PermissionDenied):
    """A user asked for something a rule refuses. One type for every room: Django answers
    403 with its message (templates/403.html), and a view that wants the message on its
    form catches it with `network.base.web.service_errors`. Objects outside the user's
    scope are not a `NotAllowed` but a 404, through the access door."""

    def __init__(self, message: str = "You are not allowed to do that."):
        super().__init__(message)
        self.message = message


def ensure(user, perm: str, obj=None, message: str | None = None) -> None:
    """Raise `NotAllowed` unless `user` has `perm` (on `obj`)."""
    if not has(user, perm, obj):
        raise NotAllowed(message or "You are not allowed to do that.")


def has(user, perm: str, obj=None) -> bool:
    """Ask the rule itself, not `user.has_perm`: an active superuser passes every
    `has_perm`, and our rules must hold for them too (a superuser who is also a trust
    executive may not review a bid from their own trust)."""
    return rules.has_perm(perm, user, obj)


@rules.predicate
def is_active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _role(role):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user) -> bool:
        return is_active(user) and user.role == role

    return predicate


is_coordinator = _role(Role.COORDINATOR)
is_trust_executive = _role(Role.TRUST_EXECUTIVE)
is_leader = _role(Role.LEADER)
is_visitor = _role(Role.VISITOR)
is_steering = _role(Role.STEERING)


@rules.predicate
def has_person(user) -> bool:
    return is_active(user) and user.person_id is not None


@rules.predicate
def is_staff(user) -> bool:
    return is_active(user) and user.is_staff


# Who must use two-step sign-in: coordinators (and anyone with the admin), and trust
# executives (network/base/mfa.py sends them to set it up before any other page).
rules.add_perm("network.must_use_two_step_sign_in", is_coordinator | is_staff | is_trust_executive)

# The platform's own pages.
rules.add_perm("network.invite_people", is_coordinator)
rules.add_perm("network.open_admin", is_coordinator)
rules.add_perm("network.download_own_data", is_active)
