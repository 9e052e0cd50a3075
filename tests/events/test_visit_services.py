"""Visit services: who may ask, the annual visits in one action, scheduling's refusals
(no one in two places at once, caps, a host from elsewhere), the extra visit's £300
invoice line, reports with drafts and the host's answer, and actions to closure."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events.visits.models import Visit, VisitAction, VisitKind, VisitPolicy, VisitReport
from events.visits.services import actions, kinds, reports, requests, scheduling
from network.base.models import OutboxMessage
from network.base.rules import NotAllowed
from tests import factories as f
from tests.events import visit_helpers as vh

S = Visit.Status


@pytest.fixture
def visitor(world):
    return f.PersonFactory(academy=f.AcademyFactory(trust=world.trust_b), first_name="Ruth", last_name="Mensah")


def test_default_kinds_and_fees(world):
    found = kinds.visit_kinds_ensure(network=world.network)
    assert {code: k.fee_net for code, k in found.items()} == {
        "peer": Decimal("0"),
        "consultant": Decimal("0"),
        "moderation": Decimal("0"),
        "extra": Decimal("300.00"),
    }
    found["peer"].fee_net = Decimal("50")
    found["peer"].save()
    assert kinds.visit_kinds_ensure(network=world.network)["peer"].fee_net == Decimal("50")  # edits kept
    assert VisitPolicy.objects.get(network=world.network).target_for("stabilise") == 3


def test_a_leader_asks_for_their_own_academy_only(world):
    visit = vh.requested(world.network, world.academy_a, by=world.leader_a, focus=[f.ExpertiseTagFactory()])
    assert (visit.status, visit.host_academy, visit.host_trust) == (S.REQUESTED, world.academy_a, world.trust_a)
    with pytest.raises(NotAllowed):
        vh.requested(world.network, world.academy_b, by=world.leader_a)
    with pytest.raises(NotAllowed):
        vh.requested(world.network, world.academy_b, by=world.executive_a)
    assert vh.requested(world.network, world.academy_a, by=world.executive_a).host_academy == world.academy_a
    with pytest.raises(NotAllowed):
        vh.requested(world.network, world.academy_a, by=world.visitor)


def test_seeing_practice_needs_a_focus_and_a_peer_kind(world):
    with pytest.raises(ValidationError, match="at least one focus area"):
        vh.requested(world.network, world.academy_a, by=world.leader_a, code="peer", direction="see")
    with pytest.raises(ValidationError, match="comes to the academy"):
        vh.requested(world.network, world.academy_a, by=world.leader_a, code="consultant", direction="see")
    tag = f.ExpertiseTagFactory()
    visit = vh.requested(world.network, world.academy_a, by=world.leader_a, code="peer", direction="see", focus=[tag])
    assert (visit.visiting_academy, visit.host_academy) == (world.academy_a, None)


def test_annual_visits_for_every_member_once(world):
    year = vh.current_year(world.network)
    f.MembershipFactory(year=year, academy=world.academy_a)
    f.MembershipFactory(year=year, academy=world.academy_b)
    f.MembershipFactory(year=year, academy=f.AcademyFactory(trust=world.trust_a), status="invited")
    with pytest.raises(NotAllowed):
        requests.visits_create_annual(year=year, by=world.leader_a)
    assert requests.visits_create_annual(year=year, by=world.coordinator) == 2
    assert requests.visits_create_annual(year=year, by=world.coordinator) == 0
    visits = Visit.objects.filter(annual_for=year)
    assert {v.host_academy_id for v in visits} == {world.academy_a.pk, world.academy_b.pk}
    assert {v.kind.code for v in visits} == {"consultant"}


def test_schedule_refuses_what_cannot_work(world, visitor):
    visit = vh.requested(world.network, world.academy_a, by=world.leader_a)
    colleague = f.PersonFactory(academy=world.academy_a)
    base = dict(visit=visit, by=world.coordinator)
    with pytest.raises(ValidationError) as refused:
        scheduling.visit_schedule(**base, starts_at=vh.at(-1), ends_at=vh.at(-2), visitors=[])
    assert set(refused.value.message_dict) == {"starts_at", "ends_at", "visitors"}
    with pytest.raises(ValidationError, match="work at the host academy"):
        scheduling.visit_schedule(**base, starts_at=vh.at(7), ends_at=vh.at(7, 12), visitors=[colleague])
    with pytest.raises(ValidationError, match="host contact must work at Academy A"):
        scheduling.visit_schedule(
            **base, starts_at=vh.at(7), ends_at=vh.at(7, 12), visitors=[visitor], host_contact=visitor
        )
    with pytest.raises(ValidationError, match="needs its joining link"):
        scheduling.visit_schedule(**base, starts_at=vh.at(7), ends_at=vh.at(7, 12), visitors=[visitor], is_online=True)
    with pytest.raises(NotAllowed):
        scheduling.visit_schedule(
            visit=visit, by=world.leader_a, starts_at=vh.at(7), ends_at=vh.at(7, 12), visitors=[visitor]
        )
    scheduling.visit_schedule(
        **base, starts_at=vh.at(7), ends_at=vh.at(7, 12), visitors=[visitor], host_contact=world.person_a
    )
    visit.refresh_from_db()
    assert (visit.status, visit.location, list(visit.visitors.all())) == (S.SCHEDULED, "Academy A", [visitor])
    # Everyone on it is told: the visitor and the host contact.
    assert set(
        OutboxMessage.objects.filter(key__startswith=f"visit:{visit.pk}:schedule").values_list("to", flat=True)
    ) == {
        visitor.email,
        world.person_a.email,
    }


def test_a_person_on_two_visits_at_once_is_refused_naming_the_clash(world, visitor):
    first = vh.scheduled(world.network, world.academy_a, [visitor], by=world.coordinator, days=10)
    other_host = f.AcademyFactory(trust=world.trust_a, name="Hillside Academy")
    second = vh.requested(world.network, other_host, by=world.coordinator)
    with pytest.raises(ValidationError) as refused:
        scheduling.visit_schedule(
            visit=second, starts_at=vh.at(10, 11), ends_at=vh.at(10, 14), visitors=[visitor], by=world.coordinator
        )
    assert refused.value.error_list[0].code == "clash"
    assert refused.value.messages[0].startswith("Nobody can be in two places at once.")
    assert "Ruth Mensah is already on the consultant visit (annual) to Academy A" in refused.value.messages[0]
    # Back to back is fine: the first ends at 12:00.
    scheduling.visit_schedule(
        visit=second, starts_at=vh.at(10, 12), ends_at=vh.at(10, 15), visitors=[visitor], by=world.coordinator
    )
    # A cancelled visit frees the time.
    requests.visit_cancel(visit=first, reason="Moved to next term.", by=world.coordinator)
    third = vh.requested(world.network, f.AcademyFactory(trust=world.trust_a), by=world.coordinator)
    scheduling.visit_schedule(
        visit=third, starts_at=vh.at(10, 9), ends_at=vh.at(10, 11), visitors=[visitor], by=world.coordinator
    )


def test_a_host_contact_on_two_visits_at_once_is_refused(world, visitor):
    vh.scheduled(world.network, world.academy_a, [visitor], by=world.coordinator, days=10, contact=world.person_a)
    second = vh.requested(world.network, world.academy_a, by=world.coordinator, code="peer")
    someone = f.PersonFactory(academy=world.academy_b)
    with pytest.raises(ValidationError, match="is already hosting a visit"):
        scheduling.visit_schedule(
            visit=second,
            starts_at=vh.at(10, 10),
            ends_at=vh.at(10, 11),
            visitors=[someone],
            host_contact=world.person_a,
            by=world.coordinator,
        )


def test_a_visit_over_a_booked_cpd_event_is_refused_naming_the_event(world, visitor):
    event = f.EventFactory(
        network=world.network, title="Required practicals that work", starts_at=vh.at(10, 10), ends_at=vh.at(10, 11)
    )
    f.BookingFactory(event=event, person=visitor)
    visit = vh.requested(world.network, world.academy_a, by=world.coordinator)
    with pytest.raises(ValidationError, match="Ruth Mensah is booked on “Required practicals that work”"):
        scheduling.visit_schedule(
            visit=visit, starts_at=vh.at(10, 9), ends_at=vh.at(10, 12), visitors=[visitor], by=world.coordinator
        )
    # A waitlisted place or a cancelled event does not hold the time.
    event.bookings.update(status="waitlisted")
    scheduling.visit_schedule(
        visit=visit, starts_at=vh.at(10, 9), ends_at=vh.at(10, 12), visitors=[visitor], by=world.coordinator
    )


def test_caps_per_term_are_enforced_when_scheduling(world, visitor):
    VisitPolicy.objects.create(network=world.network, host_cap_per_term=1, visitor_cap_per_term=1)
    vh.scheduled(world.network, world.academy_a, [visitor], by=world.coordinator, days=3)
    again = vh.requested(world.network, world.academy_a, by=world.coordinator, code="peer")
    with pytest.raises(ValidationError, match="Academy A already hosts 1 visits in the .* term \\(the cap is 1\\)"):
        scheduling.visit_schedule(
            visit=again,
            starts_at=vh.at(4),
            ends_at=vh.at(4, 12),
            visitors=[f.PersonFactory(academy=world.academy_b)],
            by=world.coordinator,
        )
    elsewhere = vh.requested(world.network, f.AcademyFactory(trust=world.trust_a), by=world.coordinator)
    with pytest.raises(ValidationError, match="Ruth Mensah already makes 1 visits"):
        scheduling.visit_schedule(
            visit=elsewhere, starts_at=vh.at(4), ends_at=vh.at(4, 12), visitors=[visitor], by=world.coordinator
        )


def test_complete_only_once_started(world, visitor):
    visit = vh.scheduled(world.network, world.academy_a, [visitor], by=world.coordinator, days=5)
    with pytest.raises(ValidationError, match="has not started yet"):
        scheduling.visit_complete(visit=visit, by=world.coordinator)
    with pytest.raises(NotAllowed):
        scheduling.visit_complete(visit=visit, by=world.executive_a, now=vh.at(6))
    scheduling.visit_complete(visit=visit, by=world.leader_a, now=vh.at(6))  # a leader of the host
    assert Visit.objects.get(pk=visit.pk).status == S.COMPLETED


def test_an_extra_visit_adds_300_pounds_to_the_invoice_lines_once(client, world, visitor):
    year = vh.current_year(world.network)
    membership = f.MembershipFactory(year=year, academy=world.academy_a)
    visit = vh.completed(world.network, world.academy_a, [visitor], by=world.coordinator, code="extra")
    line = visit.invoice_line
    assert (line.membership, line.net_amount, line.vat_rate, line.gross_amount) == (
        membership,
        Decimal("300.00"),
        Decimal("20.00"),
        Decimal("360.00"),
    )
    assert line.description.startswith("Extra visit: Academy A, ")
    client.force_login(world.coordinator)
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("network:membership_invoices_csv")).content.decode("utf-8-sig")))
    )
    assert [row[7:13] for row in rows[1:]] == [["Extra charge", line.description, "300.00", "20.00", "60.00", "360.00"]]


def test_an_extra_visit_without_a_membership_is_refused_when_scheduled(world, visitor):
    visit = vh.requested(world.network, world.academy_a, by=world.coordinator, code="extra")
    with pytest.raises(ValidationError, match="no active membership in that year"):
        scheduling.visit_schedule(
            visit=visit, starts_at=vh.at(7), ends_at=vh.at(7, 12), visitors=[visitor], by=world.coordinator
        )


def test_a_free_visit_adds_no_invoice_line(world, visitor):
    assert vh.completed(world.network, world.academy_a, [visitor], by=world.coordinator).invoice_line is None


@pytest.fixture
def visitor_login(visitor):
    return f.UserFactory(role="visitor", person=visitor, email="ruth.visitor@portal.example")


def test_report_draft_submit_changes_agree(world, visitor, visitor_login):
    visit = vh.completed(world.network, world.academy_a, [visitor], by=world.coordinator, code="moderation")
    with pytest.raises(NotAllowed):
        reports.report_save(visit=visit, by=world.leader_a, seen="x")
    draft = reports.report_save(visit=visit, by=visitor_login, seen="Three lessons.")
    assert (draft.status, Visit.objects.get(pk=visit.pk).status) == (VisitReport.Status.DRAFT, S.COMPLETED)
    with pytest.raises(ValidationError) as refused:
        reports.report_save(visit=visit, by=visitor_login, seen="Three lessons.", submit=True)
    assert set(refused.value.message_dict) == {"strands"}  # every strand first
    strands = dict.fromkeys(
        ("leadership", "curriculum", "teaching", "development", "experience", "partnership"), "emerging"
    )
    with pytest.raises(ValidationError) as refused:
        reports.report_save(visit=visit, by=visitor_login, seen="Three lessons.", strands=strands, submit=True)
    assert set(refused.value.message_dict) == {"strengths", "development"}
    due = timezone.localdate() + datetime.timedelta(days=30)
    with pytest.raises(ValidationError, match="does not work at Academy A"):
        reports.report_save(
            visit=visit,
            by=visitor_login,
            seen="a",
            strengths="b",
            development="c",
            strands=strands,
            actions=[reports.ActionDraft("Do it", visitor, due)],
            submit=True,
        )
    reports.report_save(
        visit=visit,
        by=visitor_login,
        seen="a",
        strengths="b",
        development="c",
        strands=strands,
        actions=[reports.ActionDraft("Plan hinge questions", world.person_a, due)],
        submit=True,
    )
    visit.refresh_from_db()
    assert (visit.status, visit.report.status) == (S.REPORT_SUBMITTED, VisitReport.Status.SUBMITTED)
    with pytest.raises(ValidationError, match="has been submitted"):
        reports.report_save(visit=visit, by=visitor_login, seen="more")
    with pytest.raises(NotAllowed):
        reports.report_review(visit=visit, agree=True, by=visitor_login)
    with pytest.raises(ValidationError, match="Say what should change"):
        reports.report_review(visit=visit, agree=False, by=world.leader_a)
    reports.report_review(visit=visit, agree=False, comment="Name the year groups seen.", by=world.leader_a)
    visit.refresh_from_db()
    assert (visit.status, visit.report.status) == (S.COMPLETED, VisitReport.Status.CHANGES_REQUESTED)
    reports.report_save(
        visit=visit,
        by=visitor_login,
        seen="Years 9 and 10.",
        strengths="b",
        development="c",
        strands=strands,
        actions=[reports.ActionDraft("Plan hinge questions", world.person_a, due)],
        submit=True,
    )
    reports.report_review(visit=visit, agree=True, comment="Thank you.", by=world.leader_a)
    visit.refresh_from_db()
    assert (visit.status, visit.report.status, visit.report.agreed_by) == (
        S.REPORT_AGREED,
        VisitReport.Status.AGREED,
        world.leader_a,
    )
    # The conversation is kept.
    assert [(e.action, e.text) for e in visit.log.filter(action__in=("request_changes", "agree_report"))] == [
        ("request_changes", "Name the year groups seen."),
        ("agree_report", "Thank you."),
    ]


def test_agreeing_a_report_without_actions_closes_the_visit(world, visitor, visitor_login):
    visit = vh.completed(world.network, world.academy_a, [visitor], by=world.coordinator)
    reports.report_save(visit=visit, by=visitor_login, seen="a", strengths="b", development="c", submit=True)
    reports.report_review(visit=visit, agree=True, by=world.leader_a)
    assert Visit.objects.get(pk=visit.pk).status == S.CLOSED


def test_actions_tracked_to_closure_close_the_visit(world, visitor):
    owner_login = f.leader(world.academy_a)
    visit = vh.submitted(world.network, world.academy_a, [visitor], by=world.coordinator, owner=owner_login.person)
    action = visit.actions.get()
    with pytest.raises(ValidationError, match="once the host has agreed"):
        actions.action_update(action=action, status="closed", by=owner_login)
    reports.report_review(visit=visit, agree=True, by=world.leader_a)
    with pytest.raises(NotAllowed):
        actions.action_update(action=action, status="closed", by=world.executive_a)
    actions.action_update(action=action, status="in_progress", note="Drafted for Year 9.", by=owner_login)
    assert Visit.objects.get(pk=visit.pk).status == S.REPORT_AGREED
    actions.action_update(action=action, status="closed", note="In every practical now.", by=owner_login)
    action.refresh_from_db()
    assert (action.status, action.closed_by, action.note) == (
        VisitAction.Status.CLOSED,
        owner_login,
        "In every practical now.",
    )
    assert Visit.objects.get(pk=visit.pk).status == S.CLOSED
    with pytest.raises(ValidationError, match="This visit is closed"):
        actions.action_update(action=action, status="open", by=owner_login)


def test_kind_must_be_offered(world):
    kind = vh.kind(world.network, "moderation")
    VisitKind.objects.filter(pk=kind.pk).update(is_active=False)
    with pytest.raises(ValidationError, match="not offered"):
        requests.visit_request(academy=world.academy_a, kind=VisitKind.objects.get(pk=kind.pk), by=world.leader_a)
