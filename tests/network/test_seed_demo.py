"""The demo network (`manage.py seed_demo`): shaped like the Secondary Science Network,
the same network every time, harmless to run twice, and its demo logins work."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse

from network.management.commands.seed_demo import DEMO_PASSWORD
from network.models import Hub, Network, Role, User
from network.services import COORDINATOR_GROUP
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
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def counts() -> dict:
    models = [Trust, Academy, AcademyTrustMembership, Inspection, PerformanceResult, Person, Hub, User]
    result = {m._meta.label: m.objects.count() for m in models}
    for m in (Trust, Academy, Person):
        result[f"history of {m._meta.label}"] = m.history.count()
    result["hub members"] = Hub.academies.through.objects.count()
    result["person expertise"] = Person.expertise.through.objects.count()
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
    assert set(ungraded.values_list("outcome_text", flat=True)) == {"Not judged"}
    assert all(i.report_card.get("areas") for i in ungraded)
    # Progress 8 for three years, percentiles computed across academies per year.
    assert set(PerformanceResult.objects.values_list("academic_year", flat=True)) == {"2021-22", "2022-23", "2023-24"}
    scored = PerformanceResult.objects.filter(academic_year="2023-24", progress8__isnull=False).order_by("progress8")
    percentiles = [r.percentile for r in scored]
    assert percentiles == sorted(percentiles) and percentiles[0] > 0 and percentiles[-1] < 100

    # People: a headteacher per academy, a CEO and trust science lead per trust.
    assert Person.objects.filter(job_role=JobRole.HEADTEACHER).count() == academies.count()
    trust_wide = Person.objects.filter(academy__isnull=True)
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


def test_seed_demo_logins_sign_in_and_land_on_their_home_page(client):
    seed()
    first_trust = Trust.objects.get(name="Pennine Learning Trust")
    homes = {
        "coordinator@demo.network": "network/home_coordinator.html",
        "ceo@demo.network": "network/home_executive.html",
        "leader@demo.network": "network/home_leader.html",
        "visitor@demo.network": "network/home_visitor.html",
    }
    for email, template in homes.items():
        response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302 and response["Location"] == reverse("home"), email
        response = client.get(reverse("home"))
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


def test_seed_demo_builds_the_same_network_every_time():
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
