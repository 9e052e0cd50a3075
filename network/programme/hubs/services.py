"""Writes of the hub pages: asking to join and the hub lead's answer, shared resources
(files with size and type limits, or links), meeting notes, and clusters proposed by
schools and approved by a coordinator. Emails through the outbox, once each."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from network.base import outbox
from network.base.models import Role, User
from network.base.rules import ensure
from network.programme.hubs.models import HubMembership, HubResource, MeetingNote
from network.programme.models import Hub, Network
from trusts.models import Person

RESOURCE_EXTENSIONS = {
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".txt", ".csv",
    ".png", ".jpg", ".jpeg",
}  # fmt: skip
RESOURCE_MAX_BYTES = 10 * 1024 * 1024


def hub_url(hub: Hub) -> str:
    return settings.PORTAL_BASE_URL + reverse("network:hub_detail", args=[hub.pk])


@transaction.atomic
def hub_join_request(*, hub: Hub, message: str = "", by: User) -> HubMembership:
    """A leader asks to join; the hub's lead and deputy are told (once). Asking again
    returns the request already made."""
    ensure(by, "network.join_hub", hub, "This hub is not open to you: it is trust-internal or not yet approved.")
    membership, created = HubMembership.objects.get_or_create(
        hub=hub, person_id=by.person_id, defaults={"message": message.strip()}
    )
    if created:
        for leader in Person.objects.filter(pk__in=[hub.lead_id, hub.deputy_lead_id]):
            outbox.enqueue(
                key=f"hub-membership:{membership.pk}:request:{leader.pk}",
                to=leader.email,
                template="network/hubs/email/join_request",
                context={"hub": hub, "membership": membership, "person": by.person, "link": hub_url(hub)},
            )
    return membership


@transaction.atomic
def hub_join_decide(*, membership: HubMembership, accept: bool, by: User) -> HubMembership:
    """The hub lead (or deputy, or a coordinator) accepts or declines. An accepted
    person's academy joins the hub's academies."""
    membership = HubMembership.objects.select_for_update().select_related("hub", "person").get(pk=membership.pk)
    ensure(by, "network.lead_hub", membership.hub, "Only the hub's lead or deputy can answer requests to join.")
    if membership.status != HubMembership.Status.REQUESTED:
        return membership
    membership.status = HubMembership.Status.ACCEPTED if accept else HubMembership.Status.DECLINED
    membership.decided_at = timezone.now()
    membership.decided_by = by
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    if accept and membership.person.academy_id:
        membership.hub.academies.add(membership.person.academy_id)
    outbox.enqueue(
        key=f"hub-membership:{membership.pk}:decision",
        to=membership.person.email,
        template="network/hubs/email/join_decision",
        context={"hub": membership.hub, "membership": membership, "link": hub_url(membership.hub)},
    )
    return membership


def _check_file(upload) -> None:
    ext = os.path.splitext(upload.name)[1].lower()
    if ext not in RESOURCE_EXTENSIONS:
        raise ValidationError(
            {"file": f"{upload.name}: please share a document, spreadsheet, slides, PDF or image "
                     f"({', '.join(sorted(RESOURCE_EXTENSIONS))})."}
        )  # fmt: skip
    if upload.size > RESOURCE_MAX_BYTES:
        raise ValidationError({"file": f"{upload.name} is larger than 10 MB; please share a link to it instead."})


@transaction.atomic
def hub_resource_add(
    *, hub: Hub, title: str, description: str = "", upload=None, url: str = "", by: User
) -> HubResource:
    """Share a file (checked for type and size) or a link with the hub."""
    ensure(by, "network.share_in_hub", hub, "Only the hub's members can share resources with it.")
    if bool(upload) == bool(url):
        raise ValidationError("Please give either a file or a link (one of them).")
    resource = HubResource(
        hub=hub, title=title.strip(), description=description.strip(), url=url.strip(), added_by_id=by.person_id
    )
    if upload:
        _check_file(upload)
        resource.file_name = os.path.basename(upload.name)[:200]
        resource.file_size = upload.size
        resource.file.save(upload.name, upload, save=False)
    resource.full_clean()
    resource.save()
    return resource


@transaction.atomic
def meeting_note_save(*, hub: Hub, event_id: int, notes: str, actions: str, by: User) -> MeetingNote:
    ensure(by, "network.lead_hub", hub, "Only the hub's lead or deputy can write its meeting notes.")
    note, _ = MeetingNote.objects.select_for_update().get_or_create(hub=hub, event_id=event_id)
    note.notes = notes.strip()
    note.actions = actions.strip()
    note.updated_by = by
    note.save()
    return note


@transaction.atomic
def cluster_propose(*, network: Network, name: str, purpose: str, region: str = "", by: User) -> Hub:
    """A school proposes a cluster; the proposer is its lead once approved. Coordinators
    are told (once)."""
    ensure(by, "network.propose_cluster")
    name = name.strip()
    if Hub.objects.filter(network=network, name__iexact=name).exists():
        raise ValidationError({"name": f"{network.name} already has a hub or cluster called “{name}”."})
    hub = Hub(
        network=network,
        name=name,
        kind=Hub.Kind.CLUSTER,
        purpose=purpose.strip(),
        region=region,
        status=Hub.Status.PROPOSED,
        lead_id=by.person_id,
        proposed_by_id=by.person_id,
        proposed_at=timezone.now(),
    )
    hub.full_clean()
    hub.save()
    hub.academies.add(by.person.academy_id)
    for coordinator in User.objects.filter(role=Role.COORDINATOR, is_active=True):
        outbox.enqueue(
            key=f"hub:{hub.pk}:proposed:{coordinator.pk}",
            to=coordinator.email,
            template="network/hubs/email/cluster_proposed",
            context={"hub": hub, "person": by.person, "link": hub_url(hub)},
        )
    return hub


@transaction.atomic
def cluster_approve(*, hub: Hub, by: User) -> Hub:
    ensure(by, "network.approve_cluster")
    hub = Hub.objects.select_for_update().get(pk=hub.pk)
    if hub.status == Hub.Status.APPROVED:
        return hub
    hub.status = Hub.Status.APPROVED
    hub.save(update_fields=["status"])
    if hub.proposed_by_id:
        outbox.enqueue(
            key=f"hub:{hub.pk}:approved",
            to=hub.proposed_by.email,
            template="network/hubs/email/cluster_approved",
            context={"hub": hub, "link": hub_url(hub)},
        )
    return hub
