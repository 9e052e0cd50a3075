"""What the network programme (grants, roles, hubs, connections, the radar) holds about
a person, for "Download my data", and what erasure does here. Registered with the
platform's hooks in network/apps.py. Bids and reports stay (the network's record of what
it funded) against the erased person; what is personal (messages, a shared phone
number, preferences, hub memberships, roles held) goes."""

from django.utils import timezone

from network.programme.connections.models import ConnectionRequest, ProgrammePreference
from network.programme.grants.models import GrantBid, GrantReview
from network.programme.hubs.models import HubMembership, HubResource
from network.programme.roles.models import NetworkRole


def _when(value):
    return timezone.localtime(value) if value else None


def export(user, person) -> dict:
    reviews = GrantReview.objects.filter(reviewer=user).select_related("bid") if user else []
    data = {
        "grant_reviews": [
            {
                "bid": r.bid.title,
                "assigned_at": _when(r.assigned_at),
                "submitted_at": _when(r.submitted_at),
                "comment": r.comment,
            }
            for r in reviews
        ],  # fmt: skip
    }
    if person is None:
        return data
    preference = ProgrammePreference.objects.filter(person=person).first()
    data.update(
        grant_bids_led=[
            {"round": b.round.name, "project": b.title, "status": b.get_status_display()}
            for b in GrantBid.objects.filter(lead=person).select_related("round")
        ],
        network_roles=[
            {"role": r.name, "as": "holder" if r.holder_id == person.pk else "deputy", "review_on": r.review_on}
            for r in NetworkRole.objects.filter(holder=person).select_related("hub")
            | NetworkRole.objects.filter(deputy=person).select_related("hub")
        ],
        hub_memberships=[
            {"hub": m.hub.name, "status": m.get_status_display(), "requested_at": _when(m.requested_at)}
            for m in HubMembership.objects.filter(person=person).select_related("hub")
        ],
        connection_requests=[
            {
                "asker": str(c.asker),
                "recipient": str(c.recipient),
                "topic": c.topic,
                "message": c.message,
                "status": c.get_status_display(),
                "created_at": _when(c.created_at),
                "shared_phone": c.shared_phone,
            }
            for c in (
                ConnectionRequest.objects.filter(asker=person) | ConnectionRequest.objects.filter(recipient=person)
            ).select_related("asker", "recipient")
        ],  # fmt: skip
        programme_preferences={
            "requests_paused": preference.requests_paused if preference else False,
            "radar_opt_out": preference.radar_opt_out if preference else False,
        },
    )
    return data


def erase(person) -> None:
    requests = ConnectionRequest.objects.filter(asker=person) | ConnectionRequest.objects.filter(recipient=person)
    requests.update(message="", reply="", shared_phone="")
    ConnectionRequest.objects.filter(asker=person, status=ConnectionRequest.Status.OPEN).update(
        status=ConnectionRequest.Status.WITHDRAWN
    )
    ConnectionRequest.objects.filter(recipient=person, status=ConnectionRequest.Status.OPEN).update(
        status=ConnectionRequest.Status.DECLINED
    )
    ProgrammePreference.objects.filter(person=person).delete()
    HubMembership.objects.filter(person=person).delete()
    NetworkRole.objects.filter(holder=person).update(holder=None)
    NetworkRole.objects.filter(deputy=person).update(deputy=None)
    HubResource.objects.filter(added_by=person).update(added_by=None)
