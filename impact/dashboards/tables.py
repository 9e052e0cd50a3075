"""What a dashboard shows, as data: tables (each also a CSV download) and the charts
drawn from them. A chart never has numbers of its own: it is built from its table's
rows, so the chart, the accessible table beside it and the CSV always agree.

A cell is a number, a text, None (no data) or `Suppressed` (withheld, with the reason):
the template, the CSV and the chart data each render those three the same way."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Suppressed:
    """A figure withheld because it would rest on too few people or trusts."""

    reason: str

    def __str__(self) -> str:
        return f"Suppressed: {self.reason}"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = True


@dataclass
class Table:
    key: str  # also the CSV's name and the ?download= value
    title: str
    columns: list[Column]
    rows: list[list]
    note: str = ""
    empty: str = "Nothing to show for this year."
    sortable: bool = False
    sort: str = ""  # the column key the rows are sorted by ("" = the default order)
    descending: bool = False
    row_ids: list = field(default_factory=list)  # with `link`: the first cell links to `link` with this id
    link: str = ""

    def column_index(self, key: str) -> int:
        return [c.key for c in self.columns].index(key)

    @property
    def display_rows(self) -> list[tuple]:
        """(row id or None, row) pairs, for a template that links the first cell."""
        ids = self.row_ids or [None] * len(self.rows)
        return list(zip(ids, self.rows, strict=True))

    def csv_header(self) -> list[str]:
        return [c.label for c in self.columns]

    def csv_rows(self) -> list[list]:
        return [[csv_cell(value) for value in row] for row in self.rows]


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, Suppressed):
        return str(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


def chart_number(value):
    """A cell as a chart's number: withheld and missing figures are gaps (null)."""
    if value is None or isinstance(value, Suppressed | str | datetime.date):
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


@dataclass
class Chart:
    """A Chart.js chart drawn from one table: `label_column` names the x axis, each
    series a column (a pair of columns is a floating bar, e.g. the interquartile range).
    `kind` is Chart.js's type (bar, line, radar)."""

    key: str
    title: str
    table: Table
    label_column: str
    series: list[tuple[str, str | tuple[str, str]]]  # (legend label, column key or (low, high))
    kind: str = "bar"
    y_title: str = ""
    description: str = ""  # what the chart shows, for the canvas's accessible name
    options: dict = field(default_factory=dict)

    def data(self) -> dict:
        table = self.table
        label_at = table.column_index(self.label_column)
        datasets = []
        for label, columns in self.series:
            if isinstance(columns, tuple):
                low, high = (table.column_index(c) for c in columns)
                values = [
                    None
                    if chart_number(row[low]) is None or chart_number(row[high]) is None
                    else [chart_number(row[low]), chart_number(row[high])]
                    for row in table.rows
                ]
            else:
                at = table.column_index(columns)
                values = [chart_number(row[at]) for row in table.rows]
            datasets.append({"label": label, "data": values, "range": isinstance(columns, tuple)})
        return {
            "type": self.kind,
            "title": self.title,
            "labels": [str(row[label_at]) for row in table.rows],
            "datasets": datasets,
            "yTitle": self.y_title,
            **self.options,
        }
