"""Reads of the hub pages, through the door. Hubs are public to members (`everyone`);
a proposed cluster only to its proposer and the coordinators. Resources and meeting
notes are the hub's academies' (and their trusts'), its lead's and deputy's. Meetings
are CPD events, read by label (`network.programme.event_reads`)."""

from django.db.models import Count, Prefetch, Q

from network.base import access
from network.programme import event_reads
from network.programme.hubs.models import HubMembership, HubResource, MeetingNote
from network.programme.models import Hub
from trusts.models import Academy


def hubs_for(user, *, q: str = ""):
    hubs = access.scoped(user, Hub).filter(
        Q(status=Hub.Status.APPROVED) | Q(proposed_by_id=user.person_id) if not user.is_coordinator else Q()
    )
    if q:
        hubs = hubs.filter(Q(name__icontains=q) | Q(purpose__icontains=q) | Q(region__icontains=q))
    return (
        hubs.select_related("network", "lead", "deputy_lead", "trust")
        .annotate(academy_count=Count("academies", distinct=True))
        .order_by("status", "network__name", "name")
    )


def hub_detail(user, pk: int) -> Hub:
    people = HubMembership.objects.select_related("person__academy").order_by("person__last_name", "pk")
    academies = Academy.objects.select_related("trust").order_by("name")
    return access.get_scoped_or_404(
        user,
        hubs_for(user).prefetch_related(
            Prefetch("academies", queryset=academies),
            Prefetch("memberships", queryset=people, to_attr="all_memberships"),
        ),
        pk=pk,
    )


def resources_of(user, hub: Hub):
    return access.scoped(user, HubResource).filter(hub=hub).select_related("added_by").order_by("-added_at", "pk")


def resource_file(user, pk: int) -> HubResource:
    return access.get_scoped_or_404(user, HubResource.objects.exclude(file=""), pk=pk)


def meetings_of(hub: Hub):
    return list(event_reads.hub_meetings(hub.pk))


def meeting(user, hub: Hub, event_id: int):
    """A meeting of the hub and its notes (None if the user may not read them)."""
    event = event_reads.hub_meeting(hub.pk, event_id)
    note = access.scoped(user, MeetingNote).filter(hub=hub, event_id=event_id).select_related("updated_by").first()
    return event, note


def proposals(user):
    return hubs_for(user).filter(status=Hub.Status.PROPOSED)
