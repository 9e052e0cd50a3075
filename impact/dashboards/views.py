"""The dashboard pages: thin. Parse the filters, call the page's one selector, render,
or hand one of its tables to the CSV exporter (`?download=<table key>`)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from impact.dashboards import periods, selectors
from impact.dashboards.exporters import table_csv
from impact.dashboards.forms import DashboardFilterForm, ObjectiveForm
from impact.dashboards.kpis import kpis
from impact.dashboards.models import Objective
from impact.dashboards.services import objective_set
from network.base import access
from network.base.web import permission_required, service_errors
from network.programme.models import Hub, Network
from trusts.models import Trust


@permission_required("impact.open_trust_dashboard")
def my_dashboard(request):
    """The dashboard menu link: a coordinator's network, an executive's trust (or a
    choice between their trusts)."""
    user = request.user
    if user.is_coordinator:
        network = Network.objects.order_by("name").first()
        if network is None:
            raise Http404
        return redirect("impact:network_dashboard", slug=network.slug)
    trusts = list(access.scoped(user, Trust).order_by("name"))
    if len(trusts) == 1:
        return redirect("impact:trust_dashboard", pk=trusts[0].pk)
    return render(request, "impact/dashboards/choose.html", {"trusts": trusts})


def _filters(request, *, hubs, networks=None):
    form = DashboardFilterForm(request.GET or None, hubs=hubs, networks=networks)
    choice = form.choice()
    query = {"kind": choice["kind"], "year": choice["year"].label}
    if choice["hub"]:
        query["hub"] = choice["hub"].pk
    if choice["network"]:
        query["network"] = choice["network"].slug
    return form, choice, urlencode(query)


def _sort(request):
    return request.GET.get("sort", ""), request.GET.get("dir") == "desc"


def _render(request, template, dashboard, form, query, extra=None):
    download = request.GET.get("download")
    if download:
        table = dashboard.table(download)
        if table is None:
            raise Http404
        name = dashboard.trust.name if dashboard.trust else dashboard.network.slug
        return table_csv(table, name=name, year=dashboard.year)
    # `data` is called by the template only when the figures' HTML is not cached.
    charts = [{"chart": c, "data": c.data, "id": f"chart-data-{c.key}"} for c in dashboard.charts]
    charted = {c.table.key for c in dashboard.charts}
    context = {
        "dashboard": dashboard,
        "form": form,
        "query": query,
        "charts": charts,
        "other_tables": [t for t in dashboard.tables.values() if t.key not in charted],
        **(extra or {}),
    }
    return render(request, template, context)


@permission_required("impact.open_trust_dashboard")
def trust_dashboard(request, pk):
    trust = access.get_scoped_or_404(request.user, Trust, pk=pk)
    networks = list(Network.objects.filter(member_trusts=trust).order_by("name"))
    if not networks:
        return render(request, "impact/dashboards/no_network.html", {"trust": trust})
    network_choices = Network.objects.filter(pk__in=[n.pk for n in networks]).order_by("name")
    first = request.GET.get("network")
    network = next((n for n in networks if n.slug == first), networks[0])
    form, choice, query = _filters(request, hubs=Hub.objects.filter(network=network), networks=network_choices)
    sort, descending = _sort(request)
    dashboard = selectors.trust_dashboard(
        request.user, trust, network=network, year=choice["year"], hub=choice["hub"], sort=sort, descending=descending
    )
    return _render(request, "impact/dashboards/trust.html", dashboard, form, query)


@permission_required("impact.open_network_dashboard")
def network_dashboard(request, slug):
    network = access.get_scoped_or_404(request.user, Network, slug=slug)
    form, choice, query = _filters(request, hubs=Hub.objects.filter(network=network))
    sort, descending = _sort(request)
    dashboard = selectors.network_dashboard(
        request.user, network, year=choice["year"], hub=choice["hub"], sort=sort, descending=descending
    )
    return _render(request, "impact/dashboards/network.html", dashboard, form, query)


@permission_required("impact.set_objectives")
@require_http_methods(["GET", "POST"])
def objectives(request, slug):
    network = access.get_scoped_or_404(request.user, Network, slug=slug)
    form = ObjectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            objective = objective_set(network=network, by=request.user, **form.cleaned_data)
        if not form.errors:
            messages.success(request, f"Objective saved: {objective}.")
            return redirect(f"{request.path}?year={objective.year_label}")
    label = request.GET.get("year") or periods.current(periods.MEMBERSHIP).label
    try:
        periods.year_for(periods.MEMBERSHIP, label)
    except ValueError:
        label = periods.current(periods.MEMBERSHIP).label
    context = {
        "network": network,
        "form": form,
        "label": label,
        "labels": sorted({*periods.recent_labels(periods.MEMBERSHIP, count=3), label}, reverse=True),
        "kpis": kpis(network, label),
        "objectives": access.scoped(request.user, Objective).filter(network=network).select_related("set_by"),
    }
    return render(request, "impact/dashboards/objectives.html", context)
