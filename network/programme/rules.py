"""Who may do what in the network programme (see network/base/rules.py for the idea)."""

import rules

from network.base.rules import is_coordinator, is_leader, is_steering, is_trust_executive


@rules.predicate
def is_referred(user, application) -> bool:
    return application is not None and application.is_referred


@rules.predicate
def is_pending(user, application) -> bool:
    return application is not None and application.decision == application.Decision.PENDING


is_member = is_trust_executive | is_leader

# Pages: everyone else is told they do not exist (network.base.web.permission_required).
rules.add_perm("network.open_network_pages", is_coordinator | is_member)  # trusts, academies, directory
rules.add_perm("network.open_membership_pages", is_coordinator | is_member)
rules.add_perm("network.read_applications", is_coordinator | is_member | is_steering)
rules.add_perm("network.open_referrals", is_coordinator | is_steering)
rules.add_perm("network.run_membership_year", is_coordinator)  # reviews, growth, invitations, invoices
# Coordinators decide any application; steering-group members only referred ones. The
# page offers the decision form only while the application is pending.
rules.add_perm("network.decide_application", is_coordinator | (is_steering & is_referred))
rules.add_perm("network.decide_pending_application", (is_coordinator | (is_steering & is_referred)) & is_pending)
# Accepting an invitation the review's inspection evidence bars is the coordinators' call.
rules.add_perm("network.accept_barred_invitation", is_coordinator)
