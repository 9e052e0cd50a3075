"""The annual report as JSON, HTML or PDF. Renderers only format what
`impact.report.selectors.annual_report` computed: no figure is made here."""

import datetime
import functools
import json
import logging
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from impact.report.charts import report_charts
from network.base import remembered

# WeasyPrint logs each step of each PDF at INFO; its warnings still show.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FORMATS = {"json": "application/json", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def _default(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def as_json(report: dict) -> bytes:
    return json.dumps(report, default=_default, indent=2, ensure_ascii=False).encode()


def context(report: dict) -> dict:
    # The charts are drawn when a template first asks for them: the page keeps its body's
    # HTML with the figures (`{% cache %}` in impact/report/page.html) and then never does.
    charts = functools.cache(lambda: {k: mark_safe(v) for k, v in report_charts(report).items()})  # noqa: S308 - our SVG, escaped
    return {"report": report, "charts": charts}


def as_html(report: dict) -> bytes:
    """A standalone HTML document (its own print stylesheet), as downloaded and as
    WeasyPrint prints it."""
    return render_to_string("impact/report/document.html", context(report)).encode()


def as_pdf(report: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango through cffi, which only the PDF needs.
    import weasyprint

    return weasyprint.HTML(string=as_html(report).decode()).write_pdf()


def render(report: dict, fmt: str) -> bytes:
    return {"json": as_json, "html": as_html, "pdf": as_pdf}[fmt](report)


def remembered_render(report: dict, fmt: str) -> bytes:
    """`render`, kept as long as the figures it formats (a PDF is a second of WeasyPrint):
    the key names this computation of the report (`computed_at`)."""
    year = report["year"]
    parts = (fmt, report["network"]["slug"], year["kind"], year["label"], report["computed_at"].isoformat())
    return remembered.remember("annual-report-file", parts, lambda: render(report, fmt))


def filename(report: dict, fmt: str) -> str:
    return f"{report['network']['slug']}-annual-report-{report['year']['label']}.{fmt}"
