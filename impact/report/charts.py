"""Charts drawn on the server as SVG, for the report's HTML and PDF (WeasyPrint draws
SVG natively, so the PDF's charts are vectors). Greyscale-readable: each series has its
own fill pattern, and every bar carries its value as text. No inline style (attributes
only), so an SVG placed in a portal page respects the strict CSP."""

from xml.sax.saxutils import escape

PATTERNS = """<defs>
<pattern id="{p}-0" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#1d3557"/></pattern>
<pattern id="{p}-1" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#ffffff"/><path d="M0 6L6 0M-1 1L1 -1M5 7L7 5" stroke="#1d3557" stroke-width="1.5"/></pattern>
<pattern id="{p}-2" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#ffffff"/><circle cx="3" cy="3" r="1.4" fill="#1d3557"/></pattern>
</defs>"""


def _number(value) -> str:
    text = f"{value:,.1f}" if isinstance(value, float) or hasattr(value, "quantize") else f"{value:,}"
    return text[:-2] if text.endswith(".0") else text


def bar_chart(
    key: str, title: str, labels: list[str], series: list[tuple[str, list]], *, width=640, max_value=None
) -> str:
    """Horizontal bars: one group per label, one bar per series, each bar with its value."""
    bar, gap, left, top = 16, 10, 230, 34
    groups = len(labels)
    height = top + groups * (len(series) * bar + gap) + 24 + 18 * len(series)
    values = [v for _name, data in series for v in data if v is not None]
    biggest = max_value or (max(values) if values else 1) or 1
    plot = width - left - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
        PATTERNS.replace("{p}", f"fill-{key}"),
        f'<text x="0" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    y = top
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{left - 6}" y="{y + bar * len(series) / 2 + 4}" text-anchor="end">{escape(label)}</text>'
        )
        for s, (_name, data) in enumerate(series):
            value = data[i]
            length = 0 if value is None else plot * float(value) / float(biggest)
            parts.append(
                f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar - 2}" fill="url(#fill-{key}-{s % 3})" '
                f'stroke="#1d3557" stroke-width="1"/>'
            )
            text = "–" if value is None else _number(value)
            parts.append(f'<text x="{left + length + 4:.1f}" y="{y + bar - 5}">{escape(text)}</text>')
            y += bar
        y += gap
    if len(series) > 1:
        for s, (name, _data) in enumerate(series):
            parts.append(
                f'<rect x="{left}" y="{y + 18 * s}" width="12" height="12" fill="url(#fill-{key}-{s % 3})" stroke="#1d3557"/>'
                f'<text x="{left + 18}" y="{y + 18 * s + 10}">{escape(name)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def report_charts(report: dict) -> dict[str, str]:
    """The report's charts, each as an SVG string."""
    charts = {}
    if report["by_kind"]:
        charts["by_kind"] = bar_chart(
            "by_kind",
            "People taking part and attendances, by kind of event",
            [row["kind"] for row in report["by_kind"]],
            [
                ("People taking part", [row["people"] for row in report["by_kind"]]),
                ("Attendances", [row["attendances"] for row in report["by_kind"]]),
            ],
        )
    m = report["figures"]["membership"]
    target = None
    if m["members_last_year"]:
        target = round(m["members_last_year"] * (1 + float(m["target_percent"]) / 100))
    charts["membership"] = bar_chart(
        "membership",
        "Member academies",
        ["Last year", "This year", "Target (+" + _number(m["target_percent"]) + "%)"],
        [("Academies", [m["members_last_year"], m["members"], target])],
    )
    if report["six_lens"]:
        ratings = report["six_lens"]["ratings"]
        charts["six_lens"] = bar_chart(
            "six_lens",
            "Six-lens self-review (1 emerging – 4 leading)",
            [r["lens"] for r in ratings],
            [("Rating", [r["rating"] for r in ratings])],
            max_value=4,
        )
    return charts
