"""Succession risks, computed (never stored) and explained, each with a link to its fix.

Cases (one function each, so the table of tests reads like this list):
- `no_deputy`: an approved hub, or a role that needs one, with no deputy;
- `overloaded`: one person holding three or more lead roles (hubs led count);
- `single_person`: a member academy whose whole engagement this year (CPD places,
  roles, hub leadership and membership, grant bids) rests on one person;
- `inactive_lead`: a lead with no CPD place taken and no hub meeting held since the
  start of the previous term (and who held the role then);
- `review_overdue`: a role past its review date.

Coordinators see every risk; a trust executive the risks touching their trust(s).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from network.base.school_years import membership_year
from network.programme import event_reads
from network.programme.grants.models import GrantBid
from network.programme.hubs.models import HubMembership
from network.programme.membership.models import Membership
from network.programme.models import Hub, Network
from network.programme.roles.models import NetworkRole
from network.programme.terms import previous_term
from trusts.models import Academy, Person

THRESHOLD_LEAD_ROLES = 3


@dataclass
class Risk:
    kind: str
    title: str
    explanation: str
    fix_label: str
    fix_url: str
    trust_ids: set = field(default_factory=set)

    KINDS = {
        "no_deputy": "No deputy",
        "overloaded": "Too much on one person",
        "single_person": "Engagement rests on one person",
        "inactive_lead": "Lead inactive for a term",
        "review_overdue": "Review overdue",
    }

    @property
    def kind_label(self) -> str:
        return self.KINDS[self.kind]


def _admin(name: str, *args) -> str:
    return reverse(f"admin:network_{name}", args=args)


def _person_trust(person: Person | None) -> set:
    if person is None:
        return set()
    trust_id = person.academy.trust_id if person.academy_id else person.trust_id
    return {trust_id} if trust_id else set()


def _role_trusts(role: NetworkRole) -> set:
    return ({role.trust_id} if role.trust_id else set()) | _person_trust(role.holder)


def no_deputy(network: Network, roles, hubs) -> list[Risk]:
    risks = []
    for hub in hubs:
        if hub.deputy_lead_id is None:
            risks.append(
                Risk(
                    "no_deputy",
                    hub.name,
                    f"{hub.name} has no deputy lead: if {hub.lead.full_name if hub.lead else 'its lead'} "
                    "stepped down, nobody would run its meetings.",
                    "Name a deputy lead",
                    _admin("hub_change", hub.pk),
                    {a.trust_id for a in hub.academies.all() if a.trust_id}
                    | ({hub.trust_id} if hub.trust_id else set()),
                )
            )
    for role in roles:
        if role.kind in NetworkRole.NEEDS_DEPUTY and role.deputy_id is None:
            holder = role.holder.full_name if role.holder else "nobody yet"
            risks.append(
                Risk(
                    "no_deputy",
                    role.name,
                    f"{role.name} (held by {holder}) has no deputy to stand in.",
                    "Name a deputy",
                    _admin("networkrole_change", role.pk),
                    _role_trusts(role),
                )
            )
    return risks


def overloaded(network: Network, roles, hubs) -> list[Risk]:
    positions = defaultdict(set)
    people = {}
    for role in roles:
        if role.holder_id and role.kind in NetworkRole.LEAD_KINDS:
            # A hub-lead role and the hub's own lead field are one position, not two.
            positions[role.holder_id].add(
                ("hub", role.hub_id) if role.kind == role.Kind.HUB_LEAD and role.hub_id else ("role", role.pk)
            )
            people[role.holder_id] = role.holder
    for hub in hubs:
        if hub.lead_id:
            positions[hub.lead_id].add(("hub", hub.pk))
            people[hub.lead_id] = hub.lead
    return [
        Risk(
            "overloaded",
            people[pid].full_name,
            f"{people[pid].full_name} holds {len(held)} lead roles: if they left, all of them would be vacant at once.",
            "Share out their roles",
            _admin("networkrole_changelist") + f"?holder__id__exact={pid}",
            _person_trust(people[pid]),
        )
        for pid, held in sorted(positions.items())
        if len(held) >= THRESHOLD_LEAD_ROLES
    ]


def single_person(network: Network, roles, hubs, today: datetime.date) -> list[Risk]:
    year = membership_year(today)
    start, end = year.bounds()
    academy_ids = set(
        Membership.objects.filter(
            year__network=network, year__starts_on__lte=today, year__ends_on__gte=today, status=Membership.Status.ACTIVE
        ).values_list("academy_id", flat=True)
    )
    engaged = event_reads.people_engaged_by_academy(start, end, academy_ids)

    def add(person):
        if person is not None and person.academy_id in academy_ids:
            engaged[person.academy_id].add(person.pk)

    for role in roles:
        add(role.holder)
        add(role.deputy)
    for hub in hubs:
        add(hub.lead)
        add(hub.deputy_lead)
    for academy_id, person_id in HubMembership.objects.filter(
        status=HubMembership.Status.ACCEPTED, person__academy_id__in=academy_ids
    ).values_list("person__academy_id", "person_id"):
        engaged[academy_id].add(person_id)
    for academy_id, person_id in GrantBid.objects.filter(
        academy_id__in=academy_ids, created_at__gte=start, created_at__lt=end
    ).values_list("academy_id", "lead_id"):
        engaged[academy_id].add(person_id)
    lonely = {a: next(iter(p)) for a, p in engaged.items() if len(p) == 1}
    lonely_people = {
        p.pk: p for p in Person.objects.filter(pk__in=lonely.values()).only("pk", "first_name", "last_name")
    }
    return [
        Risk(
            "single_person",
            academy.name,
            f"Everything {academy.name} has done in the network in {year.label} (CPD, roles, hubs, grants) "
            f"rests on {lonely_people[lonely[academy.pk]].full_name}.",
            "See the academy's people",
            reverse("trusts:academy_detail", args=[academy.urn]),
            {academy.trust_id} if academy.trust_id else set(),
        )
        for academy in Academy.objects.filter(pk__in=lonely).order_by("name")
    ]


def inactive_lead(network: Network, roles, hubs, today: datetime.date) -> list[Risk]:
    term = previous_term(today)
    window_start = timezone.make_aware(datetime.datetime.combine(term.starts_on, datetime.time.min))
    window_end = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
    leads = {}  # person id -> (person, where to fix)
    for role in roles:
        if role.holder_id and role.kind in NetworkRole.LEAD_KINDS and role.starts_on <= term.starts_on:
            leads.setdefault(role.holder_id, (role.holder, role.name, _admin("networkrole_change", role.pk)))
    for hub in hubs:
        if hub.lead_id:
            leads.setdefault(hub.lead_id, (hub.lead, f"Lead of {hub.name}", _admin("hub_change", hub.pk)))
    active = event_reads.active_people(window_start, window_end, list(leads))
    return [
        Risk(
            "inactive_lead",
            person.full_name,
            f"{person.full_name} ({what}) has taken no CPD place and held no hub meeting since "
            f"{term.starts_on:%d/%m/%Y} ({term.label}).",
            "Check in, or hand over the role",
            url,
            _person_trust(person),
        )
        for pid, (person, what, url) in sorted(leads.items())
        if pid not in active
    ]


def review_overdue(network: Network, roles, today: datetime.date) -> list[Risk]:
    return [
        Risk(
            "review_overdue",
            role.name,
            f"{role.name} was due for review on {role.review_on:%d/%m/%Y}.",
            "Review the role and set the next date",
            _admin("networkrole_change", role.pk),
            _role_trusts(role),
        )
        for role in roles
        if role.review_on < today
    ]


def risks_for_network(network: Network, *, today: datetime.date | None = None) -> list[Risk]:
    today = today or timezone.localdate()
    roles = list(
        NetworkRole.objects.filter(network=network).select_related("holder__academy", "deputy__academy", "hub")
    )
    hubs = list(
        Hub.objects.filter(network=network, status=Hub.Status.APPROVED)
        .select_related("lead__academy", "deputy_lead__academy")
        .prefetch_related("academies")
    )
    return [
        *no_deputy(network, roles, hubs),
        *overloaded(network, roles, hubs),
        *single_person(network, roles, hubs, today),
        *inactive_lead(network, roles, hubs, today),
        *review_overdue(network, roles, today),
    ]


def risks_for(user, network: Network, *, today: datetime.date | None = None, trust_ids=None) -> list[Risk]:
    """The risks `user` may see: all for a coordinator, their trusts' part for an
    executive (`trust_ids`, from the door)."""
    risks = risks_for_network(network, today=today)
    if user.is_coordinator:
        return risks
    own = set(trust_ids or ())
    return [r for r in risks if r.trust_ids & own]
