"""`{% has_perm "app.rule" user [obj] as may_x %}` for templates, asking the rule itself
(`network.base.rules.has`), as views and services do.

django-rules' own tag asks `user.has_perm`, which differs twice: an active superuser
passes every check there (our rules must hold for them too: a superuser who is also a
trust executive may not review a bid from their own trust), and a refusal falls through
to Django's ModelBackend, which loads the user's permissions from the database (two
queries on every page with the menu, for nothing). Load this library, not `rules`."""

import time

from django import template
from django.apps import apps

from network.base import access
from network.base.rules import has

register = template.Library()


@register.simple_tag
def has_perm(perm, user, obj=None):
    return has(user, perm, obj)


@register.filter
def reach(user, model_label):
    """`{% if user|reach:"network.Membership" == "all" %}`: how far the door lets the user
    see that model ("all", "academy" or "trusts"), for wording a list by its scope."""
    return access.reach(user, apps.get_model(model_label))


# -- The main menu (network/templatetags/menu.py) ------------------------------------------
# The menu asks about 25 rules on every page; for a leader or an executive those answers
# cost ~2 ms (their academy, trusts and membership), nearly the cost of a whole bare
# request (speed, issue 14). They are kept in the session for MENU_SECONDS, for the same
# user, role and standing: a role change shows at once, a new hub lead or membership
# within minutes. Only which links the menu shows is kept: every page still asks the rule
# itself before it answers.
MENU_SECONDS = 5 * 60
MENU_MEMO = "_menu_answers"


def _standing(user) -> list:
    return [user.pk, getattr(user, "role", ""), user.is_active, user.is_superuser, user.is_staff]


def menu_answers(request, user, perms: tuple[str, ...]) -> tuple[bool, ...]:
    """The main menu's answers to `perms`, remembered in the session (see above)."""
    session = getattr(request, "session", None)
    if session is None or not getattr(user, "is_authenticated", False):
        return tuple(bool(has(user, perm)) for perm in perms)
    now, standing = int(time.time()), _standing(user)
    memo = session.get(MENU_MEMO)
    if not memo or memo.get("who") != standing or now - memo.get("at", 0) > MENU_SECONDS:
        memo = {"who": standing, "at": now, "answers": {}}
    answers = memo["answers"]
    missing = [perm for perm in perms if perm not in answers]
    if missing:
        answers.update((perm, bool(has(user, perm))) for perm in missing)
        session[MENU_MEMO] = memo  # saved with the response, once per page that adds answers
    return tuple(answers[perm] for perm in perms)
