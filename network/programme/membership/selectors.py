"""Reads for the membership pages, each starting from `network.base.access.scoped`, with the
joins a page needs so that it costs a fixed number of queries."""

from decimal import Decimal

from django.core.paginator import Page
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, Value, When
from django.utils import timezone

from network.base import access, changes, remembered
from network.programme.membership import eligibility
from network.programme.membership.models import (
    ApplicationEvidence,
    InvoiceLine,
    Membership,
    MembershipApplication,
    MembershipPolicy,
    MembershipYear,
    ReviewProposal,
    ReviewRun,
)
from network.programme.models import Network
from trusts.models import Academy, Inspection
from trusts.selectors import trust_choices

# Members in a year: those who were active in it (including those who left during it).
MEMBER_STATUSES = (Membership.Status.ACTIVE, Membership.Status.LEFT)


def academy_in_scope(user):
    """An annotation: is the row's academy in the user's *current* scope? The trust a
    membership or outcome was credited to keeps reading it after the academy moves on,
    but the academy's own pages (and acting for it) belong to its current trust, so a
    page links to them only when this is true."""
    if user.is_coordinator:
        return Value(True)
    return Exists(access.scoped(user, Academy).filter(pk=OuterRef("academy_id")))


def memberships_to_act_for(user):
    """Memberships the user may act on for their academy (accept an invitation): those
    of academies in the user's current scope. Reading a membership follows the door's
    rule, which also lets the trust it was credited to see it after the academy moved;
    acting for the academy is for the people whose academy it is now."""
    return access.scoped(user, Membership).filter(academy__in=access.scoped(user, Academy))


def memberships_for(user, *, network=None, year_label="", status="", trust=None):
    memberships = (
        access.scoped(user, Membership)
        .select_related("academy", "trust", "year__network")
        .annotate(academy_in_scope=academy_in_scope(user))
    )
    if network:
        memberships = memberships.filter(year__network=network)
    if year_label:
        memberships = memberships.filter(year__label=year_label)
    if status == "at_risk":
        memberships = memberships.filter(at_risk=True)
    elif status:
        memberships = memberships.filter(status=status)
    if trust:
        memberships = memberships.filter(trust=trust)
    # Only what the list shows (issue 14): the academy and trust rows are wide, and
    # compiling and loading every column of the four-table join was most of the page.
    return memberships.only(
        "status",
        "at_risk",
        "year__label",
        "year__network__name",
        "academy__name",
        "academy__urn",
        "trust__name",
    ).order_by("-year__starts_on", "year__network__name", "academy__name")


def membership_page(user, number, *, size: int, network=None, year_label="", status="", trust=None) -> Page:
    """Page `number` of `memberships_for(user, …)`, with its count, remembered
    (`remembered.remember_page`) under the reader's scope (`access.scope_key`) and the
    filters, each one of a short list (a network, a year, a status, a trust): the list
    changes with applications, invitations and the review, each of which moves the
    records' generation on. Sorting a network's memberships of every year by year,
    network and academy name was most of the coordinator's list (speed, issue 14)."""
    items = memberships_for(user, network=network, year_label=year_label, status=status, trust=trust)
    filters = (getattr(network, "pk", None), year_label, status, getattr(trust, "pk", None))
    return remembered.remember_page(
        "membership-list", (access.scope_key(user), filters), items, number, size=size, reads=changes.REGISTER
    )


def year_labels(user) -> list[str]:
    return list(access.scoped(user, MembershipYear).order_by("-label").values_list("label", flat=True).distinct())


def membership_filter_choices(user) -> dict[str, list]:
    """The membership list's filter lists: the years, networks and trusts the reader
    may filter by. Three queries on every page of the list, and they change a few times
    a year: remembered under the records' generation and the reader's scope
    (`access.scope_key`). A network or trust chosen is still checked against the form's
    querysets (`networks()`, `trusts.selectors.trust_choices`)."""

    def read():
        return {
            "years": year_labels(user),
            "networks": list(networks().values_list("pk", "name")),
            "trusts": list(trust_choices(user).values_list("pk", "name")),
        }

    return remembered.remember("membership-filters", (access.scope_key(user),), read, reads=changes.REGISTER)


def networks():
    return Network.objects.order_by("name")


def review_runs_for(user):
    return (
        access.scoped(user, ReviewRun)
        .select_related("network", "year", "started_by")
        .annotate(
            proposal_count=Count("proposals"),
            confirmed_count=Count("proposals", filter=Q(proposals__confirmed_at__isnull=False)),
        )
        .order_by("-year__starts_on", "network__name")
    )


def review_run_detail(user, pk: int) -> ReviewRun:
    """The run, Http404 if it is not the user's to see, with `proposal_count`,
    `confirmed_count` and `outcome_counts` (proposals per final outcome) read from one
    grouped query of its proposals (`_outcome_rows`). Counting them on the run's own query, as the list of runs
    does, joined and grouped every proposal again: a fifth of the review page's
    database time (speed, issue 14)."""
    runs = access.scoped(user, ReviewRun).select_related("network", "year", "started_by")
    run = access.get_scoped_or_404(user, runs, pk=pk)
    rows = _outcome_rows(user, run)
    run.outcome_counts = {row["final"]: row["n"] for row in rows}
    run.proposal_count = sum(row["n"] for row in rows)
    run.confirmed_count = sum(row["confirmed"] for row in rows)
    return run


def proposals_of(user, run: ReviewRun, *, outcome: str = "", pending_only: bool = False):
    proposals = (
        access.scoped(user, ReviewProposal)
        .filter(run=run)
        # The review page shows the academy, its trust and who changed or confirmed a
        # row; whether the academy is a member is read from membership_id. Joining the
        # two memberships as well (2,300 rows at scale 10) doubled the query's planning
        # and execution time for columns nobody shows (speed, issue 14).
        .select_related("academy", "trust", "confirmed_by", "overridden_by")
        # And of those rows only what the page shows (a user is shown by name, or email
        # without one): loading every column of the academy, trust and users, 25 of each,
        # took a fifth of the page's time in Python.
        .only(
            "membership",
            "outcome",
            "reasons",
            "override_outcome",
            "override_reason",
            "overridden_at",
            "confirmed_at",
            "academy__name",
            "academy__urn",
            "trust__name",
            "overridden_by__full_name",
            "overridden_by__email",
            "confirmed_by__full_name",
            "confirmed_by__email",
        )
        .order_by("academy__name", "pk")
    )
    if outcome:
        proposals = proposals.filter(Q(override_outcome=outcome) | Q(override_outcome="", outcome=outcome))
    if pending_only:
        proposals = proposals.filter(confirmed_at__isnull=True)
    return proposals


def _outcome_rows(user, run: ReviewRun) -> list[dict]:
    """Proposals per outcome (`final`: a coordinator's change rather than the proposal),
    `n` of them and how many are `confirmed`."""
    final = Case(When(override_outcome="", then=F("outcome")), default=F("override_outcome"))
    return list(
        access.scoped(user, ReviewProposal)
        .filter(run=run)
        .annotate(final=final)
        .values("final")
        .annotate(n=Count("pk"), confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)))
        .order_by()
    )


def confirmed_outcomes_for(user):
    """Confirmed review outcomes with their reasons (what executives and leaders see;
    unconfirmed proposals are drafts for coordinators only)."""
    return (
        access.scoped(user, ReviewProposal)
        .filter(confirmed_at__isnull=False)
        .select_related("academy", "trust", "run__year__network", "next_membership")
        .annotate(academy_in_scope=academy_in_scope(user))
        .order_by("-run__year__starts_on", "academy__name")
    )


def academy_membership(user, urn: int) -> Academy:
    """One academy with its memberships, confirmed outcomes and applications."""
    memberships = (
        access.scoped(user, Membership)
        .select_related("year__network", "trust", "application__decided_by")
        .order_by("-year__starts_on")
    )
    outcomes = confirmed_outcomes_for(user)
    academy = access.get_scoped_or_404(
        user,
        access.scoped(user, Academy)
        .select_related("trust")
        .prefetch_related(
            Prefetch("memberships", queryset=memberships, to_attr="visible_memberships"),
            Prefetch("review_proposals", queryset=outcomes, to_attr="visible_outcomes"),
        ),
        urn=urn,
    )
    _mark_barred_invitations(user, academy)
    return academy


def _mark_barred_invitations(user, academy: Academy) -> None:
    """Set `accept_barred` on each open invitation the user could not accept for the
    academy, as `services.membership_accept` would refuse it: the academy's latest
    inspection bars it under the network's policy (`eligibility.barring_inspection`) and
    no confirmed review saw that inspection. A coordinator may accept on the academy's
    behalf, so nothing is barred for them. Three queries at most, whatever the number of
    memberships."""
    today = timezone.localdate()
    invited = [
        m for m in academy.visible_memberships if m.status == Membership.Status.INVITED and m.year.ends_on >= today
    ]
    for m in academy.visible_memberships:
        m.accept_barred = False
    if user.is_coordinator or not invited:
        return
    facts = [
        eligibility.inspection_fact(i)
        for i in access.scoped(user, Inspection).filter(academy=academy).only(*eligibility.INSPECTION_FIELDS)
    ]
    if not facts:
        return
    network_ids = {m.year.network_id for m in invited}
    # The policy is the rule applied, not shown, so it is read as the service reads it
    # (the door keeps the policy pages to coordinators).
    policies = {p.network_id: p for p in MembershipPolicy.objects.filter(network_id__in=network_ids)}
    evidences: dict[int, list] = {}
    confirmed = access.scoped(user, ReviewProposal).filter(next_membership__in=invited, confirmed_at__isnull=False)
    for membership_id, evidence in confirmed.values_list("next_membership_id", "evidence"):
        evidences.setdefault(membership_id, []).append(evidence)
    for m in invited:
        policy = policies.get(m.year.network_id) or MembershipPolicy(network=m.year.network)
        barring = eligibility.barring_inspection(eligibility.Rules.from_policy(policy), facts)
        m.accept_barred = barring is not None and not any(
            eligibility.review_saw(evidence, barring) for evidence in evidences.get(m.pk, ())
        )


def applicable_academies(user):
    """The academies a user may apply for: a leader's academy, an executive's trusts'
    academies (their current ones), any academy for a coordinator."""
    return access.scoped(user, Academy).filter(is_open=True).select_related("trust").order_by("name")


def referrals_for(user, *, decided: bool | None = None):
    applications = (
        access.scoped(user, MembershipApplication)
        .filter(referred_at__isnull=False)
        .select_related("membership__academy", "membership__year__network", "decided_by")
        .annotate(file_count=Count("evidence_files"))
        .order_by("-referred_at")
    )
    if decided is True:
        applications = applications.exclude(decision=MembershipApplication.Decision.PENDING)
    elif decided is False:
        applications = applications.filter(decision=MembershipApplication.Decision.PENDING)
    return applications


def application_detail(user, pk: int) -> MembershipApplication:
    return access.get_scoped_or_404(
        user,
        access.scoped(user, MembershipApplication)
        .select_related("membership__academy__trust", "membership__year__network", "submitted_by", "decided_by")
        .prefetch_related(
            Prefetch("evidence_files", queryset=access.scoped(user, ApplicationEvidence).select_related("uploaded_by"))
        ),
        pk=pk,
    )


def evidence_file(user, pk: int) -> ApplicationEvidence:
    return access.get_scoped_or_404(user, ApplicationEvidence, pk=pk)


def growth(user, network: Network) -> list[dict]:
    """Members per year against the growth target (e.g. +20% a year on the year
    before). One query for the counts, one for the policy."""
    policy = access.scoped(user, MembershipPolicy).filter(network=network).first()
    target_percent = (
        policy.growth_target_percent if policy else MembershipPolicy._meta.get_field("growth_target_percent").default
    )
    years = list(
        access.scoped(user, MembershipYear)
        .filter(network=network)
        .annotate(
            members=Count("memberships", filter=Q(memberships__status__in=MEMBER_STATUSES)),
            invited=Count("memberships", filter=Q(memberships__status=Membership.Status.INVITED)),
            at_risk=Count("memberships", filter=Q(memberships__status__in=MEMBER_STATUSES, memberships__at_risk=True)),
        )
        .order_by("starts_on")
    )
    rows = []
    previous = None
    today = timezone.localdate()
    for year in years:
        # A year that has not begun has a target but no result yet (not "-100%, missed").
        upcoming = year.starts_on > today
        row = {
            "year": year,
            "members": year.members,
            "invited": year.invited,
            "at_risk": year.at_risk,
            "upcoming": upcoming,
        }
        if previous is not None and previous > 0:
            target = previous * (1 + Decimal(target_percent) / 100)
            row["target"] = int(target.to_integral_value(rounding="ROUND_CEILING"))
            if not upcoming:
                row["change_percent"] = (Decimal(year.members - previous) * 100 / previous).quantize(Decimal("0.1"))
                row["met"] = year.members >= row["target"]
        rows.append(row)
        previous = year.members
    return rows, target_percent


def invoice_lines_for(user, *, year_label: str = "", network=None):
    lines = access.scoped(user, InvoiceLine).select_related(
        "membership__academy", "membership__trust", "membership__year__network"
    )
    if year_label:
        lines = lines.filter(membership__year__label=year_label)
    if network:
        lines = lines.filter(membership__year__network=network)
    return lines.order_by("membership__year__label", "membership__academy__name", "pk")


def open_referral_count(user) -> int:
    return referrals_for(user, decided=False).count()
