"""Membership services: invitation and one-step acceptance, applications with evidence
and the steering group's decisions, the mid-year "at risk" flag from the inspections
import, fees and lapsing."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from network.base.models import OutboxMessage
from network.base.rules import NotAllowed
from network.programme.membership import policy
from network.programme.membership.models import InvoiceLine, Membership, MembershipApplication
from network.programme.membership.services import applications, at_risk, invitations, invoices, years
from tests import factories as f


@pytest.fixture
def network(db):
    trust = f.TrustFactory(name="Pennine Learning Trust")
    network = f.NetworkFactory()
    network.member_trusts.add(trust)
    f.MembershipPolicyFactory(network=network)
    return network


@pytest.fixture
def year(network):
    """The membership year we are in today."""
    label = network.membership_policy.year_containing(timezone.localdate())[0]
    return years.membership_year_get_or_create(network=network, label=label)


@pytest.fixture
def academy(network):
    academy = f.AcademyFactory(trust=network.member_trusts.get(), name="Ashton Academy")
    f.PersonFactory(academy=academy, email="science@ashton.example", job_role="head_of_science")
    f.PersonFactory(academy=academy, email="teacher@ashton.example", job_role="teacher")  # not written to
    return academy


def test_year_dates_and_fee_come_from_the_policy(network):
    policy = network.membership_policy
    policy.year_start_month, policy.year_start_day, policy.fee_net = 9, 1, 950
    policy.save()
    year = years.membership_year_get_or_create(network=network, label="2025-26")
    assert (year.starts_on, year.ends_on, year.review_on, year.fee_net) == (
        datetime.date(2025, 9, 1),
        datetime.date(2026, 8, 31),
        datetime.date(2026, 3, 1),
        950,
    )


def test_invite_then_accept_in_one_step_records_the_fee_once(year, academy):
    coordinator = f.coordinator()
    [membership] = invitations.membership_invite(year=year, academies=[academy], by=coordinator)
    assert invitations.membership_invite(year=year, academies=[academy], by=coordinator) == []  # already invited
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["science@ashton.example"]

    leader = f.leader(academy)
    invitations.membership_accept(membership=membership, by=leader)
    membership.refresh_from_db()
    assert (membership.status, membership.accepted_by) == ("active", leader)
    [line] = InvoiceLine.objects.filter(membership=membership)
    assert (line.kind, line.net_amount, line.vat_amount, line.gross_amount) == ("fee", 1600, 320, 1920)
    with pytest.raises(ValidationError, match="not waiting for an answer"):
        invitations.membership_accept(membership=membership, by=leader)
    assert InvoiceLine.objects.count() == 1


def test_an_invitation_for_a_year_that_has_ended_cannot_be_accepted(network, academy):
    old = years.membership_year_get_or_create(network=network, label="2020-21")
    membership = f.MembershipFactory(year=old, academy=academy, status="invited")
    with pytest.raises(ValidationError, match="year that has ended"):
        invitations.membership_accept(membership=membership, by=f.coordinator())


def test_invitations_not_accepted_lapse_a_month_into_the_year(year, academy):
    membership = f.MembershipFactory(year=year, academy=academy, status="invited")
    assert invitations.memberships_lapse(today=year.starts_on + datetime.timedelta(days=30)) == 0
    assert invitations.memberships_lapse(today=year.starts_on + datetime.timedelta(days=31)) == 1
    membership.refresh_from_db()
    assert membership.status == "lapsed"


def test_application_that_meets_the_criteria_waits_for_the_coordinators(year, academy):
    f.InspectionFactory(academy=academy, grade=1)
    coordinators = [f.coordinator(), f.coordinator()]
    application = applications.application_submit(
        academy=academy,
        network=year.network,
        label=year.label,
        evidence_text="Outstanding, and keen to lead a cluster.",
        files=[SimpleUploadedFile("results.pdf", b"%PDF-1.4", content_type="application/pdf")],
        by=f.leader(academy),
    )
    assert (application.meets_criteria, application.is_referred, application.membership.status) == (
        True,
        False,
        "applied",
    )
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == sorted(c.email for c in coordinators)
    [evidence] = application.evidence_files.all()
    assert evidence.name == "results.pdf" and evidence.file.read() == b"%PDF-1.4"
    assert application.assessment["outcome"] == "invite"


def test_application_that_does_not_meet_the_criteria_is_referred_to_the_steering_group(year, academy):
    f.InspectionFactory(academy=academy, grade=2)  # no Progress 8 data: the data cannot decide
    steering = f.steering_member()
    application = applications.application_submit(
        academy=academy,
        network=year.network,
        label=year.label,
        evidence_text="Results rising for three years.",
        by=f.leader(academy),
    )
    assert (application.meets_criteria, application.is_referred, application.membership.status) == (
        False,
        True,
        "under_review",
    )
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == [steering.email]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"evidence_text": "  "}, "describe your evidence or attach"),
        ({"files": [SimpleUploadedFile("macro.exe", b"MZ")]}, "please upload a document"),
    ],
)
def test_application_evidence_is_checked(year, academy, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        applications.application_submit(
            academy=academy,
            network=year.network,
            label=year.label,
            **{"evidence_text": "", **kwargs},
            by=f.leader(academy),
        )
    assert not Membership.objects.exists()


def test_an_academy_with_a_membership_cannot_apply_again(year, academy):
    f.MembershipFactory(year=year, academy=academy, status="invited")
    with pytest.raises(ValidationError, match="already has a membership record"):
        applications.application_submit(
            academy=academy, network=year.network, label=year.label, evidence_text="Please", by=f.leader(academy)
        )


def test_the_prerequisite_network_is_required_to_apply(year, academy):
    wider = f.NetworkFactory(name="Wider Secondary Network", slug="wider")
    policy = year.network.membership_policy
    policy.prerequisite_network = wider
    policy.save()
    with pytest.raises(ValidationError, match="Only active members of Wider Secondary Network"):
        applications.application_submit(
            academy=academy, network=year.network, label=year.label, evidence_text="Please", by=f.leader(academy)
        )


@pytest.fixture
def referral(year, academy):
    return applications.application_submit(
        academy=academy, network=year.network, label=year.label, evidence_text="Please", by=f.leader(academy)
    )


def test_steering_decision_records_who_when_and_why(referral):
    member = f.steering_member()
    OutboxMessage.objects.all().delete()
    applications.application_decide(
        application=referral, approve=True, reason="Strong practical curriculum.", by=member
    )
    referral.refresh_from_db()
    assert (referral.decision, referral.decided_by, referral.decision_reason) == (
        "approved",
        member,
        "Strong practical curriculum.",
    )
    assert referral.decided_at is not None
    assert referral.membership.status == "active"
    assert InvoiceLine.objects.filter(membership=referral.membership, kind="fee").count() == 1
    letter = OutboxMessage.objects.get(to="science@ashton.example")  # and to the applicant, a head of science
    assert "The reason given: Strong practical curriculum." in letter.body_text


def test_a_decision_needs_a_reason_and_is_final(referral):
    member = f.steering_member()
    with pytest.raises(ValidationError, match="give the reason"):
        applications.application_decide(application=referral, approve=False, reason=" ", by=member)
    applications.application_decide(application=referral, approve=False, reason="Not yet.", by=member)
    referral.refresh_from_db()
    assert referral.membership.status == "declined"
    with pytest.raises(ValidationError, match="already been decided"):
        applications.application_decide(
            application=referral, approve=True, reason="Changed our minds", by=f.coordinator()
        )


def test_steering_group_cannot_decide_an_application_that_was_not_referred(year, academy):
    f.InspectionFactory(academy=academy, grade=1)
    application = applications.application_submit(
        academy=academy, network=year.network, label=year.label, evidence_text="Please", by=f.leader(academy)
    )
    with pytest.raises(NotAllowed, match="Only coordinators"):
        applications.application_decide(application=application, approve=True, reason="Fine", by=f.steering_member())
    applications.application_decide(
        application=application, approve=True, reason="Meets the criteria.", by=f.coordinator()
    )
    assert MembershipApplication.objects.get().decision == "approved"


def test_extra_charges_are_invoice_lines_at_the_years_vat_rate(year, academy):
    membership = f.MembershipFactory(year=year, academy=academy)
    line = invoices.invoice_line_add(
        membership=membership, description="Extra visit", net_amount=250, by=f.coordinator()
    )
    assert (line.kind, line.vat_rate, line.gross_amount) == ("extra", 20, 300)
    invited = f.MembershipFactory(year=year, academy=f.AcademyFactory(), status="invited")
    with pytest.raises(ValidationError):
        invoices.invoice_line_add(membership=invited, description="Extra visit", net_amount=250, by=f.coordinator())


# -- Mid-year: an inspection import flags a member at risk --------------------------------


def mi_file(tmp_path, urn, date, overall):
    path = tmp_path / "ofsted_mi.csv"
    with open(path, "w", newline="", encoding="cp1252") as handle:
        writer = csv.writer(handle)
        writer.writerow(["URN", "School name", "Inspection start date", "Overall effectiveness"])
        writer.writerow([urn, "Ashton Academy", date, overall])
    return str(path)


def test_grade_3_import_flags_a_current_member_at_risk_and_tells_coordinators_once(year, academy, tmp_path):
    coordinators = [f.coordinator(), f.coordinator()]
    membership = f.MembershipFactory(year=year, academy=academy)
    when = max(year.starts_on, timezone.localdate() - datetime.timedelta(days=7))
    path = mi_file(tmp_path, academy.urn, f"{when:%d/%m/%Y}", "3")

    out = io.StringIO()
    call_command("import_inspections", path, stdout=out)
    call_command("import_inspections", path, stdout=io.StringIO())  # again: nothing new

    membership.refresh_from_db()
    assert membership.status == "active"  # nobody is removed mid-year
    assert membership.at_risk and membership.at_risk_reason.startswith(
        f"Ofsted grade 3 (Requires improvement) on {when:%d/%m/%Y}."
    )
    assert "Memberships flagged at risk: 1" in out.getvalue()
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == sorted(c.email for c in coordinators)
    message = OutboxMessage.objects.first()
    assert message.subject == f"At risk: Ashton Academy (Secondary Science Network {year.label})"
    assert f"It stays active until {year.ends_on:%-d %B %Y}" in message.body_text


def test_grade_4_from_a_gias_import_also_flags_a_member_at_risk(year, academy, tmp_path):
    f.coordinator()
    membership = f.MembershipFactory(year=year, academy=academy)
    when = max(year.starts_on, timezone.localdate() - datetime.timedelta(days=7))
    path = tmp_path / "gias.csv"
    with open(path, "w", newline="", encoding="cp1252") as handle:
        writer = csv.writer(handle)
        writer.writerow(["URN", "EstablishmentName", "OfstedRating (name)", "OfstedLastInsp"])
        writer.writerow([academy.urn, academy.name, "Inadequate", f"{when:%d-%m-%Y}"])
    out = io.StringIO()
    call_command("import_gias", str(path), stdout=out)
    membership.refresh_from_db()
    assert membership.at_risk and membership.status == "active"
    assert "memberships flagged at risk" in out.getvalue().lower()


def test_grade_3_typed_into_the_admin_flags_a_member_at_risk(year, academy, client):
    coordinator = f.coordinator()
    membership = f.MembershipFactory(year=year, academy=academy)
    when = max(year.starts_on, timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:trusts_inspection_add"),
        {
            "academy": academy.pk,
            "inspection_date": f"{when:%d/%m/%Y}",
            "grade": 3,
            "outcome_text": "",
            "source": "manual",
            "report_card": "{}",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership.refresh_from_db()
    assert membership.at_risk


def test_grade_2_or_an_older_inspection_flags_nobody(year, academy, tmp_path):
    f.coordinator()
    membership = f.MembershipFactory(year=year, academy=academy)
    f.InspectionFactory(academy=academy, grade=2, inspection_date=timezone.localdate())
    call_command("import_inspections", mi_file(tmp_path, academy.urn, "14/03/2019", "4"), stdout=io.StringIO())
    call_command("import_inspections", mi_file(tmp_path, academy.urn, "14/03/2020", "2"), stdout=io.StringIO())
    membership.refresh_from_db()
    assert not membership.at_risk
    assert not OutboxMessage.objects.exists()


def test_a_membership_of_a_year_that_has_ended_is_not_flagged(network, academy):
    old = years.membership_year_get_or_create(network=network, label="2020-21")
    membership = f.MembershipFactory(year=old, academy=academy)
    inspection = f.InspectionFactory(academy=academy, grade=4, inspection_date=datetime.date(2021, 1, 10))
    assert at_risk.membership_flag_after_inspection(inspection=inspection) == []
    membership.refresh_from_db()
    assert not membership.at_risk


def test_an_invitation_sent_mid_year_gets_its_full_grace(year, academy):
    sent = timezone.make_aware(
        datetime.datetime.combine(year.starts_on + datetime.timedelta(days=200), datetime.time(9))
    )
    membership = f.MembershipFactory(year=year, academy=academy, status="invited", invited_at=sent)
    assert invitations.memberships_lapse(today=year.starts_on + datetime.timedelta(days=201)) == 0
    assert invitations.memberships_lapse(today=year.starts_on + datetime.timedelta(days=230)) == 0
    assert invitations.memberships_lapse(today=year.starts_on + datetime.timedelta(days=231)) == 1
    membership.refresh_from_db()
    assert membership.status == "lapsed"


def test_growth_does_not_call_a_year_that_has_not_begun_a_miss(network, client):
    current, following = policy.application_year_labels(policy.policy_for(network))
    this_year = years.membership_year_get_or_create(network=network, label=current)
    next_year = years.membership_year_get_or_create(network=network, label=following)
    for _ in range(3):
        f.MembershipFactory(year=this_year, status="active")
    client.force_login(f.coordinator())
    response = client.get(reverse("network:membership_growth"), {"network": network.pk})
    rows = {row["year"].pk: row for row in response.context["rows"]}
    assert rows[next_year.pk]["upcoming"] and "met" not in rows[next_year.pk]
    assert "Year not started" in response.content.decode()
