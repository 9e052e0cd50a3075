"""Attendance services: the register, the meeting platform's CSV, overrides, and CPD
hours credited only for attendance."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from events.attendance import services as svc
from events.attendance.platform_report import attendance_import_csv, parse_minutes
from events.attendance.selectors import cpd_hours
from events.models import Attendance
from tests import factories as f
from tests.events.cpd_helpers import attended, csv_file, past_event
from trusts.importers.base import ImportFileError

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world):
    return past_event(world.network)


def _booking(event, world, email=None, **kwargs):
    person = f.PersonFactory(academy=world.academy_a, **({"email": email} if email else {}))
    return f.BookingFactory(event=event, person=person, **kwargs)


# -- The register ------------------------------------------------------------------------


def test_attendance_mark_records_who_and_keeps_history(world, event):
    booking = _booking(event, world)
    svc.attendance_mark(booking=booking, attended=True, by=world.coordinator)
    row = Attendance.objects.get(booking=booking)
    assert (row.attended, row.source, row.marked_by) == (True, "register", world.coordinator)
    svc.attendance_mark(booking=booking, attended=False, by=world.coordinator)
    history = list(row.history.order_by("history_date").values_list("attended", "history_user_id"))
    assert history == [(True, world.coordinator.pk), (False, world.coordinator.pk)]


def test_attendance_mark_before_event_starts_is_refused(world):
    booking = f.BookingFactory(event=f.EventFactory(network=world.network), person=world.person_a)
    with pytest.raises(ValidationError, match="not started"):
        svc.attendance_mark(booking=booking, attended=True, by=world.coordinator)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("status", ["waitlisted", "cancelled", "pending_approval"])
def test_attendance_mark_unconfirmed_booking_is_refused(world, event, status):
    booking = _booking(event, world, status=status)
    with pytest.raises(ValidationError, match="Only confirmed bookings"):
        svc.attendance_mark(booking=booking, attended=True, by=world.coordinator)


def test_attendance_mark_cancelled_event_is_refused(world):
    event = past_event(world.network, status="cancelled")
    booking = _booking(event, world)
    with pytest.raises(ValidationError, match="cancelled"):
        svc.attendance_mark(booking=booking, attended=True, by=world.coordinator)


@pytest.mark.parametrize("role", ["leader_a", "executive_a", "visitor"])
def test_attendance_mark_by_non_coordinator_is_refused(world, event, role):
    booking = _booking(event, world)
    with pytest.raises(PermissionDenied):
        svc.attendance_mark(booking=booking, attended=True, by=getattr(world, role))


def test_hub_lead_takes_the_register_of_their_hubs_event(world):
    world.hub.lead = world.person_a
    world.hub.save()
    event = past_event(world.network, hub=world.hub, kind="hub_meeting")
    booking = _booking(event, world)
    svc.attendance_mark(booking=booking, attended=True, by=world.leader_a)
    assert Attendance.objects.get(booking=booking).marked_by == world.leader_a
    other_hub_event = past_event(world.network, hub=f.HubFactory(network=world.network))
    with pytest.raises(PermissionDenied):
        svc.attendance_mark(booking=_booking(other_hub_event, world), attended=True, by=world.leader_a)


def test_attendance_mark_bulk_marks_and_reports_rows_it_may_not_change(world, event):
    plain = [_booking(event, world) for _ in range(3)]
    from_platform = _booking(event, world)
    Attendance.objects.create(booking=from_platform, attended=False, minutes_attended=5, source="platform_csv")
    other_event_booking = _booking(past_event(world.network), world)
    ids = [b.pk for b in plain] + [from_platform.pk, other_event_booking.pk]

    result = svc.attendance_mark_bulk(event=event, booking_ids=ids, attended=True, by=world.coordinator)

    assert (result.changed, result.unchanged) == (3, 0)
    assert [(b.pk, "override" in reason) for b, reason in result.refused] == [(from_platform.pk, True)]
    assert Attendance.objects.filter(attended=True).count() == 3
    assert not Attendance.objects.filter(booking=other_event_booking).exists()
    again = svc.attendance_mark_bulk(
        event=event, booking_ids=[b.pk for b in plain], attended=True, by=world.coordinator
    )
    assert (again.changed, again.unchanged) == (0, 3)


# -- Overrides -----------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_attendance_override_without_reason_is_refused(world, event, reason):
    booking = _booking(event, world)
    with pytest.raises(ValidationError) as error:
        svc.attendance_override(booking=booking, attended=True, reason=reason, by=world.coordinator)
    assert "reason" in error.value.message_dict
    assert not Attendance.objects.exists()


def test_attendance_override_records_who_why_and_when(world, event):
    booking = _booking(event, world)
    Attendance.objects.create(booking=booking, attended=False, minutes_attended=12, source="platform_csv")
    row = svc.attendance_override(
        booking=booking, attended=True, reason="Joined by phone; not on the report", by=world.coordinator
    )
    assert (row.attended, row.source, row.minutes_attended) == (True, "override", 12)
    assert row.overridden_by == world.coordinator
    assert row.override_reason == "Joined by phone; not on the report"
    assert row.overridden_at is not None
    latest = row.history.latest()
    assert latest.history_user == world.coordinator
    assert latest.history_change_reason == "Override: Joined by phone; not on the report"


def test_register_does_not_undo_an_override(world, event):
    booking = _booking(event, world)
    svc.attendance_override(booking=booking, attended=True, reason="Came late, stayed", by=world.coordinator)
    with pytest.raises(ValidationError, match="override"):
        svc.attendance_mark(booking=booking, attended=False, by=world.coordinator)
    assert Attendance.objects.get(booking=booking).attended is True


# -- The platform's CSV ---------------------------------------------------------------------


def test_import_csv_marks_attended_absent_and_reports_bad_rows_with_numbers(world, event):
    good = _booking(event, world, email="ada.lovelace@school.example")
    short = _booking(event, world, email="mary.anning@school.example")
    waitlisted = _booking(event, world, email="rosalind.franklin@school.example", status="waitlisted")
    text = (
        "Name,Email,Duration (Minutes)\n"
        "Ada,Ada.Lovelace@school.example,80\n"  # row 2: attended (case of the email ignored)
        "Mary,mary.anning@school.example,20\n"  # row 3: under the minimum → absent
        "Someone,nobody@elsewhere.example,90\n"  # row 4: no booking
        "Ada again,ada.lovelace@school.example,lots\n"  # row 5: malformed minutes
        "Rosalind,rosalind.franklin@school.example,85\n"  # row 6: booking not confirmed
        "Broken,not-an-email,60\n"  # row 7
    )
    report = attendance_import_csv(event=event, file=csv_file(text), minimum_minutes=45, by=world.coordinator)

    assert report.created == 2
    assert [row for row, _ in report.errors] == [4, 5, 6, 7]
    reasons = dict(report.errors)
    assert "nobody@elsewhere.example has no booking" in reasons[4]
    assert "'lots' is not a number of minutes" in reasons[5]
    assert "waitlist" in reasons[6]
    assert "not an email address" in reasons[7]
    rows = {a.booking_id: a for a in Attendance.objects.all()}
    assert (rows[good.pk].attended, rows[good.pk].minutes_attended, rows[good.pk].source) == (True, 80, "platform_csv")
    assert (rows[short.pk].attended, rows[short.pk].minutes_attended) == (False, 20)
    assert waitlisted.pk not in rows
    assert report.details["attended"] == 1
    assert report.details["absent (under 45 minutes)"] == 1


def test_import_csv_twice_changes_nothing(world, event):
    _booking(event, world, email="ada.lovelace@school.example")
    _booking(event, world, email="mary.anning@school.example")
    text = "Email,Minutes attended\nada.lovelace@school.example,80\nmary.anning@school.example,10\n"
    attendance_import_csv(event=event, file=csv_file(text), minimum_minutes=45, by=world.coordinator)
    history_before = Attendance.history.count()

    second = attendance_import_csv(event=event, file=csv_file(text), minimum_minutes=45, by=world.coordinator)

    assert (second.created, second.updated, second.unchanged, second.errors) == (0, 0, 2, [])
    assert Attendance.history.count() == history_before
    # A different rule on the same file changes only what it decides differently.
    third = attendance_import_csv(event=event, file=csv_file(text), minimum_minutes=5, by=world.coordinator)
    assert (third.updated, third.unchanged) == (1, 1)
    assert Attendance.objects.filter(attended=True).count() == 2


@pytest.mark.parametrize(
    ("header", "encoding"),
    [
        ("Email,Minutes attended", "utf-8"),
        ("Attendee Email,Duration (Minutes)", "utf-8-sig"),
        ("Name (Original Name),User Email,Total Duration (Minutes),Guest", "cp1252"),
        ("Full Name,Email Address,Time in Session (minutes)", "utf-8-sig"),
    ],
)
def test_import_csv_reads_platform_header_variants_and_encodings(world, event, header, encoding):
    booking = _booking(event, world, email="sian.jones@school.example")
    columns = header.split(",")
    values = {
        c: ("sian.jones@school.example" if "mail" in c.lower() else "70" if "inute" in c.lower() else "Siân Jones")
        for c in columns
    }
    text = header + "\n" + ",".join(values[c] for c in columns) + "\n"
    report = attendance_import_csv(event=event, file=csv_file(text, encoding), minimum_minutes=45, by=world.coordinator)
    assert (report.created, report.errors) == (1, [])
    assert Attendance.objects.get(booking=booking).minutes_attended == 70


def test_import_csv_adds_up_minutes_of_someone_who_rejoined(world, event):
    booking = _booking(event, world, email="ada.lovelace@school.example")
    text = "Email,Duration (Minutes)\nada.lovelace@school.example,30\nada.lovelace@school.example,25\n"
    report = attendance_import_csv(event=event, file=csv_file(text), minimum_minutes=45, by=world.coordinator)
    row = Attendance.objects.get(booking=booking)
    assert (row.attended, row.minutes_attended) == (True, 55)
    assert report.errors == []


def test_import_csv_keeps_a_manual_override(world, event):
    booking = _booking(event, world, email="ada.lovelace@school.example")
    svc.attendance_override(
        booking=booking, attended=True, reason="Connection failed; watched the recording live", by=world.coordinator
    )
    text = "Email,Minutes attended\nada.lovelace@school.example,3\n"
    report = attendance_import_csv(event=event, file=csv_file(text), minimum_minutes=45, by=world.coordinator)
    row = Attendance.objects.get(booking=booking)
    assert (row.attended, row.source) == (True, "override")
    assert report.details["people kept as a manual override set them"] == 1


def test_import_csv_that_is_not_an_attendance_report_writes_nothing(world, event):
    _booking(event, world, email="ada.lovelace@school.example")
    text = "URN,EstablishmentName\n100000,Somewhere School\n"
    with pytest.raises(ImportFileError, match="has no email and no minutes attended column"):
        attendance_import_csv(event=event, file=csv_file(text), minimum_minutes=45, by=world.coordinator)
    assert not Attendance.objects.exists()


def test_import_csv_counts_confirmed_bookings_missing_from_the_file(world, event):
    _booking(event, world, email="ada.lovelace@school.example")
    _booking(event, world)
    text = "Email,Minutes attended\nada.lovelace@school.example,60\n"
    report = attendance_import_csv(event=event, file=csv_file(text), minimum_minutes=45, by=world.coordinator)
    assert report.details["confirmed bookings not in the file (left as they were)"] == 1


@pytest.mark.parametrize(
    ("value", "minutes"),
    [("47", 47), ("47.9", 47), ("0", 0), ("1:05:30", 65), ("1h 5m 30s", 65), ("45 mins", 45), ("2h", 120)],
)
def test_parse_minutes_reads_what_platforms_write(value, minutes):
    assert parse_minutes(value) == minutes


@pytest.mark.parametrize("value", ["lots", "-5", "47:30", "", "NaN", "1:75:00"])
def test_parse_minutes_refuses_what_it_cannot_read(value):
    with pytest.raises(ValueError):
        parse_minutes(value)


# -- CPD hours -------------------------------------------------------------------------------


def test_cpd_hours_are_credited_only_for_attendance(world):
    person = world.person_a
    came = f.BookingFactory(event=past_event(world.network, cpd_hours=Decimal("1.5")), person=person)
    absent = f.BookingFactory(event=past_event(world.network, cpd_hours=Decimal("3")), person=person)
    f.BookingFactory(event=past_event(world.network, cpd_hours=Decimal("6")), person=person)  # not marked
    cancelled = f.BookingFactory(
        event=past_event(world.network, cpd_hours=Decimal("2")), person=person, status="cancelled"
    )
    attended(came)
    attended(absent, attended=False)
    attended(cancelled)  # a stray tick on a cancelled booking earns nothing
    assert cpd_hours(world.leader_a, person_id=person.pk) == Decimal("1.5")
    assert cpd_hours(world.coordinator, person_id=person.pk) == Decimal("1.5")
