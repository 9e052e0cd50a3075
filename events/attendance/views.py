"""Pages for attendance and what it earns: the register (bulk marking, the platform's
CSV, overrides), certificates and their public check, the CPD record with its CSV and
calendar feed, .ics downloads, and the trust executive's CPD participation view.
Thin: parse, call a selector or service, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from events import booking_rows, exporters
from events.attendance import selectors, services
from events.attendance.forms import (
    AcademicYearForm,
    AttendanceImportForm,
    AttendanceOverrideForm,
    CertificateVerifyForm,
    default_minimum_minutes,
)
from events.attendance.models import normalise_verification_code
from events.attendance.platform_report import attendance_import_csv
from events.models import Attendance
from events.visits import exporters as visit_exporters
from events.visits import selectors as visit_selectors
from network.base import remembered
from network.base.inputs import parse_ids, parse_int
from network.base.web import csv_response, permission_required, service_errors
from trusts.importers.base import ImportFileError

REGISTER_PAGE_SIZE = 50
CPD_PAGE_SIZE = 25


# -- The register --------------------------------------------------------------------


def _register_url(event, page=None) -> str:
    url = reverse("events:event_register", args=[event.pk])
    return f"{url}?{urlencode({'page': page})}" if page else url


def _render_register(request, event, *, import_form=None, report=None, status=200):
    page = Paginator(selectors.register_bookings(event), REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    import_form = import_form or AttendanceImportForm(
        action=reverse("events:event_register_import", args=[event.pk]),
        initial={"minimum_minutes": default_minimum_minutes(event)},
    )
    context = {
        "event": event,
        "page": page,
        "summary": selectors.register_summary(event),
        "problem": services.register_problem(event),
        "import_form": import_form,
        "report": report,
    }
    return render(request, "events/attendance/register.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def register(request, pk):
    """An event's register: confirmed bookings with their attendance; tick people and
    mark them attended or absent in one go."""
    event = selectors.register_event(request.user, pk)
    if request.method == "GET":
        return _render_register(request, event)
    ids = parse_ids(request.POST.getlist("booking"))
    action = request.POST.get("action")
    page = request.POST.get("page", "")
    if action not in ("attended", "absent"):
        messages.error(request, "Choose whether to mark the people you ticked as attended or absent.")
    elif not ids:
        messages.error(request, "Tick at least one person first.")
    else:
        try:
            result = services.attendance_mark_bulk(
                event=event, booking_ids=ids, attended=action == "attended", by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            marked = f"{result.changed} {'person' if result.changed == 1 else 'people'} marked {action}"
            if result.unchanged:
                marked += f"; {result.unchanged} already were"
            messages.success(request, marked + ".")
            for booking, reason in result.refused:
                messages.warning(request, f"{booking.person.full_name} was not changed: {reason}")
    return redirect(_register_url(event, parse_int(page, lowest=1)))


@login_required
@require_http_methods(["GET", "POST"])
def register_import(request, pk):
    """Upload the meeting platform's attendance report; the register is shown again with
    the import's report (row numbers and reasons)."""
    event = selectors.register_event(request.user, pk)
    if request.method == "GET":
        return redirect(_register_url(event))
    form = AttendanceImportForm(
        request.POST, request.FILES, action=reverse("events:event_register_import", args=[event.pk])
    )
    report = None
    if form.is_valid():
        try:
            report = attendance_import_csv(
                event=event,
                file=form.cleaned_data["file"],
                minimum_minutes=form.cleaned_data["minimum_minutes"],
                by=request.user,
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
    status = 200 if report is not None else 400
    return _render_register(request, event, import_form=form, report=report, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def attendance_override(request, pk, booking_pk):
    """Change one person's attendance by hand, with a reason (kept with who and when)."""
    event = selectors.register_event(request.user, pk)
    booking = selectors.register_booking(event, booking_pk)
    current = getattr(booking, "attendance", None)
    initial = {"attended": "yes" if current is None or current.attended else "no"}
    form = AttendanceOverrideForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.attendance_override(
                booking=booking,
                attended=form.cleaned_data["attended"],
                minutes_attended=form.cleaned_data["minutes_attended"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        if not form.errors:
            state = "attended" if form.cleaned_data["attended"] else "absent"
            messages.success(request, f"{booking.person.full_name} is now recorded as {state} (override saved).")
            return redirect(_register_url(event))
    history = Attendance.history.filter(booking_id=booking.pk).select_related("history_user").order_by("-history_date")
    return render(
        request,
        "events/attendance/override.html",
        {"event": event, "booking": booking, "current": current, "form": form, "history": history[:20]},
    )


# -- Certificates ----------------------------------------------------------------------


@login_required
@require_GET
def certificate_download(request, booking_pk):
    """The certificate of attendance (PDF) for an event the person attended."""
    attendance_row = selectors.certificate_attendance(request.user, booking_pk)
    pdf = exporters.certificate_pdf(attendance_row)
    event = attendance_row.booking.event
    name = f"certificate-{slugify(event.title)[:50]}-{timezone.localtime(event.starts_at):%Y-%m-%d}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def certificate_verify_form(request):
    """Public: type a certificate's code to check it."""
    form = CertificateVerifyForm(request.GET or None)
    if form.is_valid():
        code = normalise_verification_code(form.cleaned_data["code"])
        if code:
            return redirect("events:certificate_verify", code=code)
        form.add_error("code", "Please type the code printed on the certificate.")
    return render(request, "events/attendance/certificate_verify.html", {"form": form})


@require_GET
def certificate_verify(request, code):
    """Public (no sign-in): is this certificate genuine? Shows what the certificate
    says, or that no such certificate exists (404)."""
    normalised = normalise_verification_code(code)
    if normalised != code and normalised:
        return redirect("events:certificate_verify", code=normalised)
    found = selectors.verified_certificate(normalised)
    context = {
        "form": CertificateVerifyForm(initial={"code": code}),
        "code": code,
        "attendance": found,
        "checked": True,
        "hours": exporters.format_hours(found.booking.event.cpd_hours) if found else None,
    }
    return render(request, "events/attendance/certificate_verify.html", context, status=200 if found else 404)


# -- My CPD record ------------------------------------------------------------------------


@login_required
@require_GET
def my_cpd(request):
    """The signed-in person's CPD record: attended events and hours, year totals,
    certificates, calendar downloads and the calendar feed."""
    record = selectors.cpd_record(request.user)
    page = None
    if record:
        # The person's credited attendance with its rows, remembered for them under the
        # records' generation (a register taken or corrected moves it on).
        page = remembered.remember_page(
            "cpd-entries",
            ("person", request.user.person_id),
            record.page_entries(),
            request.GET.get("page"),
            size=CPD_PAGE_SIZE,
            prepare=booking_rows.with_cpd_rows,
            count=lambda: record.totals["events"],  # the same rows, already counted
        )
    return render(request, "events/attendance/cpd_record.html", {"record": record, "page": page})


@login_required
@require_GET
def my_cpd_csv(request):
    """The CPD record as CSV, one row per attended event."""
    record = selectors.cpd_record(request.user)
    return csv_response(
        f"cpd-record-{timezone.localdate():%Y-%m-%d}.csv",
        exporters.CPD_RECORD_HEADER,
        exporters.cpd_record_rows(record.entries.iterator() if record else ()),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def calendar_feed_manage(request):
    """Make (or remake) the personal calendar feed URL, or revoke it. A new URL is shown
    on this response only: it is not stored, so it cannot be shown again."""
    if request.method == "GET":
        return redirect("events:my_cpd")
    person = request.user.person
    if person is None:
        raise Http404
    if request.POST.get("action") == "revoke":
        revoked = services.calendar_feed_revoke(person=person, by=request.user)
        messages.success(
            request,
            "Your calendar feed is switched off. Calendars subscribed to it will stop updating."
            if revoked
            else "You had no calendar feed to switch off.",
        )
        return redirect("events:my_cpd")
    _feed, token = services.calendar_feed_create(person=person, by=request.user)
    return render(request, "events/attendance/feed_created.html", {"feed_url": exporters.feed_url(token)})


@never_cache
@require_GET
def calendar_feed(request, token):
    """Public: a person's confirmed bookings as an iCal feed. The token is the
    credential; an unknown or revoked one (or a closed account) is 404."""
    feed = selectors.feed_for_token(token)
    if feed is None:
        raise Http404
    user = getattr(feed.person, "user", None)
    if user is not None and not user.is_active:
        raise Http404
    # Visits on the person's diary join their bookings (events/visits).
    visits = (visit_exporters.visit_vevent(v) for v in visit_selectors.feed_visits(feed.person))
    response = HttpResponse(
        exporters.feed_ics(selectors.feed_bookings(feed.person), extra=visits),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="cpd-bookings.ics"'
    return response


@login_required
@require_GET
def booking_ics(request, pk):
    """One confirmed booking as an .ics file to add to a calendar."""
    booking = selectors.calendar_booking(request.user, pk)
    response = HttpResponse(exporters.booking_ics(booking), content_type="text/calendar; charset=utf-8")
    name = slugify(booking.event.title)[:50] or "event"
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


# -- The trust executive's view ----------------------------------------------------------


@login_required
@require_GET
@permission_required("events.open_trust_cpd")
def trust_cpd(request, pk):
    """One trust's CPD bookings and attendance, by academy and by event, for an
    academic year, and its academies with nobody at any CPD."""
    trust = selectors.trust_cpd_trust(request.user, pk)
    today = timezone.localdate()
    form = AcademicYearForm(request.GET or None, today=today)
    start = form.cleaned_data["year"] if form.is_valid() else form.fields["year"].initial
    year = selectors.academic_year_starting(start)
    data = selectors.trust_cpd(request.user, trust, year=year)
    return render(
        request,
        "events/attendance/trust_cpd.html",
        {"trust": trust, "year": year, "form": form, "is_current": year.contains(today), **data},
    )
