"""An Ofsted file with several inspections of one school, end to end: whatever order
the file lists them in, the latest inspection decides the review and fires the at-risk
signal (grades and report cards alike), and importing the same file twice changes
nothing, sends nothing more."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from network.base.models import OutboxMessage
from network.programme.membership.models import Membership, ReviewProposal
from network.programme.membership.review import review_run
from network.programme.membership.services import invitations, years
from tests import factories as f
from trusts.importers.inspections import import_inspections
from trusts.models import Inspection

HEADER = [
    "URN", "School name", "Inspection number", "Inspection type", "Inspection start date", "Overall effectiveness",
    "Inclusion", "Curriculum and teaching", "Achievement", "Attendance and behaviour",
    "Personal development and well-being", "Leadership and governance", "Safeguarding",
]  # fmt: skip
OLD = datetime.date(2022, 5, 10)


def ofsted_file(rows) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode("cp1252"))


def inspection_row(urn, number, day, overall="", **card):
    return {
        "URN": str(urn),
        "School name": "Academy A",
        "Inspection number": str(number),
        "Inspection type": "S5 Inspection",
        "Inspection start date": f"{day:%d/%m/%Y}",
        "Overall effectiveness": overall,
        **card,
    }


CARD_MEETS = dict.fromkeys(HEADER[6:12], "Expected standard") | {"Safeguarding": "Met"}
CARD_URGENT = CARD_MEETS | {"Achievement": "Urgent improvement"}
CARD_UNSAFE = CARD_MEETS | {"Safeguarding": "Not met"}


@pytest.fixture
def member(world):
    """Academy A, an active member this year (by today's date), with strong results."""
    f.MembershipPolicyFactory(network=world.network)
    label = world.network.membership_policy.year_containing(timezone.localdate())[0]
    year = years.membership_year_get_or_create(network=world.network, label=label)
    for academic_year in ("2021-22", "2022-23", "2023-24"):
        f.PerformanceResultFactory(academy=world.academy_a, academic_year=academic_year, percentile=90)
    return f.MembershipFactory(year=year, academy=world.academy_a, status="active")


def recent():
    return timezone.localdate() - datetime.timedelta(days=20)


# id, the two rows (older first) by a function of (urn, recent day), whether the latest
# makes the school ineligible, the review's outcome, the phrase the reasons quote
CASES = [
    ("newer grade 3", lambda u, d: [inspection_row(u, 101, OLD, "2"), inspection_row(u, 102, d, "3")], True,
     "not_eligible", "grade 3 (Requires improvement)"),
    ("newer grade 2 after an old grade 3",
     lambda u, d: [inspection_row(u, 101, OLD, "3"), inspection_row(u, 102, d, "2")], False, "renew",
     "grade 2 (Good)"),
    ("newer report card with urgent improvement",
     lambda u, d: [inspection_row(u, 101, OLD, "1"), inspection_row(u, 102, d, **CARD_URGENT)], True,
     "not_eligible", "Achievement: Urgent improvement"),
    ("newer report card with safeguarding not met",
     lambda u, d: [inspection_row(u, 101, OLD, "2"), inspection_row(u, 102, d, **CARD_UNSAFE)], True,
     "not_eligible", "safeguarding: Not met"),
    ("newer report card that meets the policy, after an old grade 4",
     lambda u, d: [inspection_row(u, 101, OLD, "4"), inspection_row(u, 102, d, **CARD_MEETS)], False, "renew",
     "report card – Inclusion: Expected standard"),
]  # fmt: skip


@pytest.mark.parametrize("order", ["older first", "newer first"])
@pytest.mark.parametrize(("case", "rows", "barred", "outcome", "phrase"), CASES, ids=[c[0] for c in CASES])
def test_the_latest_inspection_in_the_file_decides(world, member, order, case, rows, barred, outcome, phrase):
    day = recent()
    file_rows = rows(world.academy_a.urn, day)
    if order == "newer first":
        file_rows = file_rows[::-1]

    report = import_inspections(source=ofsted_file(file_rows))

    assert (report.errors, report.created) == ([], 2)
    assert report.details.get("memberships flagged at risk", 0) == (1 if barred else 0)
    member.refresh_from_db()
    assert member.at_risk is barred
    assert member.status == Membership.Status.ACTIVE  # nobody is removed mid-year
    if barred:
        assert f"{day:%d/%m/%Y}" in member.at_risk_reason
        assert OutboxMessage.objects.filter(to=world.coordinator.email, subject__startswith="At risk").count() == 1

    run, _ = review_run(network=world.network, label=member.year.label, trigger="command", by=world.coordinator)
    proposal = ReviewProposal.objects.get(run=run, academy=world.academy_a)
    assert proposal.outcome == outcome, proposal.reasons
    assert proposal.reasons[0].startswith(f"Latest inspection on {day:%d/%m/%Y}: ")
    assert phrase in proposal.reasons[0]
    assert proposal.evidence["inspection"]["date"] == day.isoformat()


@pytest.mark.parametrize("order", ["older first", "newer first"])
def test_the_same_file_twice_changes_nothing(world, member, order):
    rows = CASES[0][1](world.academy_a.urn, recent())
    rows = rows if order == "older first" else rows[::-1]
    first = import_inspections(source=ofsted_file(rows))
    stored = list(Inspection.objects.order_by("pk").values())
    member.refresh_from_db()
    flagged = (member.at_risk, member.at_risk_since, member.at_risk_reason)
    history = member.history.count()
    sent = OutboxMessage.objects.count()

    second = import_inspections(source=ofsted_file(rows))

    assert (first.created, first.details["memberships flagged at risk"]) == (2, 1)
    assert (second.created, second.updated, second.unchanged, second.errors, second.details) == (0, 0, 2, [], {})
    assert list(Inspection.objects.order_by("pk").values()) == stored
    member.refresh_from_db()
    assert (member.at_risk, member.at_risk_since, member.at_risk_reason) == flagged
    assert member.history.count() == history
    assert OutboxMessage.objects.count() == sent


def test_a_barring_report_card_stops_the_academy_accepting_by_itself(world, member):
    next_year = years.membership_year_get_or_create(network=world.network, label=member.year.next_label)
    renewal = f.MembershipFactory(year=next_year, academy=world.academy_a, status="invited")
    import_inspections(source=ofsted_file([inspection_row(world.academy_a.urn, 102, recent(), **CARD_URGENT)]))

    renewal.refresh_from_db()
    assert renewal.at_risk and "urgent improvement in Achievement" in renewal.at_risk_reason
    with pytest.raises(Exception, match="urgent improvement in Achievement"):
        invitations.membership_accept(membership=renewal, by=world.leader_a)
