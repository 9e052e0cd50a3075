"""Speed (issue 14): the pieces the benchmark relies on, tested for behaviour (never for
time): the floor page, the scoped filters without a semi-join where a path is a plain
foreign key, and the demo's years of history (keyed, idempotent)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Attendance, Booking, Event
from network.base import access
from network.demo import history
from network.programme.membership.models import Membership, MembershipYear
from trusts.models import Academy, Trust

pytestmark = pytest.mark.django_db


def test_floor_page_loads_only_the_session_and_the_user(client, world):
    client.force_login(world.leader_a)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("network:healthz_session"))
    assert response.status_code == 200
    assert response.content == f"ok {world.leader_a.pk}".encode()
    assert len(ctx.captured_queries) <= 2  # the session and the user


@pytest.mark.parametrize(
    ("label", "path", "many"),
    [
        ("trusts.Trust", "academies", True),
        ("trusts.Trust", "pk", False),
        ("events.Booking", "person__academy", False),
        ("events.Attendance", "booking__trust_at_booking", False),
        ("network.MembershipApplication", "referred_at__isnull", False),
    ],
)
def test_many_valued_paths_are_recognised(label, path, many):
    assert access._many_valued(label, path) is many


def test_plain_foreign_key_paths_filter_without_a_semi_join(world):
    sql = str(access.scoped(world.leader_a, Academy).query)
    assert sql.count("SELECT") == 1
    # A path through a reverse relation (a trust's academies) keeps the semi-join: no repeats.
    trusts = access.scoped(world.leader_a, Trust)
    assert str(trusts.query).count("SELECT") == 2
    assert list(trusts) == [world.trust_a]


def test_history_is_written_once_with_its_keys(monkeypatch):
    monkeypatch.setattr(history, "MIN_SCALE", 1)
    monkeypatch.setattr(history, "EVENTS_PER_SCALE", 3)
    monkeypatch.setattr(history, "BOOKINGS_PER_EVENT", 4)
    call_command("seed_demo", stdout=StringIO())
    archive = Event.objects.filter(series=history.ARCHIVE)
    assert archive.count() == 3
    bookings = Booking.objects.filter(event__in=archive)
    assert bookings.count() == 12
    assert Attendance.objects.filter(booking__in=bookings).count() == 12
    assert MembershipYear.objects.count() == 5  # three past years, this year and next
    before = (Event.objects.count(), Booking.objects.count(), Membership.objects.count())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert (Event.objects.count(), Booking.objects.count(), Membership.objects.count()) == before
    assert "Nothing to create" in out.getvalue()


@pytest.mark.parametrize(
    ("label", "target"),
    [
        ("Trust dashboard (Pennine Learning Trust)", 8),
        ("Network dashboard", 8),
        ("Annual report PDF", 8),
        ("Directory, search by designation", 8),
        ("Membership review (2026-27)", 8),
        ("Membership list", 4),
        ("Home", 4),
        ("Directory", 4),
        ("Admin academies", 15),
    ],
)
def test_the_bench_holds_each_page_to_the_issues_target(label, target):
    from bench.served import target_for

    assert target_for(label) == target
