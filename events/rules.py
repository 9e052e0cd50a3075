"""Who may do what in the events room (see network/base/rules.py for the idea).

Every "may this user…" answer of the room is here, once: services refuse with
`ensure`, views gate with `permission_required` or ask `has`, templates use
`{% has_perm %}`, and the selectors that turn a rule into rows (whom a trust science
lead may book for, which requests an approver sees) start from the predicates below.
"""

import rules

from network.base.access import leader_academy_id, member_trust_ids, own_person
from network.base.rules import has_person, is_active, is_coordinator, is_steering, is_trust_executive
from trusts.models import JobRole, Person

APPROVER_ROLES = (JobRole.HEAD_OF_SCIENCE, JobRole.HEADTEACHER)


def person_trust_id(person: Person | None) -> int | None:
    """The trust a person belongs to: their academy's, or their own if trust-wide."""
    if person is None:
        return None
    if person.academy_id:
        return person.academy.trust_id
    return person.trust_id


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def is_trust_science_lead(user) -> bool:
    """A trust science (CPD) lead is a science-leader login whose person record has the
    job role 'trust science lead'; they may book on behalf of anyone in their trust."""
    if not (_signed_in(user) and user.is_leader and user.person_id):
        return False
    person = own_person(user)  # the door's, read once per request (not the whole person)
    return bool(person and person.job_role == JobRole.TRUST_SCIENCE_LEAD and member_trust_ids(user))


@rules.predicate
def is_approver(user) -> bool:
    """A head of science or headteacher with a login (approves their academy's requests)."""
    if not (_signed_in(user) and user.is_leader and user.person_id):
        return False
    person = own_person(user)
    return bool(person and person.academy_id and person.job_role in APPROVER_ROLES)


@rules.predicate
def may_book_for(user, person) -> bool:
    """Themselves; a coordinator anyone; a trust science lead anyone in their trust."""
    if not is_active(user):
        return False
    if user.person_id == person.pk or user.is_coordinator:
        return True
    return is_trust_science_lead(user) and person_trust_id(user.person) == person_trust_id(person)


@rules.predicate
def may_change(user, booking) -> bool:
    """The person, whoever booked it for them, or anyone who may book for them."""
    return _signed_in(user) and (booking.booked_by_id == user.pk or may_book_for(user, booking.person))


@rules.predicate
def may_cancel_now(user, booking) -> bool:
    """Whether `user` (who may change the booking) can cancel it now: a live booking
    before its cut-off (`Booking.can_cancel`), or any live booking for a coordinator, who
    handles the late phone call (`events.cancel_after_cutoff`). The rule
    `booking_cancel` applies, and the page that asks first."""
    return bool(booking.is_live and (booking.can_cancel() or is_coordinator(user)))


@rules.predicate
def may_decide(user, booking) -> bool:
    """A coordinator, or a head of science/headteacher of the booker's academy (not
    their own booking)."""
    if not _signed_in(user):
        return False
    if user.is_coordinator:
        return True
    return (
        is_approver(user)
        and user.person_id != booking.person_id
        and user.person.academy_id == booking.person.academy_id
    )


@rules.predicate
def leads_the_hub(user, event) -> bool:
    """The lead or deputy lead of the hub that runs the event (hub meetings are taken by
    their hub lead)."""
    if not user.person_id or not event.hub_id:
        return False
    hub = event.hub
    return user.person_id in (hub.lead_id, hub.deputy_lead_id)


def approvers_for(person: Person):
    """Who approves `person`'s bookings (with or without a login): their academy's heads
    of science and headteachers, not themselves."""
    if not person.academy_id:
        return Person.objects.none()
    return Person.objects.filter(academy_id=person.academy_id, job_role__in=APPROVER_ROLES).exclude(pk=person.pk)


def may_decide_by_link(approver: Person, booking) -> bool:
    """The emailed approval link names a person, not a login: they may decide if they
    approve the booker's bookings."""
    return approver in approvers_for(booking.person)


# Booking, for oneself or on someone's behalf (the object is the person booked).
rules.add_perm("events.book_for", may_book_for)
rules.add_perm("events.book_on_behalf", is_coordinator | is_trust_science_lead)
# A live booking (the object): give it up, or take up the place offered.
rules.add_perm("events.cancel_booking", may_change)
rules.add_perm("events.confirm_offer", may_change)
# Coordinators handle the late phone call: the cancellation cut-off does not bind them.
rules.add_perm("events.cancel_after_cutoff", is_coordinator)
# Cancel a live booking now: before its cut-off, or after it for a coordinator.
rules.add_perm("events.cancel_booking_now", may_change & may_cancel_now)
# Who is booked on an event (the object), listed on its page: coordinators.
rules.add_perm("events.list_bookings", is_coordinator)
# Requests awaiting approval: the page, and deciding one (the object is the booking).
rules.add_perm("events.open_approvals", is_coordinator | is_approver)
rules.add_perm("events.decide_booking", may_decide)
# The register of an event (the object): coordinators and the event's hub lead.
rules.add_perm("events.take_register", is_active & (is_coordinator | leads_the_hub))
# Certificates and .ics files are their person's; a coordinator fetches anyone's to send on.
rules.add_perm("events.download_others_documents", is_coordinator)
# One trust's CPD participation: coordinators, and executives (of trusts in their scope).
rules.add_perm("events.open_trust_cpd", is_coordinator | is_trust_executive)

# The CPD programme's menu: everyone but the steering group (whose role is referrals only);
# a CPD record and bookings need a person record.
rules.add_perm("events.browse_events", is_active & ~is_steering)
rules.add_perm("events.keep_cpd_record", is_active & has_person)


# -- Visits ------------------------------------------------------------------------------
# Academy visits (events/visits/). Which visits a user sees is the door's
# (network/base/access.py); these say what they may do with one they see.


def _visit_academy_ids(visit) -> set[int]:
    return {pk for pk in (visit.host_academy_id, visit.visiting_academy_id) if pk}


def _leader_academy_id(user) -> int | None:
    if not (_signed_in(user) and user.is_leader and user.person_id):
        return None
    return leader_academy_id(user)  # the door's, read once per request (not the whole person)


def visitor_ids(visit) -> set[int]:
    """The people assigned to the visit (from the prefetch when the selector made one)."""
    return {a.person_id for a in visit.assignments.all()}


@rules.predicate
def has_academy(user) -> bool:
    return _leader_academy_id(user) is not None


@rules.predicate
def is_visit_visitor(user, visit) -> bool:
    return bool(_signed_in(user) and user.is_active and user.person_id and user.person_id in visitor_ids(visit))


@rules.predicate
def is_host_leader(user, visit) -> bool:
    """A science leader (or head) at the academy visited."""
    academy_id = _leader_academy_id(user)
    return academy_id is not None and academy_id == visit.host_academy_id


@rules.predicate
def is_requesting_side(user, visit) -> bool:
    """A leader at the academy the request is for, or an executive of its trust."""
    academy_id = visit.requester_academy_id
    if academy_id is None:
        return False
    if _leader_academy_id(user) == academy_id:
        return True
    if is_trust_executive(user):
        academy = visit.host_academy if academy_id == visit.host_academy_id else visit.visiting_academy
        return academy.trust_id in member_trust_ids(user)
    return False


@rules.predicate
def may_request_visit_for(user, academy) -> bool:
    """A leader for their own academy, an executive for their trust's, a coordinator any."""
    if is_coordinator(user):
        return True
    if is_trust_executive(user):
        return academy.trust_id in member_trust_ids(user)
    return _leader_academy_id(user) == academy.pk


@rules.predicate
def may_update_action(user, action) -> bool:
    """The action's owner, a leader at the host academy, or a coordinator."""
    if is_coordinator(user):
        return True
    if _signed_in(user) and user.person_id and user.person_id == action.owner_id:
        return True
    return is_host_leader(user, action.visit)


rules.add_perm("events.see_visits", is_active & ~is_steering)
rules.add_perm("events.request_visit", is_coordinator | is_trust_executive | has_academy)
rules.add_perm("events.request_visit_for", may_request_visit_for)
# Brokering (the queue, suggestions, proposing, scheduling, rescheduling, the annual
# visits for every member) and the coverage planner are the coordinators'.
rules.add_perm("events.broker_visits", is_coordinator)
rules.add_perm("events.cancel_visit", is_coordinator | is_requesting_side)
rules.add_perm("events.complete_visit", is_coordinator | is_visit_visitor | is_host_leader)
rules.add_perm("events.write_visit_report", is_coordinator | is_visit_visitor)
rules.add_perm("events.review_visit_report", is_coordinator | is_host_leader)
rules.add_perm("events.update_visit_action", may_update_action)
rules.add_perm("events.open_trust_visits", is_coordinator | is_trust_executive)
