"""The roles pages: who does what in the network, and the succession risks."""

from django.core.paginator import Paginator
from django.shortcuts import render

from network.base.web import permission_required
from network.programme.roles import selectors
from network.programme.roles.models import NetworkRole


@permission_required("network.open_roles")
def role_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in NetworkRole.Kind.values else ""
    q = request.GET.get("q", "").strip()[:100]
    roles = selectors.roles_for(request.user, kind=kind, q=q)
    page = Paginator(roles, 25).get_page(request.GET.get("page"))
    return render(
        request, "network/roles/list.html", {"page": page, "kind": kind, "q": q, "kinds": NetworkRole.Kind.choices}
    )


@permission_required("network.see_succession_risks")
def succession_risks(request):
    risks = selectors.risks_for(request.user)
    return render(request, "network/roles/risks.html", {"risks": risks})
