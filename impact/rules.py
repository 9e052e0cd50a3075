"""Who may do what in the impact room (see network/base/rules.py for the idea).
Which rows each role sees is the access door's (network/base/access.py)."""

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
