"""The coordinators' annual report page and its downloads (JSON, HTML, PDF)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from impact.dashboards import periods
from impact.report import renderers
from impact.report.selectors import remembered_report
from network.base import access
from network.base.web import permission_required
from network.programme.models import Network

DOWNLOADS = (("pdf", "Download PDF"), ("html", "Download HTML"), ("json", "Download JSON"))


def _report(request, slug):
    network = access.get_scoped_or_404(request.user, Network, slug=slug)
    kind = request.GET.get("kind") if request.GET.get("kind") in dict(periods.KINDS) else periods.MEMBERSHIP
    label = request.GET.get("year") or periods.current(kind).label
    try:
        return remembered_report(network, label, kind=kind), kind
    except ValueError:
        raise Http404 from None


@permission_required("impact.open_network_report")
def report(request, slug):
    report, kind = _report(request, slug)
    context = renderers.context(report) | {
        "labels": periods.recent_labels(kind),
        "kinds": periods.KINDS,
        "kind": kind,
        "downloads": DOWNLOADS,
    }
    return render(request, "impact/report/page.html", context)


@permission_required("impact.open_network_report")
def report_download(request, slug, fmt):
    if fmt not in renderers.FORMATS:
        raise Http404
    report, _kind = _report(request, slug)
    response = HttpResponse(renderers.remembered_render(report, fmt), content_type=renderers.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{renderers.filename(report, fmt)}"'
    return response
