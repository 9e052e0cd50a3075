"""Certificates of attendance: a one-page PDF with the network's name, the person, the
event, its date, the CPD hours and a verification code, with the public URL where
anyone (an employer, an appraiser) can check the code.

The PDF uses the core Helvetica font (nothing to ship or install) in Windows-1252, which
covers the names and punctuation of Western European languages; anything beyond it is
spelt without its accents rather than dropped.
"""

import unicodedata
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from fpdf import FPDF

from events.models import Attendance


def verification_url(code: str) -> str:
    return settings.PORTAL_BASE_URL + reverse("certificate_verify", args=[code])


def _printable(text: str) -> str:
    """`text` in Windows-1252: characters it lacks lose their accents (Ł → L), or become ?."""
    try:
        text.encode("cp1252")
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            out.append(base if base and base.isascii() else {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d"}.get(ch, "?"))
    return "".join(out)


def format_hours(hours) -> str:
    """Decimal("1.50") → "1.5", Decimal("2.00") → "2"."""
    text = f"{Decimal(str(hours)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def certificate_pdf(attendance: Attendance) -> bytes:
    """The certificate for one credited attendance, as PDF bytes (A4 landscape, one page)."""
    booking = attendance.booking
    event = booking.event
    day = timezone.localtime(event.starts_at)
    url = verification_url(attendance.verification_code)
    hours = format_hours(event.cpd_hours)

    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_title(_printable(f"Certificate of attendance: {event.title}"))
    pdf.set_author(_printable(event.network.name))
    pdf.set_subject(f"Verification code {attendance.verification_code}")
    pdf.set_creator(_printable(settings.PORTAL_NAME))
    pdf.set_lang("en-GB")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    width = pdf.w - 40

    # A double border, drawn, not an image.
    pdf.set_draw_color(30, 70, 110)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)

    def line(text, *, size, style="", height=None, colour=(0, 0, 0), space=0):
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(width, height or size * 0.5, _printable(text), align="C", new_x="LMARGIN", new_y="NEXT")
        if space:
            pdf.ln(space)

    pdf.set_y(26)
    line(event.network.name, size=16, style="B", colour=(30, 70, 110), space=6)
    line("Certificate of attendance", size=30, style="B", space=8)
    line("This is to certify that", size=13, space=3)
    line(booking.person.full_name, size=24, style="B", space=4)
    line("attended", size=13, space=3)
    # A long title gets a smaller size, so it never runs into the verification block.
    title_size = 18
    for title_size in (18, 16, 14, 12):
        pdf.set_font("Helvetica", style="B", size=title_size)
        if len(pdf.multi_cell(width, title_size * 0.5, _printable(event.title), dry_run=True, output="LINES")) <= 2:
            break
    line(event.title, size=title_size, style="B", space=3)
    line(f"on {day:%d/%m/%Y}", size=13, space=6)
    line(f"CPD hours: {hours}", size=15, style="B", space=10)

    pdf.set_y(pdf.h - 52)
    line(f"Verification code: {attendance.verification_code}", size=12, style="B", space=2)
    pdf.set_font("Helvetica", size=10)
    pdf.set_text_color(30, 70, 110)
    pdf.cell(width, 5, f"Check this certificate at {url}", align="C", link=url, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    line(
        f"Issued by {settings.PORTAL_NAME} on {timezone.localdate():%d/%m/%Y}.",
        size=9,
        colour=(90, 90, 90),
    )
    return bytes(pdf.output())
