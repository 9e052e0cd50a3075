"""The radar's pages: the archive (members), an issue, and for coordinators composing,
previewing and sending."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from network.base import access
from network.base.web import permission_required, service_errors
from network.programme.models import Network
from network.programme.radar import selectors, services
from network.programme.radar.forms import RadarForm


@permission_required("network.read_radar")
def radar_list(request):
    page = Paginator(selectors.issues_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "network/radar/list.html", {"page": page})


@permission_required("network.read_radar")
def radar_detail(request, pk):
    issue = selectors.issue_detail(request.user, pk)
    return render(request, "network/radar/detail.html", {"issue": issue, **selectors.issue_content(issue)})


def _compose(request, network, issue=None):
    candidates = selectors.candidates(network)
    if issue is not None:  # keep what was picked, even if it is no longer this term's
        content = selectors.issue_content(issue)
        for key in ("outcomes", "events", "resources"):
            known = {item.pk for item in candidates[key]}
            candidates[key] += [item for item in content[key] if item.pk not in known]
    initial = (
        {
            "title": issue.title,
            "editorial": issue.editorial,
            "outcomes": list(issue.outcomes.all()),
            "resources": list(issue.resources.all()),
            "events": [str(pk) for pk in issue.event_ids],
        }
        if issue
        else {"title": f"Innovation Radar, {candidates['term'].label.removeprefix('the ')}"}
    )
    form = RadarForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            issue = services.radar_save(
                network=network,
                issue=issue,
                title=data["title"],
                editorial=data["editorial"],
                outcomes=data["outcomes"],
                resources=data["resources"],
                event_ids=data["events"],
                by=request.user,
            )
        if not form.errors:
            messages.success(request, "The draft is saved. Here is how it will look.")
            return redirect("network:radar_preview", pk=issue.pk)
    return render(
        request,
        "network/radar/compose.html",
        {"form": form, "network": network, "issue": issue, "term": candidates["term"]},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("network.compose_radar")
def radar_compose(request):
    network = access.scoped(request.user, Network).order_by("name").first()
    if network is None:
        raise Http404
    return _compose(request, network)


@permission_required("network.compose_radar")
def radar_edit(request, pk):
    issue = selectors.issue_detail(request.user, pk)
    if not issue.is_draft:
        return redirect("network:radar_detail", pk=issue.pk)
    return _compose(request, issue.network, issue)


@permission_required("network.compose_radar")
def radar_preview(request, pk):
    issue = selectors.issue_detail(request.user, pk)
    return render(
        request,
        "network/radar/preview.html",
        {
            "issue": issue,
            "recipient_count": selectors.recipients(issue.network).count(),
            **selectors.issue_content(issue),
        },
    )


@permission_required("network.compose_radar")
@require_POST
def radar_send(request, pk):
    issue = selectors.issue_detail(request.user, pk)
    try:
        services.radar_send(issue=issue, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The radar is on its way to every member leader who has not opted out.")
    return redirect("network:radar_detail", pk=issue.pk)
