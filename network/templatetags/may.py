"""`{% has_perm "app.rule" user [obj] as may_x %}` for templates, asking the rule itself
(`network.base.rules.has`), as views and services do.

django-rules' own tag asks `user.has_perm`, which differs twice: an active superuser
passes every check there (our rules must hold for them too: a superuser who is also a
trust executive may not review a bid from their own trust), and a refusal falls through
to Django's ModelBackend, which loads the user's permissions from the database (two
queries on every page with the menu, for nothing). Load this library, not `rules`."""

from django import template

from network.base.rules import has

register = template.Library()


@register.simple_tag
def has_perm(perm, user, obj=None):
    return has(user, perm, obj)
