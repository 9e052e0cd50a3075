"""The demo network (`manage.py seed_demo`): shaped like the Secondary Science Network,
the same network every time, harmless to run twice, and its demo logins work. Around
today it has a membership year and a CPD programme, made through the services, whose
emails are kept in the outbox and never sent."""

import datetime
import hashlib
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from events.attendance.selectors import academic_year, cpd_hours, trust_cpd
from events.models import Attendance, Booking, Event, Session, Visit
from network.base.models import OutboxMessage, Role, User
from network.base.services import COORDINATOR_GROUP
from network.demo.event_programme import plan_window, teaching_weeks
from network.demo.seed import NOT_SENT
from network.demo.vocabulary import DEMO_PASSWORD
from network.programme.membership import eligibility
from network.programme.membership.models import (
    InvoiceLine,
    Membership,
    MembershipApplication,
    MembershipPolicy,
    MembershipYear,
    ReviewRun,
)
from network.programme.models import Hub, Network
from trusts.models import (
    Academy,
    AcademyTrustMembership,
    CommunityType,
    Inspection,
    JobRole,
    PerformanceResult,
    Person,
    Trust,
)
from trusts.report_cards import is_report_card
from trusts.services import trust_on

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def fingerprint() -> str:
    rows = [
        *Trust.objects.order_by("gias_uid").values_list("gias_uid", "name", "ceo_email"),
        *Academy.objects.order_by("urn").values_list("urn", "name", "trust__gias_uid", "pupils_on_roll"),
        *Person.objects.order_by("email").values_list("email", "job_role", "academy__urn"),
        *Hub.objects.order_by("name").values_list("name", "lead__email", "deputy_lead__email"),
        *PerformanceResult.objects.order_by("academy__urn", "academic_year").values_list("progress8", "percentile"),
        *Event.objects.order_by("starts_at", "title").values_list("title", "starts_at", "capacity", "hub__name"),
        *Booking.objects.order_by("event__starts_at", "event__title", "person__email").values_list(
            "event__title", "person__email", "status", "session__title", "trust_at_booking__gias_uid"
        ),
        # Ordered by everything that tells two rows apart: two events may start together,
        # and a tie's order is the query plan's (it differed after other tests had run).
        *Attendance.objects.order_by(
            "booking__event__starts_at", "booking__event__title", "booking__person__email"
        ).values_list("booking__event__title", "booking__person__email", "attended", "minutes_attended"),
        *Membership.objects.order_by("year__label", "academy__urn").values_list(
            "year__label", "academy__urn", "status", "at_risk", "trust__gias_uid"
        ),
        # Visits (events/visits).
        *Visit.objects.order_by("kind__code", "host_academy__urn", "visiting_academy__urn", "starts_at").values_list(
            "kind__code", "host_academy__urn", "visiting_academy__urn", "status", "starts_at"
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def counts() -> dict:
    models = [Trust, Academy, AcademyTrustMembership, Inspection, PerformanceResult, Person, Hub, User]
    models += [Event, Session, Booking, Attendance, OutboxMessage]
    models += [MembershipPolicy, MembershipYear, Membership, MembershipApplication, InvoiceLine]
    result = {m._meta.label: m.objects.count() for m in models}
    for m in (Trust, Academy, Person, Event, Booking, Attendance, Membership):
        result[f"history of {m._meta.label}"] = m.history.count()
    result["hub members"] = Hub.academies.through.objects.count()
    result["person expertise"] = Person.expertise.through.objects.count()
    result["booking states"] = sorted(Booking.objects.values_list("status").annotate(n=Count("pk")))
    result["visit states"] = sorted(Visit.objects.values_list("status").annotate(n=Count("pk")))  # Visits
    return result


def test_seed_demo_builds_a_network_shaped_like_the_ssn():
    output = seed()

    network = Network.objects.get(slug="ssn")
    assert (network.name, network.subject, network.phase) == ("Secondary Science Network", "Science", "secondary")
    assert network.member_trusts.count() == Trust.objects.count() == 10
    academies = Academy.objects.filter(trust__networks=network)
    assert 120 <= academies.count() <= 130
    assert 105_000 <= academies.aggregate(n=Sum("pupils_on_roll"))["n"] <= 115_000
    assert set(academies.values_list("community_type", flat=True)) == set(CommunityType.values)
    assert academies.values("region").distinct().count() == 9
    assert not academies.exclude(pupils_on_roll__range=(500, 1800)).exists()
    assert not academies.exclude(percent_fsm__range=(5, 55)).exists()

    # Every academy's current membership agrees with its trust; two moved once.
    current = dict(AcademyTrustMembership.objects.filter(left_on__isnull=True).values_list("academy_id", "trust_id"))
    assert current == dict(academies.values_list("pk", "trust_id"))
    assert academies.annotate(n=Count("trust_history")).filter(n=2).count() == 2
    # Inspections: mostly graded, a few recent report cards without a grade.
    ungraded = Inspection.objects.filter(grade__isnull=True)
    assert 0 < ungraded.count() < Inspection.objects.count() / 5
    assert set(ungraded.values_list("outcome_text", flat=True)) == {"Not judged", "Report card"}
    # Report cards from November 2025, on Ofsted's scale, as the importer writes them.
    cards = ungraded.filter(outcome_text="Report card")
    assert cards.exists() and all(is_report_card(i.report_card) for i in cards)
    assert not any(is_report_card(i.report_card) for i in ungraded.filter(outcome_text="Not judged"))
    # Area → outcome, as the Ofsted importer writes them (reasons quote them as text).
    assert all(i.report_card.get("Safeguarding") and len(i.report_card) > 4 for i in ungraded)
    # Progress 8 for three years, percentiles computed across academies per year.
    assert set(PerformanceResult.objects.values_list("academic_year", flat=True)) == {"2021-22", "2022-23", "2023-24"}
    scored = PerformanceResult.objects.filter(academic_year="2023-24", progress8__isnull=False).order_by("progress8")
    percentiles = [r.percentile for r in scored]
    assert percentiles == sorted(percentiles) and percentiles[0] > 0 and percentiles[-1] < 100

    # People: a headteacher per academy, a CEO and trust science lead per trust.
    assert Person.objects.filter(job_role=JobRole.HEADTEACHER, academy__isnull=False).count() == academies.count()
    trust_wide = Person.objects.filter(academy__isnull=True, trust__isnull=False)
    # Visits: independent consultant headteachers (no academy, no trust) make the annual visits.
    independent = Person.objects.filter(academy__isnull=True, trust__isnull=True)
    assert independent.count() == independent.filter(designations__name="Consultant headteacher").count() == 12
    assert set(trust_wide.values_list("job_role", flat=True)) == {JobRole.CEO, JobRole.TRUST_SCIENCE_LEAD}
    assert trust_wide.count() == 20
    in_directory = Person.objects.filter(directory_consent=True)
    assert 0.4 < in_directory.count() / Person.objects.count() < 0.6
    assert not in_directory.filter(expertise_summary="").exists()

    hubs = network.hubs.all()
    assert sorted(hubs.values_list("kind", flat=True)) == ["cluster"] * 5 + ["curriculum"] * 3
    for hub in hubs:
        assert hub.lead and hub.deputy_lead and hub.lead != hub.deputy_lead, hub
        assert hub.academies.filter(pk=hub.lead.academy_id).exists(), hub

    assert "Trusts                  10" in output
    for email in ("coordinator@demo.network", "ceo@demo.network", "leader@demo.network", "visitor@demo.network"):
        assert email in output


def test_seed_demo_banner_promises_each_login_only_what_it_sees(client):
    rows = {line.split("|")[0].strip(): line.split("|")[3] for line in seed().splitlines() if "@demo.network" in line}
    visitor, leader = rows["visitor@demo.network"], rows["leader@demo.network"]
    assert "no directory" in visitor and "assigned visits" in visitor
    assert "the directory" in leader

    def directory_for(email):
        client.force_login(User.objects.get(email=email))
        return client.get(reverse("network:directory"))

    assert directory_for("leader@demo.network").context["page"].paginator.count > 100
    assert "there is no one to show you here" in directory_for("visitor@demo.network").content.decode()
    home = client.get(reverse("network:home")).content.decode()  # still the visitor
    assert "Visits assigned to you" in home and "No visits are assigned to you" not in home


def test_seed_demo_logins_sign_in_and_land_on_their_home_page(client):
    seed()
    first_trust = Trust.objects.get(name="Pennine Learning Trust")
    homes = {
        "coordinator@demo.network": "network/home_coordinator.html",
        "ceo@demo.network": "network/home_executive.html",
        "leader@demo.network": "network/home_leader.html",
        "visitor@demo.network": "network/home_visitor.html",
    }
    out = StringIO()
    call_command("demo_code", stdout=out)
    code = re.search(r"ceo@demo.network: (\d{6})", out.getvalue()).group(1)
    for email, template in homes.items():
        response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
        if email in ("coordinator@demo.network", "ceo@demo.network"):
            # Two-step sign-in is required for these roles, in the demo as in production.
            assert response["Location"] == reverse("mfa_authenticate"), email
            response = client.post(reverse("mfa_authenticate"), {"code": code})
        assert response.status_code == 302 and response["Location"] == reverse("network:home"), email
        response = client.get(reverse("network:home"))
        assert template in [t.name for t in response.templates], email
        client.logout()

    coordinator = User.objects.get(email="coordinator@demo.network")
    assert coordinator.is_staff and not coordinator.is_superuser
    assert coordinator.groups.filter(name=COORDINATOR_GROUP).exists()
    assert list(User.objects.get(email="ceo@demo.network").trusts.all()) == [first_trust]
    leader = User.objects.get(email="leader@demo.network")
    assert (leader.role, leader.person.job_role) == (Role.LEADER, JobRole.HEAD_OF_SCIENCE)
    assert leader.person.academy.trust == first_trust


class _Undo(Exception):
    pass


def test_seed_demo_builds_the_same_network_every_time(monkeypatch):
    # The seed plans from "now" (an event is past or ahead, so many days to go): both runs
    # see the same instant, so two runs that straddle an event's time of day cannot
    # differ (on a slow CI machine, with a seed of ~30 s, they once did).
    frozen = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    try:
        with transaction.atomic():
            seed()
            first = fingerprint()
            raise _Undo
    except _Undo:
        pass
    assert not Trust.objects.exists()  # the second run starts from an empty database

    seed()

    assert fingerprint() == first


def test_seed_demo_run_twice_changes_nothing():
    seed()
    before, prints = counts(), fingerprint()

    output = seed()

    assert "Nothing to create" in output
    assert counts() == before
    assert fingerprint() == prints


# -- The CPD programme and the membership year, around today -----------------------------


def test_seed_demo_runs_a_cpd_programme_around_today(django_capture_on_commit_callbacks, mailoutbox):
    # The outer commit hands the services' emails to the (here eager) worker: none may go.
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    now = timezone.now()
    events = Event.objects.all()
    ahead, past = events.filter(starts_at__gt=now), events.filter(ends_at__lte=now)
    assert ahead.filter(kind=Event.Kind.WEBINAR).exists() and past.filter(kind=Event.Kind.WEBINAR).exists()
    assert ahead.filter(kind=Event.Kind.HUB_MEETING).values("hub").distinct().count() >= 5
    assert past.filter(kind=Event.Kind.TRAINING_DAY).exists() and ahead.filter(kind=Event.Kind.TRAINING_DAY).exists()
    assert not events.filter(starts_at__lt=now - datetime.timedelta(days=100)).exists()
    series = events.filter(series="Physics for non-specialists").order_by("starts_at")
    assert series.count() >= 2 and series.last().duplicated_from == series[series.count() - 2]

    # The next national conference, with workshops of their own capacities, a per-trust cap
    # that has bitten and sessions that filled (one just ahead may have closed its booking).
    conference = (
        ahead.filter(kind=Event.Kind.CONFERENCE)
        .annotate(waiting=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED)))
        .get(waiting__gt=0)
    )
    assert conference.sessions.count() == 4
    assert len(set(conference.sessions.values_list("capacity", flat=True))) > 1
    assert (
        conference.per_trust_cap and conference.bookings.filter(status_reason__contains="trust already holds").exists()
    )
    # An event full, with a waitlist; one that needs approval, with requests still waiting.
    full = ahead.annotate(
        taken=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDS_PLACE)),
        waiting=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED)),
    ).filter(taken=F("capacity"), waiting__gt=0)
    assert full.exists()
    approval = ahead.filter(needs_approval=True, bookings__status=Booking.Status.PENDING_APPROVAL).distinct().get()
    assert approval.bookings.filter(
        status=Booking.Status.CONFIRMED, approved_by__email="coordinator@demo.network"
    ).exists()

    # Rules the services keep: nobody over capacity, credit to the trust on the day.
    for event in events.prefetch_related("sessions"):
        holding = event.bookings.filter(status__in=Booking.HOLDS_PLACE)
        assert holding.count() <= event.capacity, event
        for session in event.sessions.all():
            assert holding.filter(session=session).count() <= session.capacity, session
    for booking in Booking.objects.select_related("trust_at_booking", "person__academy"):
        person, day = booking.person, timezone.localdate(booking.created_at)
        expected = trust_on(academy=person.academy, day=day) if person.academy_id else person.trust
        assert booking.trust_at_booking == expected, booking
        assert booking.history.exists()
    # Attendance only for confirmed bookings of events that have ended.
    assert not Attendance.objects.exclude(booking__status=Booking.Status.CONFIRMED).exists()
    assert not Attendance.objects.filter(booking__event__ends_at__gt=now).exists()
    assert past.filter(bookings__attendance__attended=True).count() > 0

    # The demo leader: two upcoming bookings, two past events attended with CPD hours, and
    # a colleague's request waiting for them.
    leader = User.objects.get(email="leader@demo.network")
    mine = Booking.objects.filter(person=leader.person)
    upcoming = mine.filter(event__starts_at__gt=now + datetime.timedelta(days=7), status=Booking.Status.CONFIRMED)
    assert upcoming.count() == 2 and upcoming.filter(event=conference, session__isnull=False).exists()
    assert mine.filter(attendance__attended=True).count() == 2
    hours = cpd_hours(leader, person_id=leader.person_id)
    assert hours == sum(b.event.cpd_hours for b in mine.filter(attendance__attended=True)) > Decimal(0)
    assert (
        approval.bookings.filter(status=Booking.Status.PENDING_APPROVAL, person__academy=leader.person.academy)
        .exclude(person=leader.person)
        .exists()
    )
    # The trust executive's CPD view has its trust's participation (in the academic year of
    # the latest past event: early in September the new year has none yet).
    executive = User.objects.get(email="ceo@demo.network")
    last_year_with_events = academic_year(timezone.localdate(past.latest("starts_at").starts_at))
    figures = trust_cpd(executive, executive.trusts.get(), year=last_year_with_events)
    assert figures["totals"]["attended"] > 0 and figures["totals"]["hours"] > 0

    # The services' emails (bookings, approvals, membership letters) are kept in the outbox,
    # marked as not sent, so no sweep, retry or worker sends them.
    keys = list(OutboxMessage.objects.values_list("key", flat=True))
    assert any(k.startswith("booking:") and k.endswith(":confirmed") for k in keys)
    assert any(":approval-request:" in k for k in keys)
    assert any(k.startswith("membership:") and ":invitation:" in k for k in keys)
    assert any(k.startswith("application:") for k in keys)
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.HELD).exists()
    assert set(OutboxMessage.objects.values_list("last_error", "sent_at")) == {(NOT_SENT, None)}
    assert mailoutbox == []


def test_seed_demo_keeps_a_membership_year_around_today():
    output = seed()
    network = Network.objects.get(slug="ssn")
    policy = network.membership_policy
    assert (policy.year_start_month, policy.year_start_day, policy.review_month, policy.review_day) == (4, 1, 3, 1)
    assert (policy.fee_net, policy.vat_rate, policy.growth_target_percent) == (Decimal("1600"), 20, 20)
    label, starts_on, _ = policy.year_containing(timezone.localdate())
    previous, following = (
        f"{starts_on.year - 1}-{starts_on.year % 100:02d}",
        f"{starts_on.year + 1}-{(starts_on.year + 2) % 100:02d}",
    )
    years = {y.label: y for y in network.membership_years.all()}
    assert set(years) == {previous, label, following}
    assert not years[following].memberships.exists()
    assert not ReviewRun.objects.exists()

    active = Membership.objects.filter(status=Membership.Status.ACTIVE)
    this_year, last_year = active.filter(year__label=label), active.filter(year__label=previous)
    academies = Academy.objects.count()
    assert this_year.count() > academies / 2
    assert this_year.count() >= last_year.count() * Decimal("1.2") > 0  # growth at the +20 % target
    # Trust at the time, fee lines for every member, a handful in progress.
    assert not this_year.filter(trust__isnull=True).exists()
    assert InvoiceLine.objects.filter(kind=InvoiceLine.Kind.FEE).count() == active.count()
    fees = InvoiceLine.objects.filter(kind=InvoiceLine.Kind.FEE)  # (the demo's extra visit adds an extra line)
    assert set(fees.values_list("net_amount", "vat_rate")) == {(Decimal("1600"), Decimal("20"))}
    states = dict(Membership.objects.filter(year__label=label).values_list("status").annotate(n=Count("pk")))
    assert states[Membership.Status.INVITED] >= 2 and states[Membership.Status.UNDER_REVIEW] >= 1
    referral = MembershipApplication.objects.get(referred_at__isnull=False)
    assert referral.evidence_text and not referral.evidence_files.exists()
    assert referral.membership.status == Membership.Status.UNDER_REVIEW
    # At risk exactly where the data says so: active this year, latest inspection a grade 3
    # or 4 or a report card that counts as one.
    latest = {}
    for inspection in Inspection.objects.order_by("academy_id", "-inspection_date"):
        latest.setdefault(inspection.academy_id, eligibility.inspection_fact(inspection))
    at_risk = set(this_year.filter(at_risk=True).values_list("academy_id", flat=True))
    assert len(at_risk) == 2
    assert at_risk == {
        m.academy_id for m in this_year if m.academy_id in latest and eligibility.bars(latest[m.academy_id])
    }
    assert "Members " + label in output and "Bookings" in output and "Events ahead" in output


def test_seed_demo_plans_the_same_events_whichever_day_it_runs():
    """Events sit on the school calendar, so a run a week later plans the same events
    where the windows overlap (the natural key is the title and start)."""
    hubs = []
    day = datetime.date(2026, 11, 25)
    first = {e.key for e in plan_window(day, hubs)}
    later = {e.key for e in plan_window(day + datetime.timedelta(days=7), hubs)}
    overlap_start = timezone.make_aware(datetime.datetime(2026, 11, 25)) - datetime.timedelta(days=84)
    assert {k for k in first if k[1] >= overlap_start} <= later
    weeks = teaching_weeks(2026)
    assert weeks["autumn"][0] == datetime.date(2026, 8, 31) and datetime.date(2026, 10, 26) not in weeks["autumn"]
    assert all(monday.weekday() == 0 for term in weeks.values() for monday in term)
