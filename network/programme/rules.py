"""Who may do what in the network programme (see network/base/rules.py for the idea)."""

import rules

from network.base.rules import has_person, is_active, is_coordinator, is_leader, is_steering, is_trust_executive


@rules.predicate
def is_referred(user, application) -> bool:
    return application is not None and application.is_referred


@rules.predicate
def is_pending(user, application) -> bool:
    return application is not None and application.decision == application.Decision.PENDING


is_member = is_trust_executive | is_leader


@rules.predicate
def directory_is_open_to(user) -> bool:
    """Whether the directory has anyone to show `user` at all: coordinators, and people
    whose trust is in a network (the door's `network_trust_ids`). A visitor, or a login
    not linked to a trust, is told so instead of being shown an empty list."""
    from network.base import access

    return bool(is_active(user) and (user.is_coordinator or access.network_trust_ids(user)))


# Pages: everyone else is told they do not exist (network.base.web.permission_required).
rules.add_perm("network.open_network_pages", is_coordinator | is_member)  # trusts, academies, directory
rules.add_perm("network.open_membership_pages", is_coordinator | is_member)
# The expertise directory's search: only where it has anyone to show (else a page says why).
rules.add_perm("network.search_directory", directory_is_open_to)
rules.add_perm("network.read_applications", is_coordinator | is_member | is_steering)
rules.add_perm("network.open_referrals", is_coordinator | is_steering)
rules.add_perm("network.run_membership_year", is_coordinator)  # reviews, growth, invitations, invoices
# Coordinators decide any application; steering-group members only referred ones. The
# page offers the decision form only while the application is pending.
rules.add_perm("network.decide_application", is_coordinator | (is_steering & is_referred))
rules.add_perm("network.decide_pending_application", (is_coordinator | (is_steering & is_referred)) & is_pending)
# Accepting an invitation the review's inspection evidence bars is the coordinators' call.
rules.add_perm("network.accept_barred_invitation", is_coordinator)


# -- Innovation grants (issue 13) ---------------------------------------------------------
# Helpers that need rows ask the door (member_trust_ids, leader_academy_id) or read the
# membership year; they cache per request on the user object, like the door.


def _today():
    from django.utils import timezone

    return timezone.localdate()


def current_member_academy_ids(user) -> set[int]:
    """Academies with an active membership in a year that includes today, among those
    the user belongs to (a leader's academy; an executive's trusts' academies)."""
    if not hasattr(user, "_programme_member_academies"):
        from network.base import access
        from network.programme.membership.models import Membership

        if not (is_leader(user) or is_trust_executive(user)):
            # Nobody else belongs to a member school: no query to build (the menu asks
            # this on every page).
            user._programme_member_academies = set()
            return user._programme_member_academies
        today = _today()
        memberships = Membership.objects.filter(
            status=Membership.Status.ACTIVE, year__starts_on__lte=today, year__ends_on__gte=today
        )
        if is_leader(user):
            memberships = memberships.filter(academy_id=access.leader_academy_id(user))
        else:
            memberships = memberships.filter(academy__trust_id__in=access.member_trust_ids(user))
        user._programme_member_academies = set(memberships.values_list("academy_id", flat=True))
    return user._programme_member_academies


@rules.predicate
def is_current_member(user) -> bool:
    """A leader of a member school, or an executive of a trust with one, this year."""
    return bool(getattr(user, "is_authenticated", False) and current_member_academy_ids(user))


@rules.predicate
def has_academy(user) -> bool:
    from network.base import access

    return access.leader_academy_id(user) is not None


@rules.predicate
def works_on_bid(user, bid) -> bool:
    """The bid's lead, or a leader of the bidding academy."""
    from network.base import access

    if bid is None or not user.person_id:
        return False
    return bid.lead_id == user.person_id or bid.academy_id == access.leader_academy_id(user)


@rules.predicate
def bid_is_draft(user, bid) -> bool:
    return bid is not None and bid.status == bid.Status.DRAFT


@rules.predicate
def bid_is_awarded(user, bid) -> bool:
    return bid is not None and bid.status == bid.Status.AWARDED


@rules.predicate
def free_of_conflict(user, bid) -> bool:
    """Conflict of interest: nobody reviews a bid from their own trust (the trust when
    the bid was made, or the academy's trust now), nor one they lead."""
    from network.base import access

    if bid is None or not getattr(user, "is_authenticated", False):
        return False
    own = set(access.member_trust_ids(user))
    if own & {bid.trust_id, bid.academy.trust_id} - {None}:
        return False
    return bid.lead_id != user.person_id


@rules.predicate
def is_reviewer_of(user, review) -> bool:
    return review is not None and review.reviewer_id == user.pk


@rules.predicate
def review_open(user, review) -> bool:
    return review is not None and review.bid.status == review.bid.Status.SUBMITTED


rules.add_perm("network.open_grants", is_coordinator | is_member)
rules.add_perm("network.bid_for_grants", is_leader & has_academy)
rules.add_perm("network.edit_bid", is_leader & works_on_bid & bid_is_draft)
rules.add_perm("network.file_grant_report", is_leader & works_on_bid & bid_is_awarded)
rules.add_perm("network.run_grants", is_coordinator)  # reviewers, awards, the finance CSV
# A reviewer (the user) and a bid (the object): assignment asks this of the reviewer.
rules.add_perm("network.review_bid", is_active & free_of_conflict)
rules.add_perm("network.score_review", is_reviewer_of & review_open)
rules.add_perm("network.open_my_reviews", is_active)
# The outcomes library: every member school's leaders (and their trusts' executives).
rules.add_perm("network.read_outcomes_library", is_coordinator | is_current_member)
# -- end of innovation grants ----------------------------------------------------------------


# -- Roles and succession (issue 13) --------------------------------------------------------
rules.add_perm("network.open_roles", is_coordinator | is_member)
rules.add_perm("network.see_succession_risks", is_coordinator | is_trust_executive)
rules.add_perm("network.manage_roles", is_coordinator)  # the fix links lead to the admin
# -- end of roles and succession --------------------------------------------------------------


# -- Hubs and clusters (issue 13) -------------------------------------------------------------
@rules.predicate
def leads_hub(user, hub) -> bool:
    return bool(hub is not None and user.person_id and user.person_id in (hub.lead_id, hub.deputy_lead_id))


@rules.predicate
def hub_is_approved(user, hub) -> bool:
    return hub is not None and hub.status == hub.Status.APPROVED


@rules.predicate
def may_join_scope(user, hub) -> bool:
    """A trust-internal hub is for its trust's people; a cross-trust hub for anyone's."""
    from network.base import access

    if hub is None:
        return False
    return hub.scope == hub.Scope.CROSS_TRUST or hub.trust_id in access.member_trust_ids(user)


@rules.predicate
def in_hub(user, hub) -> bool:
    """An accepted member, or a leader of one of the hub's academies."""
    from network.base import access
    from network.programme.hubs.models import HubMembership

    if hub is None or not user.person_id:
        return False
    academy_id = access.leader_academy_id(user)
    if academy_id and hub.academies.filter(pk=academy_id).exists():
        return True
    return HubMembership.objects.filter(
        hub=hub, person_id=user.person_id, status=HubMembership.Status.ACCEPTED
    ).exists()


rules.add_perm("network.open_hubs", is_coordinator | is_member)
rules.add_perm("network.join_hub", is_leader & has_person & hub_is_approved & may_join_scope)
rules.add_perm("network.lead_hub", is_coordinator | (is_active & leads_hub))  # accept members, meeting notes
rules.add_perm("network.share_in_hub", hub_is_approved & (is_coordinator | (is_active & (leads_hub | in_hub))))
rules.add_perm("network.propose_cluster", is_leader & has_academy)
rules.add_perm("network.approve_cluster", is_coordinator)
# -- end of hubs and clusters ------------------------------------------------------------------


# -- Hub meeting notes (issue 13) -------------------------------------------------------------
@rules.predicate
def hub_in_my_trusts(user, hub) -> bool:
    from network.base import access

    return bool(hub is not None and hub.academies.filter(trust_id__in=access.member_trust_ids(user)).exists())


rules.add_perm(
    "network.read_hub_notes",
    is_coordinator | (is_active & (leads_hub | in_hub | (is_trust_executive & hub_in_my_trusts))),
)
# -- end of hub meeting notes ------------------------------------------------------------------


# -- Connections, the contribution ledger and the radar (issue 13) ----------------------------
rules.add_perm("network.ask_for_connection", is_leader & has_person)
rules.add_perm("network.open_connections", is_active & has_person)  # my connections, my preferences
rules.add_perm("network.open_contribution_ledger", is_coordinator | is_trust_executive)
rules.add_perm("network.read_radar", is_coordinator | is_member)
rules.add_perm("network.compose_radar", is_coordinator)
# -- end of connections, the ledger and the radar ---------------------------------------------
