"""Writes of the dashboards part: the network's objectives."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from impact.dashboards import periods
from impact.dashboards.models import WITH_TRUSTS, Objective
from network.base.rules import ensure


@transaction.atomic
def objective_set(
    *, network, year_label: str, measure: str, target: Decimal, min_trusts: int | None = None, note: str = "", by
) -> Objective:
    """Set (or change) the network's target for one measure in one membership year.
    Coordinators only. A "from at least N trusts" applies only to measures counted by
    trust; the value itself is always computed, never typed in."""
    ensure(by, "impact.set_objectives")
    try:
        periods.year_for(periods.MEMBERSHIP, year_label)
    except ValueError as error:
        raise ValidationError({"year_label": str(error)}) from None
    if min_trusts and measure not in WITH_TRUSTS:
        raise ValidationError({"min_trusts": "This measure is not counted by trust."})
    objective, _created = Objective.objects.update_or_create(
        network=network,
        year_label=year_label,
        measure=measure,
        defaults={
            "target": target,
            "min_trusts": min_trusts or None,
            "note": note,
            "set_by": by,
            "set_at": timezone.now(),
        },
    )
    objective.full_clean()
    return objective
