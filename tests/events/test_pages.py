"""The leader's event pages: browse and filter, book (once), the joining link for
confirmed attendees only, my bookings, cancel, offers, approvals, booking on behalf."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Booking
from events.services.booking import booking_create
from events.services.notifications import approval_token
from tests import factories as f
from trusts.models import JobRole

pytestmark = pytest.mark.django_db
Status = Booking.Status


def _texts(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_event_list_filters_and_shows_places_left(client, world):
    hub_event = f.EventFactory(network=world.network, hub=world.hub, kind="hub_meeting", capacity=5, title="Hub termly")
    f.BookingFactory(event=hub_event)
    f.EventFactory(network=world.network, title="ECT webinar", audience_roles=[JobRole.ECT])
    f.EventFactory(network=world.network, title="Old one", starts_at=timezone.now() - timedelta(days=3))
    f.EventFactory(network=world.network, title="Called off", status="cancelled")
    client.force_login(world.leader_a)
    page = client.get(reverse("events:event_list")).context["page"]
    titles = [e.title for e in page.object_list]
    assert titles == ["Hub termly", "ECT webinar"]
    assert page.object_list[0].places_left == 4
    mine = client.get(reverse("events:event_list"), {"for_me": "on"}).context["page"]
    assert [e.title for e in mine.object_list] == ["Hub termly"]
    by_kind = client.get(reverse("events:event_list"), {"kind": "hub_meeting"}).context["page"]
    assert [e.title for e in by_kind.object_list] == ["Hub termly"]
    by_hub = client.get(reverse("events:event_list"), {"hub": world.hub.pk}).context["page"]
    assert [e.title for e in by_hub.object_list] == ["Hub termly"]
    day = timezone.localtime(hub_event.starts_at).date()
    later = client.get(reverse("events:event_list"), {"date_from": (day + timedelta(days=1)).isoformat()})
    assert list(later.context["page"].object_list) == []


def test_for_my_role_does_not_confuse_teacher_with_headteacher(client, world):
    f.EventFactory(network=world.network, title="For headteachers", audience_roles=[JobRole.HEADTEACHER])
    teacher = f.UserFactory(person=f.PersonFactory(academy=world.academy_a, job_role=JobRole.TEACHER))
    client.force_login(teacher)
    page = client.get(reverse("events:event_list"), {"for_me": "on"}).context["page"]
    assert list(page.object_list) == []


def test_book_from_the_detail_page_and_see_the_joining_link(client, world):
    event = f.EventFactory(network=world.network, joining_link="https://meet.example/secret-room")
    client.force_login(world.leader_a)
    detail = client.get(reverse("events:event_detail", args=[event.pk]))
    assert b"secret-room" not in detail.content
    assert b"Book a place" in detail.content
    response = client.post(reverse("events:event_book", args=[event.pk]), follow=True)
    assert "booked on" in " ".join(_texts(response))
    assert b"secret-room" in response.content
    booking = Booking.objects.get(event=event)
    assert (booking.person, booking.booked_by, booking.status) == (world.person_a, world.leader_a, Status.CONFIRMED)


def test_double_submit_books_once(client, world):
    event = f.EventFactory(network=world.network)
    client.force_login(world.leader_a)
    url = reverse("events:event_book", args=[event.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert Booking.objects.filter(event=event).count() == 1


def test_joining_link_hidden_from_waitlisted_and_others(client, world):
    event = f.EventFactory(network=world.network, capacity=1, joining_link="https://meet.example/secret-room")
    f.BookingFactory(event=event)
    client.force_login(world.leader_a)
    detail = client.get(reverse("events:event_detail", args=[event.pk]))
    assert b"This event is full" in detail.content and b"Join the waitlist" in detail.content
    client.post(reverse("events:event_book", args=[event.pk]))
    assert Booking.objects.get(event=event, person=world.person_a).status == Status.WAITLISTED
    for url in (
        reverse("events:event_detail", args=[event.pk]),
        reverse("events:my_bookings"),
        reverse("events:event_list"),
    ):
        assert b"secret-room" not in client.get(url).content, url


def test_booking_refused_shows_the_reason_and_changes_nothing(client, world):
    event = f.EventFactory(network=world.network, booking_opens_at=timezone.now() + timedelta(days=2))
    client.force_login(world.leader_a)
    detail = client.get(reverse("events:event_detail", args=[event.pk]))
    assert b"Booking for this event opens on" in detail.content
    response = client.post(reverse("events:event_book", args=[event.pk]), follow=True)
    assert "opens on" in " ".join(_texts(response))
    assert not Booking.objects.exists()


def test_conference_booking_needs_a_session_choice(client, world):
    session = f.SessionFactory(event__network=world.network)
    client.force_login(world.leader_a)
    url = reverse("events:event_book", args=[session.event.pk])
    response = client.post(url)
    assert response.status_code == 400
    assert b"Please choose a session." in response.content
    client.post(url, {"session": session.pk})
    assert Booking.objects.get().session == session


def test_my_bookings_lists_upcoming_and_past_and_cancels(client, world):
    soon = f.EventFactory(network=world.network, title="Soon")
    past = f.EventFactory(
        network=world.network,
        title="Last term",
        starts_at=timezone.now() - timedelta(days=40),
        ends_at=timezone.now() - timedelta(days=40) + timedelta(hours=1),
    )
    booking = f.BookingFactory(event=soon, person=world.person_a)
    f.BookingFactory(event=past, person=world.person_a)
    f.BookingFactory(event=soon)  # someone else's
    client.force_login(world.leader_a)
    response = client.get(reverse("events:my_bookings"))
    assert [b.event.title for b in response.context["upcoming"]] == ["Soon"]
    assert [b.event.title for b in response.context["page"].object_list] == ["Last term"]
    assert b"Cancel booking" in response.content
    response = client.post(reverse("events:booking_cancel", args=[booking.pk]), {"confirm": "yes"}, follow=True)
    assert "is cancelled" in " ".join(_texts(response))
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED


def test_waitlist_position_is_shown(client, world):
    event = f.EventFactory(network=world.network, capacity=1)
    f.BookingFactory(event=event)
    f.BookingFactory(event=event, status=Status.WAITLISTED, confirmed_at=None)
    mine = f.BookingFactory(event=event, person=world.person_a, status=Status.WAITLISTED, confirmed_at=None)
    client.force_login(world.leader_a)
    response = client.get(reverse("events:my_bookings"))
    assert [b.waitlist_position for b in response.context["upcoming"]] == [2]
    assert b"Position 2 on the waitlist" in response.content
    assert mine.pk == response.context["upcoming"][0].pk


def test_confirm_an_offer_from_my_bookings(client, world):
    event = f.EventFactory(network=world.network, starts_at=timezone.now() + timedelta(hours=30))
    offer = f.BookingFactory(
        event=event,
        person=world.person_a,
        status=Status.OFFERED,
        offer_expires_at=timezone.now() + timedelta(hours=5),
        confirmed_at=None,
    )
    client.force_login(world.leader_a)
    assert b"Confirm my place" in client.get(reverse("events:my_bookings")).content
    client.post(reverse("events:booking_confirm", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.status == Status.CONFIRMED


def test_another_trusts_booking_is_not_found(client, world):
    booking = f.BookingFactory(person=world.person_b)
    client.force_login(world.leader_a)
    for name in ("events:booking_cancel", "events:booking_confirm", "events:booking_approve", "events:booking_decline"):
        assert client.post(reverse(name, args=[booking.pk]), {"confirm": "yes"}).status_code == 404, name
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    client.force_login(world.executive_a)
    assert client.post(reverse("events:booking_cancel", args=[booking.pk]), {"confirm": "yes"}).status_code == 404


def test_state_changes_need_post_and_csrf(world):
    from django.test import Client

    event = f.EventFactory(network=world.network)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.leader_a)
    assert client.get(reverse("events:event_book", args=[event.pk])).status_code == 405
    assert client.post(reverse("events:event_book", args=[event.pk])).status_code == 403
    assert not Booking.objects.exists()


def test_head_of_science_approves_from_the_approvals_page(client, world):
    teacher = f.PersonFactory(academy=world.academy_a, job_role=JobRole.TEACHER)
    event = f.EventFactory(network=world.network, needs_approval=True)
    booking = booking_create(event=event, person=teacher, by=None)
    outsider = booking_create(
        event=event, person=f.PersonFactory(academy=world.academy_b, job_role=JobRole.TEACHER), by=None
    )
    client.force_login(world.leader_a)
    page = client.get(reverse("events:approvals")).context["page"]
    assert [b.pk for b in page.object_list] == [booking.pk]
    assert client.post(reverse("events:booking_approve", args=[outsider.pk])).status_code == 404
    client.post(reverse("events:booking_approve", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert booking.approved_by == world.leader_a


def test_approving_after_the_start_says_why_on_the_approvals_page(client, world):
    teacher = f.PersonFactory(academy=world.academy_a, job_role=JobRole.TEACHER)
    start = timezone.now() + timedelta(hours=2)
    event = f.EventFactory(
        network=world.network, needs_approval=True, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    booking = booking_create(event=event, person=teacher, by=None)
    past = timezone.now() - timedelta(hours=3)
    type(event).objects.filter(pk=event.pk).update(starts_at=past, ends_at=past + timedelta(hours=1))
    client.force_login(world.leader_a)
    response = client.post(reverse("events:booking_approve", args=[booking.pk]), follow=True)
    assert any("can no longer be approved" in text for text in _texts(response))
    booking.refresh_from_db()
    assert booking.status == Status.PENDING_APPROVAL


def test_teacher_has_no_approvals_page(client, world):
    teacher = f.UserFactory(person=f.PersonFactory(academy=world.academy_a, job_role=JobRole.TEACHER))
    client.force_login(teacher)
    assert client.get(reverse("events:approvals")).status_code == 404


def test_emailed_approval_link_works_without_signing_in(client, world):
    headteacher = f.PersonFactory(academy=world.academy_a, job_role=JobRole.HEADTEACHER)
    teacher = f.PersonFactory(academy=world.academy_a, job_role=JobRole.TEACHER)
    booking = booking_create(event=f.EventFactory(needs_approval=True), person=teacher, by=None)
    url = reverse("events:approval_by_link", args=[approval_token(booking=booking, approver=headteacher)])
    page = client.get(url)
    assert page.status_code == 200 and teacher.full_name.encode() in page.content
    client.post(url, {"action": "decline"})
    booking.refresh_from_db()
    assert booking.status == Status.DECLINED
    assert b"has been decided" in client.get(url).content


def test_emailed_approval_link_does_not_credit_whoever_is_signed_in(client, world):
    headteacher = f.PersonFactory(academy=world.academy_a, job_role=JobRole.HEADTEACHER)
    teacher = f.PersonFactory(academy=world.academy_a, job_role=JobRole.TEACHER)
    booking = booking_create(event=f.EventFactory(needs_approval=True), person=teacher, by=None)
    url = reverse("events:approval_by_link", args=[approval_token(booking=booking, approver=headteacher)])
    client.force_login(world.executive_a)  # the email was forwarded, or the computer is shared
    client.post(url, {"action": "approve"})
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert booking.approved_by is None
    latest = booking.history.first()
    assert latest.history_user is None
    assert latest.history_change_reason == f"Approved by {headteacher}"


def test_trust_science_lead_books_on_behalf_within_their_trust(client, world):
    lead = f.UserFactory(person=f.PersonFactory(academy=None, trust=world.trust_a, job_role=JobRole.TRUST_SCIENCE_LEAD))
    colleague = f.PersonFactory(academy=f.AcademyFactory(trust=world.trust_a))
    event = f.EventFactory(network=world.network)
    client.force_login(lead)
    url = reverse("events:book_on_behalf", args=[event.pk])
    choices = list(client.get(url).context["form"].fields["person"].queryset)
    assert colleague in choices and world.person_a in choices and world.person_b not in choices
    client.post(url, {"person": colleague.pk})
    booking = Booking.objects.get(event=event)
    assert (booking.person, booking.booked_by) == (colleague, lead)
    # Someone in another trust cannot be chosen.
    response = client.post(url, {"person": world.person_b.pk})
    assert response.status_code == 200 and response.context["form"].errors
    assert Booking.objects.filter(event=event).count() == 1


def test_trust_science_lead_sees_and_cancels_bookings_made_for_others(client, world):
    lead = f.UserFactory(person=f.PersonFactory(academy=None, trust=world.trust_a, job_role=JobRole.TRUST_SCIENCE_LEAD))
    colleague = f.PersonFactory(academy=f.AcademyFactory(trust=world.trust_a, name="Northfield Academy"))
    event = f.EventFactory(network=world.network, title="Required practicals")
    client.force_login(lead)
    client.post(reverse("events:book_on_behalf", args=[event.pk]), {"person": colleague.pk})
    made = Booking.objects.get(event=event, person=colleague)
    f.BookingFactory(event=f.EventFactory(network=world.network), person=lead.person, booked_by=lead)  # their own
    f.BookingFactory(event=f.EventFactory(network=world.network), person=colleague)  # booked by someone else
    response = client.get(reverse("events:my_bookings"))
    assert [b.pk for b in response.context["made"].object_list] == [made.pk]
    assert b"Bookings I made for others" in response.content and b"Northfield Academy" in response.content
    response = client.post(
        reverse("events:booking_cancel", args=[made.pk]),
        {"next": reverse("events:my_bookings"), "confirm": "yes"},
        follow=True,
    )
    assert f"{colleague.full_name}'s booking for “Required practicals” is cancelled." in _texts(response)
    made.refresh_from_db()
    assert (made.status, made.cancelled_by) == (Status.CANCELLED, lead)


def test_bookings_made_for_others_are_paginated(client, world):
    for _ in range(22):
        f.BookingFactory(event=f.EventFactory(network=world.network), booked_by=world.coordinator)
    client.force_login(world.coordinator)
    first = client.get(reverse("events:my_bookings")).context["made"]
    assert (len(first.object_list), first.paginator.num_pages) == (20, 2)
    second = client.get(reverse("events:my_bookings"), {"made_page": 2}).context["made"]
    assert len(second.object_list) == 2


def test_leaders_who_cannot_book_on_behalf_have_no_made_for_others_section(client, world):
    f.BookingFactory(event=f.EventFactory(network=world.network), person=world.person_b, booked_by=world.leader_a)
    client.force_login(world.leader_a)
    response = client.get(reverse("events:my_bookings"))
    assert response.context["made"] is None
    assert b"Bookings I made for others" not in response.content


def test_pages_show_cpd_hours_as_people_write_them(client, world):
    event = f.EventFactory(network=world.network, needs_approval=True, cpd_hours="1.50")
    ended = timezone.now() - timedelta(days=10)
    f.BookingFactory(
        event=f.EventFactory(
            network=world.network, cpd_hours="2.00", starts_at=ended, ends_at=ended + timedelta(hours=2)
        ),
        person=world.person_a,
    )
    headteacher = f.PersonFactory(academy=world.academy_a, job_role=JobRole.HEADTEACHER)
    booking = booking_create(
        event=event, person=f.PersonFactory(academy=world.academy_a, job_role=JobRole.TEACHER), by=None
    )
    link = reverse("events:approval_by_link", args=[approval_token(booking=booking, approver=headteacher)])
    client.force_login(world.leader_a)
    for url, shown in [
        (reverse("events:event_list"), "1.5"),
        (reverse("events:event_detail", args=[event.pk]), "1.5"),
        (reverse("events:my_bookings"), "2"),
        (link, "1.5"),
    ]:
        html = client.get(url).content.decode()
        assert "1.50" not in html and "2.00" not in html, url
        assert f">{shown}</" in html, url


def test_book_on_behalf_search_finds_people_by_name_email_or_academy(client, world):
    riverside = f.AcademyFactory(trust=world.trust_a, name="Riverside Academy")
    ada = f.PersonFactory(
        first_name="Ada", last_name="Lovelace", email="a.lovelace@riverside.example", academy=riverside
    )
    alan = f.PersonFactory(
        first_name="Alan", last_name="Turing", email="aturing@bletchley.example", academy=world.academy_b
    )
    grace = f.PersonFactory(first_name="Grace", last_name="Hopper", academy=riverside)
    event = f.EventFactory(network=world.network)
    url = reverse("events:book_on_behalf", args=[event.pk])
    client.force_login(world.coordinator)

    def shown(q):
        return [p.pk for p in client.get(url, {"q": q}).context["shown"]]

    assert shown("lovelace") == [ada.pk]
    assert shown("BLETCHLEY") == [alan.pk]
    assert shown("riverside") == [grace.pk, ada.pk]  # by surname
    assert shown("ada riverside") == [ada.pk]  # every word must match
    assert shown(str(riverside.urn)) == [grace.pk, ada.pk]
    response = client.get(url, {"q": "nobody-by-this-name"})
    assert response.context["shown"] == [] and b"No one you may book for matches" in response.content
    # Choose from the results; the page comes back with the search kept.
    response = client.post(f"{url}?q=lovelace", {"person": ada.pk})
    assert response.status_code == 302 and response["Location"] == f"{url}?q=lovelace"
    assert Booking.objects.get(event=event).person == ada


def test_book_on_behalf_search_stays_within_the_trust_science_leads_trust(client, world):
    lead = f.UserFactory(person=f.PersonFactory(academy=None, trust=world.trust_a, job_role=JobRole.TRUST_SCIENCE_LEAD))
    f.PersonFactory(first_name="Rosalind", last_name="Franklin", academy=world.academy_b)
    ours = f.PersonFactory(first_name="Rosalind", last_name="Elsie", academy=world.academy_a)
    client.force_login(lead)
    url = reverse("events:book_on_behalf", args=[f.EventFactory(network=world.network).pk])
    assert [p.pk for p in client.get(url, {"q": "rosalind"}).context["shown"]] == [ours.pk]
    assert b"No one you may book for" in client.get(url, {"q": "franklin"}).content


def test_book_on_behalf_lists_at_most_50_people_and_asks_to_refine(client, world):
    from events.views import PEOPLE_SHOWN

    academy = f.AcademyFactory(trust=world.trust_a, name="Large Academy")
    for _ in range(PEOPLE_SHOWN + 5):
        f.PersonFactory(academy=academy)
    client.force_login(world.coordinator)
    url = reverse("events:book_on_behalf", args=[f.EventFactory(network=world.network).pk])
    response = client.get(url)
    assert len(response.context["shown"]) == PEOPLE_SHOWN and response.context["more"]
    assert response.content.count(b'name="person"') == PEOPLE_SHOWN
    assert b"Showing the first 50 people" in response.content
    response = client.get(url, {"q": "large"})
    assert b"More than 50 people match" in response.content and b"Refine your search" in response.content
    # Someone in scope but not listed can still be booked (the choice is checked against
    # everyone the coordinator may book for, not against the page).
    unlisted = f.PersonFactory(last_name="Zzz", academy=academy)
    client.post(url, {"person": unlisted.pk})
    assert Booking.objects.filter(person=unlisted).exists()


def test_leader_home_shows_upcoming_bookings(client, world):
    f.BookingFactory(
        event=f.EventFactory(network=world.network, title="Electricity misconceptions"), person=world.person_a
    )
    client.force_login(world.leader_a)
    response = client.get(reverse("network:home"))
    assert b"My upcoming events" in response.content
    assert b"Electricity misconceptions" in response.content


def test_my_data_download_includes_my_bookings(client, world):
    import json

    f.BookingFactory(event=f.EventFactory(network=world.network, title="Forces and motion"), person=world.person_a)
    f.BookingFactory(event=f.EventFactory(network=world.network, title="Not mine"))
    client.force_login(world.leader_a)
    data = json.loads(client.get(reverse("network:my_data"), {"format": "json"}).content)
    assert [b["event"] for b in data["event_bookings"]] == ["Forces and motion"]


def test_my_data_download_includes_attendance_and_calendar_feeds(client, world):
    import json

    from events.attendance.services import calendar_feed_create
    from tests.events.cpd_helpers import attended, past_event

    booking = f.BookingFactory(event=past_event(world.network, title="Waves"), person=world.person_a)
    attendance = attended(booking, minutes=80)
    calendar_feed_create(person=world.person_a, by=world.leader_a)
    client.force_login(world.leader_a)
    data = json.loads(client.get(reverse("network:my_data"), {"format": "json"}).content)
    (entry,) = data["event_bookings"]
    assert entry["attendance"]["attended"] is True and entry["attendance"]["minutes"] == 80
    assert entry["attendance"]["certificate_code"] == attendance.verification_code
    assert len(data["calendar_feeds"]) == 1 and data["calendar_feeds"][0]["revoked_at"] is None


def test_erasing_a_person_switches_their_calendar_feed_off(client, world):
    from events.attendance.services import calendar_feed_create
    from network.base.privacy.erasure import person_erase

    f.BookingFactory(event=f.EventFactory(network=world.network), person=world.person_a)
    _feed, token = calendar_feed_create(person=world.person_a, by=world.leader_a)
    assert client.get(reverse("events:calendar_feed", args=[token])).status_code == 200
    person_erase(person=world.person_a, by=world.coordinator)
    assert client.get(reverse("events:calendar_feed", args=[token])).status_code == 404


def test_event_list_rows_show_my_booking_and_full_events(client, world):
    """Each row's figures (places left, the person's own live booking) are counted for
    the page's rows in one query: a full event offers the waitlist, a cancelled booking
    is not "mine", and another person's booking is never shown as the reader's."""
    full = f.EventFactory(network=world.network, title="Full one", capacity=1)
    f.BookingFactory(event=full, person=world.person_b, status="confirmed")
    waiting = f.EventFactory(network=world.network, title="Waiting one", capacity=3)
    f.BookingFactory(event=waiting, person=world.person_a, status="waitlisted")
    f.BookingFactory(
        event=waiting, person=world.person_b, status="offered", offer_expires_at=timezone.now() + timedelta(days=1)
    )
    gone = f.EventFactory(network=world.network, title="Cancelled mine", capacity=3)
    f.BookingFactory(event=gone, person=world.person_a, status="cancelled")
    client.force_login(world.leader_a)
    response = client.get(reverse("events:event_list"))
    rows = {e.title: e for e in response.context["page"].object_list}
    assert (rows["Full one"].places_left, rows["Full one"].my_status) == (0, None)
    assert (rows["Waiting one"].places_left, rows["Waiting one"].my_status) == (2, "waitlisted")
    assert (rows["Cancelled mine"].places_left, rows["Cancelled mine"].my_status) == (3, None)
    html = response.content.decode()
    assert "Full – waitlist" in html and "On the waitlist" in html
    client.force_login(f.coordinator(email="nobody@network.example"))  # no person: no booking column
    rows = {e.title: e for e in client.get(reverse("events:event_list")).context["page"].object_list}
    assert rows["Waiting one"].my_status is None and rows["Waiting one"].my_trust_taken is None


def test_a_full_event_says_its_waitlist_is_open_without_telling_a_coordinator_to_join(client, world):
    """The Places line is read by everyone: a coordinator (no person record) books others
    onto the waitlist, and only the booking panel invites a reader who can book to join."""
    event = f.EventFactory(network=world.network, capacity=1)
    f.BookingFactory(event=event, person=world.person_b)
    client.force_login(world.coordinator)
    page = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()
    assert "Full (1 place); the waitlist is open" in page and "you can join the waitlist" not in page
    client.force_login(world.leader_a)
    page = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()
    assert "This event is full – join the waitlist?" in page
