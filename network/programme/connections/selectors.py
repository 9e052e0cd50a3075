"""Reads of the connections pages and the contribution ledger, through the door."""

from django.shortcuts import get_object_or_404

from network.base import access
from network.base.school_years import membership_year
from network.programme.connections import ledger
from network.programme.connections.models import ConnectionRequest
from trusts.models import Academy


def sent_by(user):
    """The user's own requests. Contact details are shown from these rows only when
    accepted (the template asks `is_accepted`; the recipient's email is never in the
    page before)."""
    return (
        access.scoped(user, ConnectionRequest)
        .filter(asker_id=user.person_id)
        .select_related("recipient__academy")
        .order_by("-created_at", "pk")
    )


def received_by(user):
    return (
        access.scoped(user, ConnectionRequest)
        .filter(recipient_id=user.person_id)
        .select_related("asker__academy")
        .order_by("-created_at", "pk")
    )


def directory_person(user, pk: int):
    """Someone in the user's directory (the directory is its own door: consent, and the
    networks the user's trust belongs to). Nobody else can be asked."""
    return get_object_or_404(access.directory(user).select_related("academy", "trust"), pk=pk)


def contribution_ledger(user, *, day) -> dict:
    """The ledger of the membership year containing `day`: a line per academy the user
    may see that gave or took anything, and a line per trust (their academies' sum)."""
    year = membership_year(day)
    academies = {
        a.pk: a for a in access.scoped(user, Academy).select_related("trust").only("pk", "name", "urn", "trust__name")
    }
    per_academy = ledger.figures(year, academy_ids=academies.keys())
    lines, trusts = [], {}
    for academy_id, values in per_academy.items():
        academy = academies[academy_id]
        line = ledger.Line(name=academy.name, trust_name=academy.trust.name if academy.trust_id else "")
        line.grant_money = values.pop("grant_money")
        line.figures.update(values)
        lines.append(line)
        trust_line = trusts.setdefault(line.trust_name or "No trust", ledger.Line(name=line.trust_name or "No trust"))
        trust_line.add(line)
    return {
        "year": year,
        "academy_lines": sorted(lines, key=lambda line: (line.trust_name, line.name)),
        "trust_lines": sorted(trusts.values(), key=lambda line: line.name),
        "gave": [(k, ledger.LABELS[k]) for k in ledger.GAVE],
        "took": [(k, ledger.LABELS[k]) for k in ledger.TOOK],
    }
