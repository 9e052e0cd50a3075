"""A person's CPD record: hours for attended events only, year totals (academic and
membership years), the CSV export, and the query count."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from events.attendance.selectors import academic_year, cpd_record, membership_year
from tests import factories as f
from tests.events.cpd_helpers import at, attended, past_event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "academic", "membership"),
    [
        (datetime.date(2025, 8, 31), "2024-25", "2025-26"),
        (datetime.date(2025, 9, 1), "2025-26", "2025-26"),
        (datetime.date(2026, 3, 31), "2025-26", "2025-26"),
        (datetime.date(2026, 4, 1), "2025-26", "2026-27"),
        (datetime.date(2026, 1, 1), "2025-26", "2025-26"),
    ],
)
def test_years_run_september_to_august_and_april_to_march(day, academic, membership):
    assert academic_year(day).label == academic
    assert membership_year(day).label == membership
    assert academic_year(day).contains(day) and membership_year(day).contains(day)


def test_cpd_record_totals_count_attended_events_by_year(world):
    today = datetime.date(2026, 5, 10)  # academic year 2025-26, membership year 2026-27

    def event_on(day, hours):
        return past_event(world.network, starts_at=at(day), cpd_hours=Decimal(hours))

    person = world.person_a
    for day, hours in [
        (datetime.date(2025, 8, 31), "5"),  # previous academic year, previous membership year
        (datetime.date(2025, 9, 1), "1.5"),  # this academic year, previous membership year
        (datetime.date(2026, 3, 31), "2"),  # likewise
        (datetime.date(2026, 4, 1), "3"),  # this academic year and this membership year
    ]:
        attended(f.BookingFactory(event=event_on(day, hours), person=person))
    attended(f.BookingFactory(event=event_on(datetime.date(2026, 4, 20), "7"), person=person), attended=False)

    record = cpd_record(world.leader_a, today=today)

    assert record.totals["academic_hours"] == Decimal("6.5")
    assert record.totals["academic_events"] == 3
    assert record.totals["membership_hours"] == Decimal("3")
    assert record.totals["membership_events"] == 1
    assert record.totals["hours"] == Decimal("11.5")
    assert record.entries.count() == 4


def test_cpd_record_page_says_which_year_each_total_is(client, world):
    attended(f.BookingFactory(event=past_event(world.network, title="Cells and microscopy"), person=world.person_a))
    client.force_login(world.leader_a)
    response = client.get(reverse("events:my_cpd"))
    assert response.status_code == 200
    assert "This academic year" in response.text and "1 September to 31 August" in response.text
    assert "This membership year" in response.text and "1 April to 31 March" in response.text
    assert "Cells and microscopy" in response.text


def test_cpd_record_without_a_person_explains(client, world):
    client.force_login(world.executive_a)
    response = client.get(reverse("events:my_cpd"))
    assert response.status_code == 200
    assert "not linked to a person" in response.text


def test_cpd_record_shows_nobody_elses_attendance(client, world):
    attended(f.BookingFactory(event=past_event(world.network, title="Someone else's webinar"), person=world.person_b))
    attended(
        f.BookingFactory(
            event=past_event(world.network, title="A colleague's webinar"),
            person=f.PersonFactory(academy=world.academy_a),
        )
    )
    client.force_login(world.leader_a)
    response = client.get(reverse("events:my_cpd"))
    assert "Someone else's webinar" not in response.text
    assert "A colleague's webinar" not in response.text


def test_cpd_csv_export_lists_attended_events_with_hours_and_codes(client, world):
    came = attended(
        f.BookingFactory(
            event=past_event(world.network, title='=HYPERLINK("x") Rates of reaction', cpd_hours=Decimal("2.50")),
            person=world.person_a,
        ),
        minutes=85,
    )
    attended(
        f.BookingFactory(event=past_event(world.network, title="Missed it"), person=world.person_a), attended=False
    )
    client.force_login(world.leader_a)
    response = client.get(reverse("events:my_cpd_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["Event"] == '\'=HYPERLINK("x") Rates of reaction'  # never run as a formula
    assert (row["CPD hours"], row["Minutes attended"]) == ("2.5", "85")
    assert row["Certificate code"] == came.verification_code
    assert row["Check at"].endswith(f"/certificates/verify/{came.verification_code}/")
    assert row["Academic year"] == academic_year(came.booking.event.starts_at.date()).label


def test_cpd_record_has_no_n_plus_one(world, assert_no_n_plus_one):
    count = iter(range(100))

    def one():
        n = next(count)
        network = f.NetworkFactory(name=f"Network {n}", slug=f"network-{n}")  # each event its own network
        event = past_event(network)
        attended(f.BookingFactory(event=event, person=world.person_a, session=f.SessionFactory(event=event)))
        f.BookingFactory(event=f.EventFactory(network=network), person=world.person_a)  # upcoming: an .ics link

    one()
    assert_no_n_plus_one(reverse("events:my_cpd"), lambda: [one() for _ in range(2)], user=world.leader_a)
