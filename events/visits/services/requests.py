"""Asking for visits: a leader's or executive's request, the annual visit for every
member in one action, a coordinator's proposal, and cancelling."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from events.visits.models import Visit, VisitKind, VisitLog, VisitVisitor
from events.visits.services import notifications
from events.visits.services.history import lock, log, move
from events.visits.services.kinds import visit_kinds_ensure
from network.base import changes
from network.base.models import User
from network.base.rules import ensure
from network.programme.membership.models import Membership, MembershipYear
from trusts.models import Academy, Person

Direction = Visit.Direction
# Kinds that come to the academy: a consultant or moderator visits the school.
HOST_ONLY = (VisitKind.Code.CONSULTANT, VisitKind.Code.MODERATION, VisitKind.Code.EXTRA)


@transaction.atomic
def visit_request(
    *,
    academy: Academy,
    kind: VisitKind,
    direction: str = Direction.HOST,
    focus_areas=(),
    preferred_weeks: str = "",
    notes: str = "",
    by: User,
) -> Visit:
    """Ask for a visit for `academy`: to host one (focus areas, preferred weeks) or to go
    and see practice elsewhere in a focus area. A leader asks for their own academy, an
    executive for one of their trust's, a coordinator for any member. The request waits
    in the coordinators' brokering queue."""
    ensure(by, "events.request_visit_for", academy, "You can ask for visits for your own academy only.")
    network = kind.network
    if not kind.is_active:
        raise ValidationError({"kind": f"{kind.name}s are not offered at the moment."})
    if not network.member_trusts.filter(pk=academy.trust_id).exists():
        raise ValidationError({"academy": f"{academy.name} is not in a member trust of {network.name}."})
    if direction == Direction.SEE and kind.code in HOST_ONLY:
        raise ValidationError({"direction": f"A {kind.name.lower()} comes to the academy: choose to host it."})
    focus = list(focus_areas)
    if direction == Direction.SEE and not focus:
        raise ValidationError({"focus_areas": "Say which practice you would like to see (at least one focus area)."})
    visit = Visit(
        network=network,
        kind=kind,
        direction=direction,
        preferred_weeks=preferred_weeks.strip(),
        notes=notes.strip(),
        requested_by=by,
        requested_at=timezone.now(),
    )
    if direction == Direction.HOST:
        visit.host_academy, visit.host_trust_id = academy, academy.trust_id
    else:
        visit.visiting_academy = academy
    visit.full_clean(exclude=["focus_areas", "visitors"])
    visit.save()
    visit.focus_areas.set(focus)
    log(visit, action="request", by=by, text=notes)
    return visit


@transaction.atomic
def visits_create_annual(*, year: MembershipYear, by: User) -> int:
    """The annual consultant visit for every active member of `year`, in one action.
    Idempotent: a member that has its annual visit for the year is skipped (a unique
    constraint holds it), so running it again after new members join adds theirs only.
    Returns how many requests were created."""
    ensure(by, "events.broker_visits")
    kind = visit_kinds_ensure(network=year.network)[VisitKind.Code.CONSULTANT]
    have = set(Visit.objects.filter(annual_for=year).values_list("host_academy_id", flat=True))
    members = (
        Membership.objects.filter(year=year, status=Membership.Status.ACTIVE)
        .exclude(academy_id__in=have)
        .select_related("academy")
        .order_by("academy__name")
    )
    now = timezone.now()
    visits = Visit.objects.bulk_create(
        [
            Visit(
                network=year.network,
                kind=kind,
                direction=Direction.HOST,
                host_academy_id=m.academy_id,
                host_trust_id=m.academy.trust_id,
                annual_for=year,
                requested_by=by,
                requested_at=now,
                notes=f"The annual visit for {year.label}.",
            )
            for m in members
        ]
    )
    VisitLog.objects.bulk_create(
        [
            VisitLog(visit=v, at=now, by=by, action="request", to_status=Visit.Status.REQUESTED, text=v.notes)
            for v in visits
        ]
    )
    changes.records_changed("events")  # bulk_create sends no signal: the home pages' visits panels show these
    return len(visits)


@transaction.atomic
def visit_propose(*, visit: Visit, by: User, host_academy: Academy | None = None, visitors=(), text: str = "") -> Visit:
    """Record a suggested host (a request to see practice) or visitor(s) (a request to
    be visited) before the date is fixed. Never the requester's own academy."""
    ensure(by, "events.broker_visits")
    visit = lock(visit)
    people = list(visitors)
    if host_academy is None and not people:
        raise ValidationError("Propose a host academy or at least one visitor.")
    if host_academy is not None:
        _check_host(visit, host_academy)
        visit.host_academy, visit.host_trust_id = host_academy, host_academy.trust_id
    _check_visitors(visit, people, host_academy or visit.host_academy)
    move(visit, action="propose", by=by, text=text, fields=["host_academy", "host_trust"])
    if people:
        assign(visit, people)
    return visit


def _check_host(visit: Visit, host: Academy) -> None:
    if visit.direction == Direction.HOST and visit.host_academy_id and host.pk != visit.host_academy_id:
        raise ValidationError({"host_academy": "This academy asked to be visited: its host cannot change."})
    if host.pk == visit.visiting_academy_id:
        raise ValidationError({"host_academy": "The host cannot be the academy that asked to see practice."})


def _check_visitors(visit: Visit, people: list[Person], host: Academy | None) -> None:
    at_host = [p.full_name for p in people if host is not None and p.academy_id == host.pk]
    if at_host:
        raise ValidationError(
            {"visitors": f"Visitors come from elsewhere: {', '.join(at_host)} work at the host academy."}
        )


def assign(visit: Visit, people: list[Person]) -> None:
    """Make `people` the visit's visitors (keeping those already assigned)."""
    wanted = {p.pk for p in people}
    visit.assignments.exclude(person_id__in=wanted).delete()
    have = set(visit.assignments.values_list("person_id", flat=True))
    VisitVisitor.objects.bulk_create([VisitVisitor(visit=visit, person_id=pk) for pk in sorted(wanted - have)])
    changes.records_changed("events")  # bulk_create sends no signal; the visitors are who sees the visit


@transaction.atomic
def visit_cancel(*, visit: Visit, reason: str, by: User) -> Visit:
    """Cancel a visit before it happens, with a reason (kept in the log). Whoever was
    told it was scheduled is told it is cancelled."""
    ensure(by, "events.cancel_visit", visit, "Only the coordinators or the academy that asked can cancel this visit.")
    visit = lock(visit)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the visit is cancelled: the people involved will read it."})
    was_scheduled = visit.status == Visit.Status.SCHEDULED
    visit.cancelled_at, visit.cancel_reason = timezone.now(), reason.strip()
    entry = move(visit, action="cancel", by=by, text=reason, fields=["cancelled_at", "cancel_reason"])
    if was_scheduled:
        notifications.email(
            visit,
            kind="cancelled",
            people=[*notifications.visitor_people(visit), *notifications.host_people(visit)],
            template="cancelled",
            log=entry,
        )
    return visit
