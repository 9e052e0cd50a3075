"""Fixing a visit in people's diaries, and recording that it happened.

Nobody is in two places at once: scheduling locks the rows of everyone on the visit
(visitors and host contact, in id order, so two schedulings cannot deadlock), then looks
for their other visits and confirmed CPD bookings that overlap, and refuses naming the
clash. Two coordinators scheduling the same person at the same moment are therefore
served one after the other on PostgreSQL, and the second is refused. (A CPD booking made
while a visit is on the diary is the booking service's; it does not look at visits.)

Fairness: an academy hosts, and a person makes, at most the policy's number of visits
per term (`VisitPolicy`), so the same strong school is not asked every week."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from events.models import Booking, Event
from events.visits import lifecycle
from events.visits.models import Visit, VisitVisitor
from events.visits.policy import policy_for
from events.visits.services import notifications
from events.visits.services.history import lock, move
from events.visits.services.requests import _check_host, _check_visitors, assign
from events.visits.terms import term_containing
from network.base.models import User
from network.base.rules import ensure
from network.programme.membership.models import Membership
from network.programme.membership.services.invoices import invoice_line_add
from trusts.models import Academy, Person

S = Visit.Status


def _when(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%d/%m/%Y %H:%M}"


def clashes(*, people: list[Person], starts_at, ends_at, exclude: Visit | None = None) -> list[str]:
    """What already holds any of `people` between `starts_at` and `ends_at`: other
    visits on the diary (as visitor or host contact) and confirmed CPD bookings of
    events not cancelled. Each clash as a sentence naming the person and the thing."""
    ids = [p.pk for p in people]
    names = {p.pk: p.full_name for p in people}
    overlapping = Q(starts_at__lt=ends_at, ends_at__gt=starts_at, status__in=Visit.ON_THE_DIARY)
    other = Visit.objects.filter(overlapping)
    if exclude is not None:
        other = other.exclude(pk=exclude.pk)
    found = []
    for a in VisitVisitor.objects.filter(person_id__in=ids, visit__in=other).select_related(
        "visit__host_academy", "visit__kind"
    ):
        v = a.visit
        found.append(
            f"{names[a.person_id]} is already on the {v.kind.name.lower()} to "
            f"{v.host_academy.name if v.host_academy_id else 'another academy'} at {_when(v.starts_at)}."
        )
    for v in other.filter(host_contact_id__in=ids).select_related("host_academy"):
        found.append(f"{names[v.host_contact_id]} is already hosting a visit at {_when(v.starts_at)}.")
    for b in Booking.objects.filter(
        person_id__in=ids,
        status=Booking.Status.CONFIRMED,
        event__status=Event.Status.SCHEDULED,
        event__starts_at__lt=ends_at,
        event__ends_at__gt=starts_at,
    ).select_related("event"):
        found.append(f"{names[b.person_id]} is booked on “{b.event.title}” at {_when(b.event.starts_at)}.")
    return found


def over_cap(*, visit: Visit, host: Academy, people: list[Person], starts_at) -> list[str]:
    """Who would go over the policy's cap per term with this visit."""
    policy = policy_for(visit.network)
    term = term_containing(timezone.localtime(starts_at).date())
    start, end = term.bounds()
    in_term = Visit.objects.filter(status__in=Visit.ON_THE_DIARY, starts_at__gte=start, starts_at__lt=end).exclude(
        pk=visit.pk
    )
    problems = []
    hosted = in_term.filter(host_academy=host).count()
    if hosted >= policy.host_cap_per_term:
        problems.append(
            f"{host.name} already hosts {hosted} visits in the {term.label} term (the cap is {policy.host_cap_per_term})."
        )
    made = dict(
        VisitVisitor.objects.filter(visit__in=in_term, person__in=people)
        .values("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
    )
    for p in people:
        if made.get(p.pk, 0) >= policy.visitor_cap_per_term:
            problems.append(
                f"{p.full_name} already makes {made[p.pk]} visits in the {term.label} term "
                f"(the cap is {policy.visitor_cap_per_term})."
            )
    return problems


def charge_membership(visit: Visit, day: datetime.date) -> Membership | None:
    """The host's membership that a chargeable visit on `day` is invoiced to, or None."""
    return (
        Membership.objects.filter(
            year__network=visit.network,
            year__starts_on__lte=day,
            year__ends_on__gte=day,
            academy_id=visit.host_academy_id,
            status__in=(Membership.Status.ACTIVE, Membership.Status.LEFT),
        )
        .select_related("year")
        .first()
    )


@transaction.atomic
def visit_schedule(
    *,
    visit: Visit,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    visitors: list[Person],
    by: User,
    host_academy: Academy | None = None,
    host_contact: Person | None = None,
    is_online: bool = False,
    location: str = "",
    joining_link: str = "",
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Visit:
    """Fix the date, time, place (or online link), visitors and host contact of a
    request, or move a scheduled visit (a reason is then required and kept in the log).
    Refused, naming the problem: a time in the past or ending before it starts, no host
    or no visitor, the requester's own academy as host, a visitor from the host academy,
    anyone on the visit already somewhere else at that time (another visit or a booked
    CPD event), an academy or person over the term's cap, or a chargeable kind for an
    academy with no membership that year to invoice. Everyone on it is emailed."""
    ensure(by, "events.broker_visits")
    now = now or timezone.now()
    visit = lock(visit)
    rescheduling = visit.status == S.SCHEDULED
    action = "reschedule" if rescheduling else "schedule"
    lifecycle.check(visit, action)
    errors: dict[str, list[str]] = {}
    if rescheduling and not reason.strip():
        errors.setdefault("reason", []).append("Say why the visit is moving: the people involved will read it.")
    if starts_at <= now:
        errors.setdefault("starts_at", []).append("Choose a time in the future.")
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append("The visit must end after it starts.")
    host = host_academy or visit.host_academy
    if host is None:
        errors.setdefault("host_academy", []).append("Choose the academy to be visited.")
    if not visitors:
        errors.setdefault("visitors", []).append("Assign at least one visitor.")
    if is_online and not joining_link:
        errors.setdefault("joining_link", []).append("An online visit needs its joining link.")
    if host_contact is not None and host is not None and host_contact.academy_id != host.pk:
        errors.setdefault("host_contact", []).append(f"The host contact must work at {host.name}.")
    if errors:
        raise ValidationError(errors)
    _check_host(visit, host)
    _check_visitors(visit, visitors, host)

    # Lock everyone on the visit before looking at their diaries (see the module's note).
    people = list(
        Person.objects.select_for_update().filter(pk__in={p.pk for p in [*visitors, host_contact] if p}).order_by("pk")
    )
    found = clashes(people=people, starts_at=starts_at, ends_at=ends_at, exclude=visit)
    if found:
        found[0] = "Nobody can be in two places at once. " + found[0]
        raise ValidationError([ValidationError(message, code="clash") for message in found])
    capped = over_cap(visit=visit, host=host, people=visitors, starts_at=starts_at)
    if capped:
        capped[0] = "To share visits fairly: " + capped[0]
        raise ValidationError([ValidationError(message, code="cap") for message in capped])
    if visit.kind.is_chargeable and charge_membership(visit, timezone.localtime(starts_at).date()) is None:
        raise ValidationError(
            f"A {visit.kind.name.lower()} is charged (£{visit.kind.fee_net} + VAT) to the host's membership, "
            f"and {host.name} has no active membership in that year."
        )

    if visit.host_academy_id != host.pk or not visit.host_trust_id:
        visit.host_academy, visit.host_trust_id = host, host.trust_id
    visit.starts_at, visit.ends_at = starts_at, ends_at
    visit.is_online, visit.joining_link = is_online, joining_link.strip()
    visit.location = location.strip() or ("" if is_online else host.name)
    visit.host_contact = host_contact
    visit.scheduled_at = now
    fields = ["host_academy", "host_trust", "starts_at", "ends_at", "is_online", "joining_link", "location"]
    entry = move(visit, action=action, by=by, text=reason, fields=[*fields, "host_contact", "scheduled_at"])
    assign(visit, visitors)
    notifications.email(
        visit,
        kind=action,
        people=[*notifications.visitor_people(visit), *notifications.host_people(visit)],
        template="scheduled",
        log=entry,
        rescheduled=rescheduling,
    )
    return visit


@transaction.atomic
def visit_complete(*, visit: Visit, by: User, now: datetime.datetime | None = None) -> Visit:
    """Record that a scheduled visit took place (from its start time on). The report is
    written next. A chargeable kind (e.g. an extra visit, £300 + VAT) adds its line to
    the host's membership invoices for the year of the visit, once."""
    ensure(by, "events.complete_visit", visit, "Only the visitors, the host or a coordinator can do that.")
    now = now or timezone.now()
    visit = lock(visit)
    if visit.status == S.SCHEDULED and visit.starts_at > now:
        raise ValidationError(
            f"This visit has not started yet: it can be marked as completed from {_when(visit.starts_at)}."
        )
    visit.completed_at = now
    move(visit, action="complete", by=by, fields=["completed_at"])
    if visit.kind.is_chargeable and visit.invoice_line_id is None:
        day = timezone.localtime(visit.starts_at).date()
        membership = charge_membership(visit, day)
        if membership is None:
            raise ValidationError(
                f"This {visit.kind.name.lower()} is charged to the host's membership, and "
                f"{visit.host_academy.name} has no membership in the year of the visit."
            )
        visit.invoice_line = invoice_line_add(
            membership=membership,
            description=f"{visit.kind.name}: {visit.host_academy.name}, {day:%d/%m/%Y}",
            net_amount=visit.kind.fee_net,
            by=by,
        )
        visit.save(update_fields=["invoice_line", "updated_at"])
    return visit
