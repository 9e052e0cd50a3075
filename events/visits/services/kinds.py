"""A network's visit kinds and policy, written with their defaults."""

from django.db import transaction

from events.visits.models import VisitKind, VisitPolicy
from events.visits.policy import DEFAULT_KINDS


@transaction.atomic
def visit_kinds_ensure(*, network) -> dict[str, VisitKind]:
    """The network's kinds by code, creating the defaults it lacks (peer, consultant,
    moderation at £0, extra at £300). A coordinator's later edits are kept."""
    for code, name, fee, description in DEFAULT_KINDS:
        VisitKind.objects.get_or_create(
            network=network, code=code, defaults={"name": name, "fee_net": fee, "description": description}
        )
    VisitPolicy.objects.get_or_create(network=network)
    return {kind.code: kind for kind in VisitKind.objects.filter(network=network)}
