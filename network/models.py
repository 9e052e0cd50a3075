"""The `network` app's models, gathered so Django registers them under one label.

They live where their job is (docs/architecture.md): the platform's in
`network/base/` (logins, invitations, the outbox; import jobs; personal-data records),
the programme's in `network/programme/`. Code imports them from there, never from here,
so the platform never reaches the programme.
"""

from network.base.imports.models import ImportJob  # noqa: F401
from network.base.models import Invitation, OutboxMessage, Role, User, UserManager  # noqa: F401
from network.base.privacy.models import ErasedIdentity, ErasureRecord, RetentionRemoval  # noqa: F401
from network.programme.membership.models import (  # noqa: F401
    ApplicationEvidence,
    InvoiceLine,
    Membership,
    MembershipApplication,
    MembershipPolicy,
    MembershipYear,
    ReviewProposal,
    ReviewRun,
)
from network.programme.models import Hub, Network  # noqa: F401

# isort: split
# -- The network programme: grants, roles, hubs, connections, the radar (issue 13) ----
from network.programme.connections.models import ConnectionRequest, ProgrammePreference  # noqa: F401
from network.programme.grants.models import (  # noqa: F401
    GrantBid,
    GrantBudgetLine,
    GrantCriterion,
    GrantReport,
    GrantReview,
    GrantRound,
)
from network.programme.hubs.models import HubMembership, HubResource, MeetingNote  # noqa: F401
from network.programme.radar.models import RadarIssue  # noqa: F401
from network.programme.roles.models import NetworkRole  # noqa: F401
# -- end of the network programme (issue 13) -------------------------------------------
