"""The readable rules as tables of cases: change per person, small-number suppression,
school terms, triangulation and the lag after CPD."""

import datetime
from decimal import Decimal

import pytest

from impact.evidence.confidence import ANECDOTAL, CORROBORATED, NONE, TRIANGULATED, confidence, lag_months
from impact.surveys import scoring
from impact.surveys.services.dispatch import months_before

D = Decimal


@pytest.mark.parametrize(
    ("pairs", "n", "mean_change", "share_improved"),
    [
        ([], 0, None, None),
        ([(2, 4)], 1, D("2.00"), D("100.0")),
        ([(3, 3)], 1, D("0.00"), D("0.0")),
        ([(4, 2)], 1, D("-2.00"), D("0.0")),
        ([(1, 2), (2, 2), (3, 5), (4, 3)], 4, D("0.50"), D("50.0")),
        # someone who answered only one of the two is not counted
        ([(1, 3), (2, None), (None, 5)], 1, D("2.00"), D("100.0")),
        ([(1, 2), (1, 2), (1, 1)], 3, D("0.67"), D("66.7")),
        # numbers (e.g. practicals run) as well as scales
        ([(D("2.5"), D("4")), (D("3"), D("3.5"))], 2, D("1.00"), D("100.0")),
    ],
)
def test_change_per_person(pairs, n, mean_change, share_improved):
    change = scoring.change(pairs)
    assert (change.n, change.mean_change, change.share_improved) == (n, mean_change, share_improved)


@pytest.mark.parametrize(
    ("n", "suppress", "shown"),
    [
        (0, True, 0),  # none is not a small number
        (1, True, "fewer than 5"),
        (4, True, "fewer than 5"),
        (5, True, 5),
        (12, True, 12),
        (1, False, 1),  # a coordinator on a named survey sees every count
        (4, False, 4),
    ],
)
def test_suppression_under_five(n, suppress, shown):
    assert scoring.shown(n, suppress=suppress) == shown
    assert scoring.is_suppressed(n, suppress=suppress) == (shown == "fewer than 5")


@pytest.mark.parametrize(
    ("day", "term"),
    [
        (datetime.date(2025, 9, 1), "Autumn 2025"),
        (datetime.date(2025, 12, 31), "Autumn 2025"),
        (datetime.date(2026, 1, 5), "Spring 2026"),
        (datetime.date(2026, 3, 31), "Spring 2026"),
        (datetime.date(2026, 4, 20), "Summer 2026"),
        (datetime.date(2026, 8, 31), "Summer 2026"),
    ],
)
def test_terms(day, term):
    assert scoring.term_of(day) == term
    start, end = scoring.term_bounds(term)
    assert start <= day.replace(day=1) < end


@pytest.mark.parametrize(
    ("source_types", "level", "count"),
    [
        ([], NONE, 0),
        (["teacher_voice"], ANECDOTAL, 1),
        (["teacher_voice", "teacher_voice", "teacher_voice"], ANECDOTAL, 1),  # one kind, however many
        (["progress_data"], ANECDOTAL, 1),  # data alone is still one source
        (["teacher_voice", "lesson_observation"], CORROBORATED, 2),
        (["teacher_voice", "work_scrutiny"], CORROBORATED, 2),  # pupils' work, but only two kinds
        (["teacher_voice", "lesson_observation", "pupil_voice"], CORROBORATED, 3),  # no pupils' work or data
        (["survey_result", "teacher_voice", "visit_report", "pupil_voice"], CORROBORATED, 4),
        (["teacher_voice", "lesson_observation", "work_scrutiny"], TRIANGULATED, 3),
        (["survey_result", "pupil_voice", "progress_data"], TRIANGULATED, 3),
        (["visit_report", "teacher_voice", "attendance_data"], TRIANGULATED, 3),
    ],
)
def test_triangulation_rule(source_types, level, count):
    rating = confidence(source_types)
    assert (rating.level, rating.source_types) == (level, count)
    assert rating.reason


@pytest.mark.parametrize(
    ("cpd_on", "observed_on", "months"),
    [
        (datetime.date(2025, 10, 7), datetime.date(2025, 10, 20), 0),
        (datetime.date(2025, 10, 7), datetime.date(2026, 1, 7), 3),
        (datetime.date(2025, 10, 7), datetime.date(2026, 1, 6), 2),
        (datetime.date(2025, 10, 7), datetime.date(2026, 10, 8), 12),
        (datetime.date(2025, 10, 7), datetime.date(2025, 9, 1), 0),  # before the CPD: no lag
        (None, datetime.date(2026, 1, 7), None),
    ],
)
def test_lag_after_cpd(cpd_on, observed_on, months):
    assert lag_months(cpd_on, observed_on) == months


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime.datetime(2026, 4, 15, 10), 3, datetime.datetime(2026, 1, 15, 10)),
        (datetime.datetime(2026, 2, 10, 10), 3, datetime.datetime(2025, 11, 10, 10)),
        (datetime.datetime(2026, 5, 31, 10), 3, datetime.datetime(2026, 2, 28, 10)),
        (datetime.datetime(2026, 5, 1, 10), 12, datetime.datetime(2025, 5, 1, 10)),
    ],
)
def test_months_before(moment, months, expected):
    assert months_before(moment, months) == expected
