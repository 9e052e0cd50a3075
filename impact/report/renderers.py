"""The annual report as JSON, HTML or PDF. Renderers only format what
`impact.report.selectors.annual_report` computed: no figure is made here."""

import datetime
import json
import logging
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from impact.report.charts import report_charts

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
    return {"report": report, "charts": {k: mark_safe(v) for k, v in report_charts(report).items()}}  # noqa: S308 - our SVG, escaped


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


def filename(report: dict, fmt: str) -> str:
    return f"{report['network']['slug']}-annual-report-{report['year']['label']}.{fmt}"
