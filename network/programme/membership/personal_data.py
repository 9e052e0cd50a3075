"""What the programme (hubs and the membership year) holds about a person, for the export
(network/base/personal_data.py): hubs they lead, and what their login did in the membership
year (invitations, acceptances, applications, decisions, evidence, invoices, reviews).
Memberships belong to academies; a person appears in them only as who acted."""

from django.db.models import Q

from network.base.personal_data import Section, local
from network.programme.membership.models import (
    ApplicationEvidence,
    InvoiceLine,
    Membership,
    MembershipApplication,
    ReviewProposal,
    ReviewRun,
)
from network.programme.models import Hub


def _hubs(user, person):
    if person is None:
        return []
    hubs = Hub.objects.filter(Q(lead=person) | Q(deputy_lead=person)).select_related("network")
    return [
        {"hub": h.name, "network": h.network.name, "role": "lead" if h.lead_id == person.pk else "deputy lead"}
        for h in hubs
    ]


def _memberships(user, person):
    if user is None:
        return []
    history = Membership.history.filter(Q(invited_by=user) | Q(accepted_by=user)).values("id")
    memberships = (
        Membership.objects.filter(Q(invited_by=user) | Q(accepted_by=user) | Q(pk__in=history))
        .select_related("year__network", "academy")
        .order_by("year__starts_on", "academy__name")
    )
    return [
        {
            "academy": m.academy.name,
            "membership_year": str(m.year),
            "you_invited": m.invited_by_id == user.pk,
            "you_accepted": m.accepted_by_id == user.pk,
            "invited_at": local(m.invited_at),
            "accepted_at": local(m.accepted_at),
        }
        for m in memberships
    ]


def _applications(user, person):
    if user is None:
        return []
    applications = (
        MembershipApplication.objects.filter(Q(submitted_by=user) | Q(decided_by=user))
        .select_related("membership__academy", "membership__year")
        .order_by("submitted_at")
    )
    return [
        {
            "academy": a.membership.academy.name,
            "membership_year": str(a.membership.year),
            "you_submitted": a.submitted_by_id == user.pk,
            "submitted_at": local(a.submitted_at),
            "evidence": a.evidence_text,
            "you_decided": a.decided_by_id == user.pk,
            "decision": a.get_decision_display(),
            "decision_reason": a.decision_reason if a.decided_by_id == user.pk else "",
            "decided_at": local(a.decided_at),
        }
        for a in applications
    ]


def _evidence(user, person):
    if user is None:
        return []
    files = ApplicationEvidence.objects.filter(uploaded_by=user).select_related("application__membership__academy")
    return [
        {"file": e.name, "academy": e.application.membership.academy.name, "uploaded_at": local(e.uploaded_at)}
        for e in files.order_by("uploaded_at")
    ]


def _review_work(user, person):
    """Invoice lines added, annual reviews started, proposals overridden or confirmed."""
    if user is None:
        return []
    rows = [
        {"what": "invoice line added", "about": f"{line.membership.academy.name}: {line.description}",
         "when": local(line.created_at)}
        for line in InvoiceLine.objects.filter(created_by=user).select_related("membership__academy")
    ]  # fmt: skip
    rows += [
        {"what": "annual review started", "about": str(run), "when": local(run.started_at)}
        for run in ReviewRun.objects.filter(started_by=user).select_related("year__network")
    ]
    proposals = ReviewProposal.objects.filter(Q(overridden_by=user) | Q(confirmed_by=user)).select_related("academy")
    for p in proposals:
        if p.overridden_by_id == user.pk:
            rows.append(
                {"what": "review outcome changed", "about": f"{p.academy.name}: {p.override_reason}",
                 "when": local(p.overridden_at)}
            )  # fmt: skip
        if p.confirmed_by_id == user.pk:
            rows.append({"what": "review outcome confirmed", "about": p.academy.name, "when": local(p.confirmed_at)})
    return sorted(rows, key=lambda row: (row["when"] is None, row["when"] or 0))


SECTIONS = [
    Section(
        key="hubs",
        title="Hubs you lead",
        rows=_hubs,
        links=("network.Hub.lead", "network.Hub.deputy_lead"),
        order=35,
    ),
    Section(
        key="memberships",
        title="Academy memberships you invited or accepted",
        rows=_memberships,
        links=(
            "network.Membership.invited_by",
            "network.Membership.accepted_by",
            "network.HistoricalMembership.invited_by",
            "network.HistoricalMembership.accepted_by",
        ),
        order=70,
    ),
    Section(
        key="membership_applications",
        title="Membership applications you made or decided",
        rows=_applications,
        links=("network.MembershipApplication.submitted_by", "network.MembershipApplication.decided_by"),
        order=71,
    ),
    Section(
        key="application_evidence",
        title="Evidence files you uploaded",
        rows=_evidence,
        links=("network.ApplicationEvidence.uploaded_by",),
        order=72,
    ),
    Section(
        key="membership_administration",
        title="Membership administration you did",
        rows=_review_work,
        links=(
            "network.InvoiceLine.created_by",
            "network.ReviewRun.started_by",
            "network.ReviewProposal.overridden_by",
            "network.ReviewProposal.confirmed_by",
        ),
        order=73,
    ),
]
