"""Who may do what in the impact room (see network/base/rules.py for the idea).
Which rows each role sees is the access door's (network/base/access.py)."""

import rules

from network.base import access
from network.base.rules import has_person, is_active, is_coordinator, is_leader, is_trust_executive

# -- Surveys and the evidence log (issue 11) -------------------------------------------


@rules.predicate
def in_scope(user, obj) -> bool:
    """The object is one the user may see (asked of the door, as a row)."""
    if obj is None or not is_active(user):
        return False
    return access.scoped(user, type(obj)).filter(pk=obj.pk).exists()


# Building and sending surveys is the coordinators'.
rules.add_perm("impact.build_surveys", is_coordinator)
# Results: coordinators see everything; a trust executive their trust's answers, with
# every breakdown of fewer than 5 shown as "fewer than 5" (impact.surveys.selectors).
rules.add_perm("impact.open_survey_results", is_coordinator | is_trust_executive)
rules.add_perm("impact.see_small_numbers", is_coordinator)
# Answering: anyone with a person record sees their own open invitations.
rules.add_perm("impact.answer_surveys", is_active & has_person)
# The evidence log: coordinators (the network), executives (their trust's academies),
# leaders (their academy). Recording on a claim (the object) or for an academy (the
# object) needs it to be in the user's scope.
rules.add_perm("impact.open_evidence", is_coordinator | is_trust_executive | is_leader)
rules.add_perm("impact.record_evidence", (is_coordinator | is_trust_executive | is_leader) & in_scope)

# -- end of surveys and the evidence log ---------------------------------------------
# -- Dashboards, KPIs, the six-lens review and the annual report (issue 12) ------------
import rules  # noqa: E402

from network.base.rules import is_coordinator, is_steering, is_trust_executive  # noqa: E402

# A trust's dashboard: coordinators (any trust), executives (their trusts: the door).
rules.add_perm("impact.open_trust_dashboard", is_coordinator | is_trust_executive)
# The network's dashboard names every trust: coordinators only. So do objectives.
rules.add_perm("impact.open_network_dashboard", is_coordinator)
rules.add_perm("impact.set_objectives", is_coordinator)
# The six-lens review: coordinators write it; the steering group reads and comments.
rules.add_perm("impact.read_lens_reviews", is_coordinator | is_steering)
rules.add_perm("impact.edit_lens_review", is_coordinator)
rules.add_perm("impact.comment_on_lens_review", is_coordinator | is_steering)
# The annual report names trusts and is the coordinators' to publish.
rules.add_perm("impact.open_network_report", is_coordinator)
