"""CSV downloads of the dashboards' tables: the same rows the page shows, cell for cell
(a withheld figure is written "Suppressed: <reason>", never its value)."""

from django.utils.text import slugify

from impact.dashboards.tables import Table
from network.base.web import csv_response


def table_csv(table: Table, *, name: str, year):
    filename = f"{slugify(name)}-{table.key}-{year.label}.csv"
    return csv_response(filename, table.csv_header(), table.csv_rows())
