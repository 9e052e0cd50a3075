"""Reads of the roles pages: the roles of the network (public to members: role clarity)
and the succession risks (coordinators all, executives their trusts' part)."""

from django.db.models import Q

from network.base import access
from network.programme.models import Network
from network.programme.roles import succession
from network.programme.roles.models import NetworkRole


def roles_for(user, *, kind: str = "", q: str = ""):
    roles = access.scoped(user, NetworkRole).select_related(
        "network", "hub", "trust", "holder__academy", "deputy__academy"
    )
    if kind:
        roles = roles.filter(kind=kind)
    if q:
        roles = roles.filter(
            Q(title__icontains=q)
            | Q(holder__first_name__icontains=q)
            | Q(holder__last_name__icontains=q)
            | Q(hub__name__icontains=q)
        )
    return roles.order_by("network__name", "kind", "hub__name", "title", "pk")


def risks_for(user, *, today=None) -> list:
    trust_ids = None if user.is_coordinator else access.member_trust_ids(user)
    risks = []
    for network in access.scoped(user, Network).order_by("name"):
        risks.extend(succession.risks_for(user, network, today=today, trust_ids=trust_ids))
    return risks
