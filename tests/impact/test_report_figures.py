"""The annual report's figures from a hand-built network whose answers are known
(tests/impact/known_network.py), and the same numbers in JSON, HTML and PDF."""

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from impact.dashboards import panels, visit_panel
from impact.report import renderers
from impact.report.selectors import annual_report
from tests.impact import known_network

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = datetime.date(2025, 6, 1)  # the year is over


@pytest.fixture
def known():
    return known_network.build()


def report_of(known, **kwargs):
    return annual_report(known.network, known_network.YEAR, today=TODAY, **kwargs)


def test_online_cpd_counts_each_leader_once_and_skips_cancelled_and_no_shows(known):
    figures = report_of(known)["figures"]
    # p1 at two online events once; p2's cancelled booking, p3's no-show, p9 at a
    # cancelled event and p10 the year before do not count.
    assert figures["online_cpd"] == {"leaders": 3, "trusts": 2}


def test_conference_credits_the_trust_of_the_day_for_an_academy_that_moved(known):
    # p5's academy moved from Trust Two to Trust Three on 1 January 2025; the conference
    # (1 March 2025) counts for Trust Three, the October webinar for Trust Two.
    figures = report_of(known)["figures"]
    assert figures["conference"] == {"leaders": 3, "trusts": 2}
    by_trust = {row["trust"]: row for row in report_of(known)["by_trust"]}
    assert by_trust["Trust Two"]["people"] == 2  # p4, and p5 in October
    assert by_trust["Trust Three"]["people"] == 2  # p6, and p5 in March
    assert by_trust["Trust One"]["people"] == 3  # p1, p7, p8


def test_reach_hours_and_totals(known):
    figures = report_of(known)["figures"]
    assert figures["people_taking_part"] == 6
    assert figures["attendances"] == 8
    assert figures["cpd_hours"] == Decimal("23.0")
    assert figures["academies_reached"] == 5
    assert figures["pupils_reached"] == 3600
    assert figures["academies_in_network"] == 6
    assert figures["pupils_in_network"] == 4000
    assert figures["trusts_taking_part"] == 3


def test_membership_growth(known):
    membership = report_of(known)["figures"]["membership"]
    assert membership["members"] == 5
    assert membership["members_last_year"] == 4
    assert membership["growth_percent"] == Decimal("25.0")
    assert membership["met"] is True


def test_headlines_read_as_the_network_publishes_them(known):
    headlines = report_of(known)["headlines"]
    assert "3 science leaders joined online CPD" in headlines
    assert "3 leaders from 2 trusts attended the national conference" in headlines
    assert "5 academies and 3,600 pupils reached, with 23.0 CPD hours" in headlines
    assert "Membership grew by 25.0% (4 to 5 academies), against a target of +20%" in headlines
    assert not any("visits" in line for line in headlines)  # none recorded: no "0 visits" headline


def _visit(known, academy, trust, status, day, *, visiting=None):
    from events.visits.models import Visit
    from tests.events.visit_helpers import kind

    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    return Visit.objects.create(
        network=known.network,
        kind=kind(known.network),
        status=status,
        host_academy=academy,
        host_trust=trust,
        visiting_academy=visiting,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
    )


def test_visits_are_counted_from_the_records_and_a_cancelled_visit_is_not_delivered(known):
    t1, t2, t3 = known.trusts
    a = known.academies
    _visit(known, a["A1"], t1, "closed", D(2024, 10, 1))
    _visit(known, a["A3"], t2, "report_agreed", D(2025, 2, 1), visiting=a["A1"])  # a peer visit from A1
    _visit(known, a["A4"], t3, "cancelled", D(2024, 11, 1))
    _visit(known, a["A4"], t3, "scheduled", D(2025, 3, 30))  # on the diary, not yet happened
    _visit(known, a["A2"], t1, "completed", D(2024, 3, 1))  # the year before
    report = report_of(known)
    assert report["figures"]["visits"] == {"delivered": 2, "trusts": 2}
    assert "2 academy visits were delivered across 2 MATs" in report["headlines"]
    assert "visits" not in report["not_available"]
    figures = visit_panel.visit_figures(network=known.network, starts_on=D(2024, 4, 1), ends_on=D(2025, 3, 31))
    assert figures["cancelled"] == 1
    assert figures["by_trust"][t1.pk] == {"hosted": 1, "made": 1}
    assert figures["by_academy"][a["A1"].pk] == {"hosted": 1, "made": 1}
    assert figures["by_academy"][a["A3"].pk] == {"hosted": 1, "made": 0}


def test_a_panel_not_installed_is_said_to_be_missing_not_zero(known, monkeypatch):
    for name in ("visits", "surveys", "evidence"):
        monkeypatch.setitem(panels.SOURCES, name, f"impact.not_installed.{name}_figures")
    report = report_of(known)
    assert report["figures"]["visits"] is None
    assert report["figures"]["surveys"] is None
    assert report["figures"]["evidence_by_confidence"] is None
    assert set(report["not_available"]) == {"visits", "surveys", "evidence"}


def test_counting_rules_travel_with_the_figures(known):
    data = json.loads(renderers.as_json(report_of(known)))
    rules = " ".join(data["counting_rules"])
    assert "joined online CPD" in rules and "counted once" in rules and "on the day of the event" in rules
    assert data["figures"]["online_cpd"] == {"leaders": 3, "trusts": 2}
    assert data["figures"]["cpd_hours"] == 23.0


def test_html_and_pdf_show_the_same_numbers(known):
    report = report_of(known)
    html = renderers.as_html(report).decode()
    for line in report["headlines"]:
        assert line.replace("&", "&amp;") in html
    assert "<svg" in html and "How the figures are counted" in html
    pdf = renderers.as_pdf(report)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5000


def test_academic_year_counts_a_different_span(known):
    # Academic 2024-25 (1 September 2024 – 31 August 2025) holds the same events here.
    report = annual_report(known.network, known_network.YEAR, kind="academic", today=TODAY)
    assert report["year"]["kind"] == "academic year"
    assert report["figures"]["online_cpd"] == {"leaders": 3, "trusts": 2}
    earlier = annual_report(known.network, "2023-24", kind="academic", today=TODAY)
    assert earlier["figures"]["online_cpd"]["leaders"] == 1  # p10, March 2024


def test_a_malformed_year_is_refused(known):
    with pytest.raises(ValueError):
        annual_report(known.network, "2024-26")
