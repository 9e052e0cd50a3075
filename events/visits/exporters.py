"""Files a visit hands out: its calendar entry (.ics, also in the personal calendar
feed) and the agreed report as a PDF. They format what a selector found; no queries
beyond the prefetches the selector made, no writes. The conventions (UTC times, stable
UIDs, Windows-1252 core fonts) are those of `events.exporters`."""

from django.utils import timezone
from fpdf import FPDF
from icalendar import Event as VEvent

from events.exporters import _calendar, _host, _printable, _utc
from events.visits.models import Visit
from events.visits.policy import rating_label, strand_label


def visit_uid(visit: Visit) -> str:
    return f"visit-{visit.pk}@{_host()}"


def visit_vevent(visit: Visit) -> VEvent:
    entry = VEvent()
    entry.add("uid", visit_uid(visit))
    entry.add("dtstamp", _utc(timezone.now()))
    entry.add("last-modified", _utc(visit.updated_at))
    entry.add("dtstart", _utc(visit.starts_at))
    entry.add("dtend", _utc(visit.ends_at))
    host = visit.host_academy.name if visit.host_academy_id else "Academy visit"
    entry.add("summary", f"{visit.kind.name}: {host}")
    entry.add("status", "CANCELLED" if visit.status == Visit.Status.CANCELLED else "CONFIRMED")
    lines = [visit.kind.name]
    if visit.is_online and visit.joining_link:
        lines += ["", f"Join online: {visit.joining_link}"]
        entry.add("url", visit.joining_link)
    entry.add("description", "\n".join(lines))
    location = visit.location or ("Online" if visit.is_online else "")
    if location:
        entry.add("location", location)
    return entry


def visit_ics(visit: Visit) -> bytes:
    calendar = _calendar(f"{visit.kind.name}: {visit.host_academy.name if visit.host_academy_id else ''}".strip())
    calendar.add_component(visit_vevent(visit))
    return calendar.to_ical()


def report_pdf(visit: Visit) -> bytes:
    """The agreed report (A4 portrait): the visit, focus areas, what was seen,
    strengths, areas for development, Framework strands (moderation) and the actions."""
    report = visit.report
    day = timezone.localtime(visit.starts_at)
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_title(_printable(f"Visit report: {visit.host_academy.name}"))
    pdf.set_author(_printable(visit.network.name))
    pdf.set_lang("en-GB")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    width = pdf.w - 36

    def para(text, *, size=11, style="", space=2, colour=(0, 0, 0)):
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(width, size * 0.5, _printable(text), new_x="LMARGIN", new_y="NEXT")
        if space:
            pdf.ln(space)

    para(visit.network.name, size=12, style="B", colour=(30, 70, 110))
    para(f"{visit.kind.name} report", size=20, style="B", space=3)
    visitors = ", ".join(a.person.full_name for a in visit.assignments.all()) or "–"
    para(f"Academy visited: {visit.host_academy.name} (URN {visit.host_academy.urn})", space=0)
    if visit.visiting_academy_id:
        para(f"Visiting academy: {visit.visiting_academy.name}", space=0)
    para(f"Date: {day:%d/%m/%Y}    Visitors: {visitors}", space=0)
    agreed = timezone.localtime(report.agreed_at)
    para(f"Agreed by the host on {agreed:%d/%m/%Y}" + (f" ({report.agreed_by})" if report.agreed_by else ""), space=4)
    focus = ", ".join(t.name for t in visit.focus_areas.all())
    if focus:
        para("Focus areas", size=13, style="B", space=1)
        para(focus, space=3)
    for title, text in (
        ("What was seen", report.seen),
        ("Strengths", report.strengths),
        ("Areas for development", report.development),
    ):
        para(title, size=13, style="B", space=1)
        para(text or "–", space=3)
    if report.strands:
        para("Framework for Exceptional Education", size=13, style="B", space=1)
        for code, rating in report.strands.items():
            para(f"{strand_label(code)}: {rating_label(rating)}", space=0)
        pdf.ln(3)
    actions = list(visit.actions.all())
    para("Agreed actions", size=13, style="B", space=1)
    if not actions:
        para("No actions were agreed.")
    for i, action in enumerate(actions, start=1):
        para(
            f"{i}. {action.description} (owner: {action.owner.full_name}; due {action.due_on:%d/%m/%Y}; "
            f"{action.get_status_display().lower()})",
            space=1,
        )
    return bytes(pdf.output())
