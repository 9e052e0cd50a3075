"""Hub pages: the list, a hub's page (purpose, people, meetings, resources), asking to
join and the lead's answer, sharing a resource, a meeting's notes, and clusters that
schools propose and coordinators approve."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from network.base import access
from network.base.rules import has
from network.base.web import permission_required, service_errors
from network.programme.hubs import selectors, services
from network.programme.hubs.forms import ClusterProposalForm, HubSearchForm, JoinForm, MeetingNoteForm, ResourceForm
from network.programme.hubs.models import HubMembership


@permission_required("network.open_hubs")
def hub_list(request):
    form = HubSearchForm(request.GET or None)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    hubs = selectors.hubs_for(request.user, q=q)
    page = Paginator(hubs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "network/hubs/list.html",
        {"form": form, "page": page, "may_propose": has(request.user, "network.propose_cluster")},
    )


@permission_required("network.open_hubs")
def hub_detail(request, pk):
    user = request.user
    hub = selectors.hub_detail(user, pk)
    mine = next((m for m in hub.all_memberships if m.person_id and m.person_id == user.person_id), None)
    may_lead = has(user, "network.lead_hub", hub)
    context = {
        "hub": hub,
        "members": [m for m in hub.all_memberships if m.status == HubMembership.Status.ACCEPTED],
        "requests": [m for m in hub.all_memberships if m.status == HubMembership.Status.REQUESTED] if may_lead else [],
        "mine": mine,
        "may_join": mine is None and has(user, "network.join_hub", hub),
        "may_lead": may_lead,
        "may_share": has(user, "network.share_in_hub", hub),
        "may_read_notes": has(user, "network.read_hub_notes", hub),
        "may_approve": hub.status == hub.Status.PROPOSED and has(user, "network.approve_cluster"),
        "meetings": selectors.meetings_of(hub),
        "resources": selectors.resources_of(user, hub),
    }
    context["join_form"] = JoinForm() if context["may_join"] else None
    context["resource_form"] = ResourceForm() if context["may_share"] else None
    return render(request, "network/hubs/detail.html", context)


@permission_required("network.open_hubs")
@require_POST
def hub_join(request, pk):
    hub = selectors.hub_detail(request.user, pk)
    form = JoinForm(request.POST)
    form.is_valid()
    services.hub_join_request(hub=hub, message=form.cleaned_data.get("message", ""), by=request.user)
    messages.success(request, f"Your request to join {hub.name} is sent to its lead.")
    return redirect("network:hub_detail", pk=hub.pk)


@permission_required("network.open_hubs")
@require_POST
def hub_join_decide(request, pk):
    membership = access.get_scoped_or_404(request.user, HubMembership.objects.select_related("hub"), pk=pk)
    accept = request.POST.get("decision") == "accept"
    services.hub_join_decide(membership=membership, accept=accept, by=request.user)
    messages.success(
        request, f"{membership.person} {'is now a member' if accept else 'was not accepted'}; they have been told."
    )
    return redirect("network:hub_detail", pk=membership.hub_id)


@permission_required("network.open_hubs")
def hub_resource_add(request, pk):
    hub = selectors.hub_detail(request.user, pk)
    if not has(request.user, "network.share_in_hub", hub):
        raise Http404
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            services.hub_resource_add(
                hub=hub,
                title=data["title"],
                description=data["description"],
                upload=data["file"],
                url=data["url"],
                by=request.user,
            )
        if not form.errors:
            messages.success(request, "Thank you: the resource is shared with the hub.")
            return redirect("network:hub_detail", pk=hub.pk)
    return render(
        request,
        "network/hubs/resource_form.html",
        {"hub": hub, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("network.open_hubs")
def hub_resource_download(request, pk):
    resource = selectors.resource_file(request.user, pk)
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(resource.file_name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=resource.file_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("network.open_hubs")
def hub_meeting_notes(request, pk, event_id):
    user = request.user
    hub = selectors.hub_detail(user, pk)
    if not has(user, "network.read_hub_notes", hub):
        raise Http404
    event, note = selectors.meeting(user, hub, event_id)
    if event is None:
        raise Http404
    may_edit = has(user, "network.lead_hub", hub)
    initial = {"notes": note.notes, "actions": note.actions} if note else {}
    form = MeetingNoteForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        if form.is_valid():
            services.meeting_note_save(hub=hub, event_id=event.pk, by=user, **form.cleaned_data)
            messages.success(request, "The meeting notes are saved.")
            return redirect("network:hub_meeting_notes", pk=hub.pk, event_id=event.pk)
    return render(
        request,
        "network/hubs/meeting_notes.html",
        {"hub": hub, "event": event, "note": note, "form": form if may_edit else None},
    )


@permission_required("network.propose_cluster")
def cluster_propose(request):
    form = ClusterProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            hub = services.cluster_propose(by=request.user, **form.cleaned_data)
        if not form.errors:
            messages.success(request, "Thank you: your cluster is proposed. A coordinator will approve it.")
            return redirect("network:hub_detail", pk=hub.pk)
    return render(request, "network/hubs/propose.html", {"form": form}, status=400 if request.method == "POST" else 200)


@permission_required("network.approve_cluster")
@require_POST
def cluster_approve(request, pk):
    hub = selectors.hub_detail(request.user, pk)
    try:
        services.cluster_approve(hub=hub, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{hub.name} is approved; its proposer has been told.")
    return redirect("network:hub_detail", pk=hub.pk)
