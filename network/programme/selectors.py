"""Reads for the home pages and the expertise directory, scoped through network.base.access."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum

from network.base import access
from network.base.models import OutboxMessage
from network.programme.models import Hub, Network
from trusts.models import Academy, CommunityType, Designation, ExpertiseTag, Person, Trust


def coordinator_overview(user) -> dict:
    academies = access.scoped(user, Academy).filter(is_open=True)
    totals = academies.aggregate(academies=Count("pk"), pupils=Sum("pupils_on_roll"))
    return {
        "networks": access.scoped(user, Network).annotate(
            trust_count=Count("member_trusts", distinct=True), hub_count=Count("hubs", distinct=True)
        ),
        "trust_count": access.scoped(user, Trust).count(),
        "academy_count": totals["academies"] or 0,
        "pupil_count": totals["pupils"] or 0,
        "people_count": access.scoped(user, Person).count(),
        "directory_count": access.directory(user).count(),
        "academies_by_community": [
            {"label": CommunityType(row["community_type"]).label if row["community_type"] else "Not set", "n": row["n"]}
            for row in academies.values("community_type").annotate(n=Count("pk")).order_by("community_type")
        ],
        "outbox_pending": OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count(),
        "outbox_failed": OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count(),
    }


def executive_overview(user) -> dict:
    trusts = (
        access.scoped(user, Trust)
        .annotate(
            academy_count=Count("academies", filter=Q(academies__is_open=True)),
            pupil_total=Sum("academies__pupils_on_roll", filter=Q(academies__is_open=True)),
        )
        .prefetch_related(
            Prefetch(
                "academies",
                queryset=access.scoped(user, Academy).filter(is_open=True).order_by("name"),
                to_attr="open_academies",
            )
        )
    )
    return {"trusts": trusts}


def leader_overview(user) -> dict:
    academy_id = access.leader_academy_id(user)
    academy = (
        access.scoped(user, Academy)
        .select_related("trust")
        .prefetch_related(Prefetch("hubs", queryset=Hub.objects.select_related("network", "lead", "deputy_lead")))
        .filter(pk=academy_id)
        .first()
        if academy_id
        else None
    )
    colleagues = (
        access.scoped(user, Person).filter(academy_id=academy_id).exclude(pk=user.person_id).order_by("last_name")
        if academy_id
        else Person.objects.none()
    )
    return {"academy": academy, "colleagues": colleagues}


def directory_people(user, *, q="", expertise=None, designation=None, hub=None, region=""):
    """The directory page's people. Many-to-many filters are EXISTS subqueries, not
    joins, so no person is repeated and no DISTINCT is needed (the search stays fast at
    ten times the network's size: see bench/results.md)."""
    people = access.directory(user)
    if q:
        people = people.filter(
            Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(expertise_summary__icontains=q)
            | Q(academy__name__icontains=q)
            | Exists(ExpertiseTag.people.through.objects.filter(person=OuterRef("pk"), expertisetag__name__icontains=q))
        )
    if expertise:
        people = people.filter(
            Exists(ExpertiseTag.people.through.objects.filter(person=OuterRef("pk"), expertisetag=expertise))
        )
    if designation:
        people = people.filter(
            Exists(Designation.people.through.objects.filter(person=OuterRef("pk"), designation=designation))
        )
    if hub:
        people = people.filter(Exists(Hub.academies.through.objects.filter(academy=OuterRef("academy_id"), hub=hub)))
    if region:
        people = people.filter(Q(academy__region=region) | Q(academy__isnull=True, trust__region=region))
    return (
        people.select_related("academy", "trust")
        .prefetch_related("expertise", "designations")
        .order_by("last_name", "first_name", "pk")
    )


def hubs_for(user):
    # Proposed clusters (issue 13) are not hubs yet: the directory's filter leaves them out.
    return (
        access.scoped(user, Hub)
        .filter(status=Hub.Status.APPROVED)
        .select_related("network")
        .order_by("network__name", "name")
    )
