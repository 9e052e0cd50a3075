"""A network's visit settings, read with defaults: the kinds it offers (and their fees),
the caps and tier targets (`VisitPolicy`), and the Framework strands a moderation
report rates. Reads only; `events.visits.services.kinds` writes the defaults."""

from decimal import Decimal

from events.visits.models import VisitKind, VisitPolicy

Code = VisitKind.Code

# The kinds every network starts with: (code, name, fee excluding VAT, description).
DEFAULT_KINDS = (
    (Code.PEER, "Peer visit", Decimal("0"), "Leaders from one academy see practice at another."),
    (
        Code.CONSULTANT,
        "Consultant visit (annual)",
        Decimal("0"),
        "The annual school-improvement visit by a consultant headteacher, part of membership.",
    ),
    (
        Code.MODERATION,
        "Moderation visit",
        Decimal("0"),
        "For an academy seeking accreditation against the Framework for Exceptional Education.",
    ),
    (Code.EXTRA, "Extra visit", Decimal("300.00"), "A visit beyond the annual one, charged at £300 + VAT."),
)

# The Framework for Exceptional Education's strands, rated on moderation visits.
FRAMEWORK_STRANDS = (
    ("leadership", "Leadership and vision"),
    ("curriculum", "Curriculum"),
    ("teaching", "Teaching and learning"),
    ("development", "Professional development"),
    ("experience", "Student experience and outcomes"),
    ("partnership", "Partnerships and community"),
)
STRAND_RATINGS = (("emerging", "Emerging"), ("embedding", "Embedding"), ("transforming", "Transforming"))


def policy_for(network) -> VisitPolicy:
    """The network's policy, or the defaults (unsaved) when none has been set."""
    return VisitPolicy.objects.filter(network=network).first() or VisitPolicy(network=network)


def strand_label(code: str) -> str:
    return dict(FRAMEWORK_STRANDS).get(code, code)


def rating_label(code: str) -> str:
    return dict(STRAND_RATINGS).get(code, code)
