"""Invoice lines of a membership year: the fee and extra charges."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from network.base.models import User
from network.programme.membership.models import InvoiceLine, Membership


def fee_line_add(*, membership: Membership, by: User | None) -> InvoiceLine:
    """The year's fee, once per membership (a unique constraint holds it to one)."""
    year = membership.year
    line, _ = InvoiceLine.objects.get_or_create(
        membership=membership,
        kind=InvoiceLine.Kind.FEE,
        defaults={
            "description": f"{year.network.name} membership {year.label}",
            "net_amount": year.fee_net,
            "vat_rate": year.vat_rate,
            "created_by": by,
        },
    )
    return line


@transaction.atomic
def invoice_line_add(*, membership: Membership, description: str, net_amount: Decimal, by: User) -> InvoiceLine:
    """An extra charge (e.g. an extra visit) at the year's VAT rate. Only for a
    membership that is or was active; amounts are not negative."""
    if membership.status not in (Membership.Status.ACTIVE, Membership.Status.LEFT):
        raise ValidationError("Extra charges can only be added to an active membership.")
    line = InvoiceLine(
        membership=membership,
        kind=InvoiceLine.Kind.EXTRA,
        description=description.strip(),
        net_amount=net_amount,
        vat_rate=membership.year.vat_rate,
        created_by=by,
    )
    line.full_clean()
    line.save()
    return line
