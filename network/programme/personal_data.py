"""What the network programme (grants, roles, hubs, connections, the radar) holds about
a person, for "Download my data", and what erasure does here. Registered with the
platform's hooks in network/apps.py. Bids and reports stay (the network's record of what
it funded) against the erased person; what is personal (messages, a shared phone
number, preferences, hub memberships, roles held) goes."""

from django.utils import timezone

from network.base.personal_data import Section
from network.programme.connections.models import ConnectionRequest, ProgrammePreference
from network.programme.grants.models import GrantBid, GrantReview
from network.programme.hubs.models import HubMembership, HubResource
from network.programme.roles.models import NetworkRole

# The model fields each section covers (the export's completeness test checks them).
LINKS: dict[str, tuple[str, ...]] = {
    "grant_bids_led": ("network.GrantBid.lead",),
    "grant_reviews": ("network.GrantReview.reviewer",),
    "network_roles": ("network.NetworkRole.holder", "network.NetworkRole.deputy"),
    "hub_memberships": ("network.HubMembership.person",),
    "connection_requests": ("network.ConnectionRequest.asker", "network.ConnectionRequest.recipient"),
    "programme_preferences": ("network.ProgrammePreference.person",),
}


def _when(value):
    return timezone.localtime(value) if value else None


def _grant_reviews(user, person) -> list[dict]:
    if user is None:
        return []
    return [
        {
            "bid": r.bid.title,
            "assigned_at": _when(r.assigned_at),
            "submitted_at": _when(r.submitted_at),
            "comment": r.comment,
        }
        for r in GrantReview.objects.filter(reviewer=user).select_related("bid")
    ]


def _grant_bids_led(user, person) -> list[dict]:
    if person is None:
        return []
    return [
        {"round": b.round.name, "project": b.title, "status": b.get_status_display()}
        for b in GrantBid.objects.filter(lead=person).select_related("round")
    ]


def _network_roles(user, person) -> list[dict]:
    if person is None:
        return []
    return [
        {"role": r.name, "as": "holder" if r.holder_id == person.pk else "deputy", "review_on": r.review_on}
        for r in (NetworkRole.objects.filter(holder=person) | NetworkRole.objects.filter(deputy=person)).select_related(
            "hub"
        )
    ]


def _hub_memberships(user, person) -> list[dict]:
    if person is None:
        return []
    return [
        {"hub": m.hub.name, "status": m.get_status_display(), "requested_at": _when(m.requested_at)}
        for m in HubMembership.objects.filter(person=person).select_related("hub")
    ]


def _connection_requests(user, person) -> list[dict]:
    if person is None:
        return []
    requests = ConnectionRequest.objects.filter(asker=person) | ConnectionRequest.objects.filter(recipient=person)
    return [
        {
            "asker": str(c.asker),
            "recipient": str(c.recipient),
            "topic": c.topic,
            "message": c.message,
            "status": c.get_status_display(),
            "created_at": _when(c.created_at),
            "shared_phone": c.shared_phone,
        }
        for c in requests.select_related("asker", "recipient")
    ]


def _programme_preferences(user, person) -> list[dict]:
    if person is None:
        return []
    preference = ProgrammePreference.objects.filter(person=person).first()
    return [
        {
            "requests_paused": preference.requests_paused if preference else False,
            "radar_opt_out": preference.radar_opt_out if preference else False,
        }
    ]


def erase(person, erasure=None) -> None:
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


# What people did in the programme's back office and pages, by the field that records it:
# (label, "app.Model.field", what it means). Each is listed with the thing it concerns.
ACTIONS = [
    ("network.ConnectionRequest.created_by", "You asked for this introduction"),
    ("network.GrantBid.created_by", "You started this grant bid"),
    ("network.GrantBid.decided_by", "You decided this grant bid"),
    ("network.GrantBid.endorsed_by", "You endorsed this grant bid"),
    ("network.GrantReport.submitted_by", "You submitted this grant report"),
    ("network.GrantReview.assigned_by", "You assigned this review"),
    ("network.Hub.proposed_by", "You proposed this cluster"),
    ("network.HubMembership.decided_by", "You decided this request to join a hub"),
    ("network.HubResource.added_by", "You shared this hub resource"),
    ("network.MeetingNote.updated_by", "You wrote this meeting note"),
    ("network.RadarIssue.created_by", "You composed this radar issue"),
    ("network.RadarIssue.sent_by", "You sent this radar issue"),
]


def _actions(user, person) -> list[dict]:
    from django.apps import apps

    rows = []
    for link, meaning in ACTIONS:
        app_label, model_name, field_name = link.split(".")
        model = apps.get_model(app_label, model_name)
        target = model._meta.get_field(field_name).related_model
        subject = person if target._meta.label == "trusts.Person" else user
        if subject is None:
            continue
        for obj in model.objects.filter(**{field_name: subject}).order_by("pk"):
            rows.append({"what": meaning, "about": str(obj)})
    return rows


SECTIONS = [
    Section(key="programme_actions", order=78, title="What you did in the network programme", rows=_actions,
            links=tuple(link for link, _ in ACTIONS)),
    Section(key="grant_bids_led", order=72, title="Innovation grant bids you lead", rows=_grant_bids_led,
            links=LINKS["grant_bids_led"]),
    Section(key="grant_reviews", order=73, title="Grant bids you reviewed", rows=_grant_reviews,
            links=LINKS["grant_reviews"]),
    Section(key="network_roles", order=74, title="Your roles in the network", rows=_network_roles,
            links=LINKS["network_roles"]),
    Section(key="hub_memberships", order=75, title="Hubs you belong to or asked to join",
            rows=_hub_memberships, links=LINKS["hub_memberships"]),
    Section(key="connection_requests", order=76, title="Requests to be put in touch",
            rows=_connection_requests, links=LINKS["connection_requests"]),
    Section(key="programme_preferences", order=77, title="Your programme preferences",
            rows=_programme_preferences, single=True, links=LINKS["programme_preferences"]),
]  # fmt: skip
