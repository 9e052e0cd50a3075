"""Trends by term over up to three academic years (nine terms), in one query: each
attendance row is given its term by a CASE on the event's start, then grouped."""

import datetime

from django.db.models import Case, IntegerField, QuerySet, Value, When

from impact.dashboards import periods
from impact.dashboards.figures import ATTENDANCES, HOURS, PEOPLE, credited_attendance
from impact.dashboards.tables import Chart, Column, Table


def trends(network, anchor: datetime.date, *, narrow) -> tuple[Table, Chart]:
    """People taking part, attendances and CPD hours per term, for the nine terms ending
    with the one containing `anchor`. `narrow(rows)` cuts the rows to the trust and hub."""
    terms = periods.terms_up_to(anchor)
    start, _ = terms[0].bounds()
    _, end = terms[-1].bounds()
    rows: QuerySet = narrow(credited_attendance(network, start, end))
    term_of = Case(
        *[
            When(
                booking__event__starts_at__gte=t.bounds()[0], booking__event__starts_at__lt=t.bounds()[1], then=Value(i)
            )
            for i, t in enumerate(terms)
        ],
        output_field=IntegerField(),
    )
    grouped = {
        row["term"]: row
        for row in rows.annotate(term=term_of)
        .values("term")
        .annotate(people=PEOPLE, attendances=ATTENDANCES, hours=HOURS)
        .order_by()
    }
    table = Table(
        key="trends",
        title="Taking part by term",
        columns=[
            Column("term", "Term", numeric=False),
            Column("people", "People taking part"),
            Column("attendances", "Event attendances"),
            Column("hours", "CPD hours"),
        ],
        rows=[
            [
                t.name,
                grouped.get(i, {}).get("people", 0),
                grouped.get(i, {}).get("attendances", 0),
                grouped.get(i, {}).get("hours") or 0,
            ]
            for i, t in enumerate(terms)
        ],
        note="Terms: autumn 1 September – 31 December, spring 1 January – 31 March, summer 1 April – 31 August.",
    )
    chart = Chart(
        key="trends",
        title=table.title,
        table=table,
        label_column="term",
        series=[("People taking part", "people"), ("Event attendances", "attendances"), ("CPD hours", "hours")],
        kind="line",
        y_title="Number",
        description="Line chart: people taking part, event attendances and CPD hours in each of the last nine terms.",
    )
    return table, chart
