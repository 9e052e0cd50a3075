"""Booking and attendance as people do them, in a real Chromium: a leader finds an event,
books it, sees it in "My bookings" and cancels, and the first person on the waitlist is
promoted; a coordinator takes the register; the leader's CPD record, certificate check
and calendar feed. axe-core runs on every page visited."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from events.attendance.selectors import academic_year
from events.models import Attendance, Booking
from events.services.booking import booking_create
from tests import factories as f
from tests.e2e.conftest import axe, nav, sign_in
from tests.events.cpd_helpers import past_event

pytestmark = pytest.mark.e2e


def _nav(page, name):
    nav(page, name)


def test_leader_books_sees_and_cancels_and_the_waitlist_moves_up(page, transactional_db):
    trust = f.TrustFactory(name="Pennine Learning Trust")
    academy = f.AcademyFactory(trust=trust, name="Burnley Road Academy")
    network = f.NetworkFactory(name="North West Science Network", slug="nw-science")
    network.member_trusts.set([trust])
    event = f.EventFactory(network=network, title="Required practicals that work", capacity=1, cpd_hours=Decimal("1.5"))
    f.EventFactory(network=network, title="Assessment without levels")
    leader = f.leader(academy, full_name="Tom Hughes")
    first, second = (f.PersonFactory(academy=academy, first_name=n, last_name="Price") for n in ("Owen", "Nia"))

    sign_in(page, leader)
    _nav(page, "CPD events")
    page.wait_for_url("**/events/")
    axe(page)
    page.get_by_role("link", name="Required practicals that work", exact=True).click()
    page.wait_for_url(f"**/events/{event.pk}/")
    axe(page)
    page.get_by_role("button", name="Book a place").click()
    page.wait_for_url(f"**/events/{event.pk}/")
    assert Booking.objects.get(event=event, person=leader.person).status == "confirmed"

    # The event is now full: two colleagues join the waitlist, in this order.
    for person in (first, second):
        assert booking_create(event=event, person=person, by=None).status == "waitlisted"

    _nav(page, "My bookings")
    page.wait_for_url("**/events/my-bookings/")
    row = page.get_by_role("row").filter(has_text="Required practicals that work")
    assert row.is_visible()
    assert "Confirmed" in row.inner_text()
    assert row.get_by_role("link", name=re.compile("^Add to calendar")).is_visible()
    axe(page)

    row.get_by_role("link", name="Cancel booking").click()
    # It asks first, on a page of its own (no JavaScript): nothing changes until confirmed.
    page.wait_for_url(re.compile(r".*/events/bookings/\d+/cancel/\?next=.*"))
    assert page.get_by_role("heading", name="Cancel your booking?").is_visible()
    axe(page)
    assert Booking.objects.get(event=event, person=leader.person).status == "confirmed"
    page.get_by_role("button", name="Yes, cancel the booking").click()
    page.wait_for_url("**/events/my-bookings/")
    assert page.get_by_role("alert").first.is_visible()
    axe(page)

    statuses = dict(Booking.objects.filter(event=event).values_list("person_id", "status"))
    assert statuses == {leader.person.pk: "cancelled", first.pk: "confirmed", second.pk: "waitlisted"}


def test_coordinator_takes_the_register_and_the_leader_gets_the_hours(page, transactional_db, live_server):
    trust = f.TrustFactory(name="Pennine Learning Trust")
    academy = f.AcademyFactory(trust=trust, name="Burnley Road Academy")
    network = f.NetworkFactory(name="North West Science Network", slug="nw-science")
    network.member_trusts.set([trust])
    year_start, _ = academic_year(timezone.localdate()).bounds()  # in this academic year, whatever the date
    starts_at = max(year_start, timezone.now() - datetime.timedelta(days=1))
    event = past_event(network, starts_at=starts_at, title="Teaching electricity with models", cpd_hours=Decimal("1.5"))
    leader = f.leader(academy, full_name="Tom Hughes")
    colleague = f.PersonFactory(academy=academy, first_name="Amira", last_name="Hussain")
    for person in (leader.person, colleague):
        f.BookingFactory(event=event, person=person)
    coordinator = f.coordinator(full_name="Priya Shah")
    executive = f.trust_executive(trust, full_name="Helen Ward")

    # The coordinator ticks Tom and marks him attended; Amira is overridden as absent.
    sign_in(page, coordinator)
    page.goto(f"/events/{event.pk}/")
    page.get_by_role("link", name="Register and attendance").click()
    page.wait_for_url(f"**/events/{event.pk}/register/")
    axe(page)
    page.get_by_label(f"Select {leader.person.full_name}").check()
    page.get_by_role("button", name="Mark selected as attended").click()
    page.wait_for_url(re.compile(rf".*/events/{event.pk}/register/.*"))
    assert page.get_by_text("1 person marked attended.").is_visible()
    axe(page)
    page.get_by_role("link", name=f"Override attendance of {colleague.full_name}").click()
    axe(page)
    page.get_by_label("Absent").check()
    page.get_by_label("Reason for the override").fill("Sent apologies on the day")
    page.get_by_role("button", name="Save the override").click()
    page.wait_for_url(f"**/events/{event.pk}/register/")
    assert Attendance.objects.get(booking__person=colleague).override_reason == "Sent apologies on the day"
    page.context.clear_cookies()

    # Tom's CPD record: the hours, a certificate, and a calendar feed.
    sign_in(page, leader)
    _nav(page, "My CPD record")
    page.wait_for_url("**/cpd/")
    assert "1.5 hours" in page.get_by_role("main").inner_text()
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Download \\(PDF\\)")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("button", name="Make my calendar feed").click()
    feed_url = page.get_by_label("Your private feed address").input_value()
    assert feed_url.endswith(".ics")
    axe(page)
    page.context.clear_cookies()

    # Anyone can check the certificate; the executive sees the trust's figures.
    code = Attendance.objects.get(booking__person=leader.person).verification_code
    page.goto("/certificates/verify/")
    axe(page)
    page.get_by_label("Verification code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Check the certificate").click()
    assert page.get_by_role("heading", name="This certificate is genuine").is_visible()
    assert leader.person.full_name in page.get_by_role("main").inner_text()
    axe(page)

    sign_in(page, executive)
    page.get_by_role("link", name=re.compile("^CPD bookings and attendance")).click()
    page.wait_for_url(f"**/cpd/trusts/{trust.pk}/")
    main = page.get_by_role("main").inner_text()
    assert "Burnley Road Academy" in main and "Teaching electricity with models" in main
    axe(page)
