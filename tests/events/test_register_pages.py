"""The register pages: bulk marking, the CSV upload with its report, overrides, who may
open them, and the query count."""

import pytest
from django.urls import reverse

from events.models import Attendance
from tests import factories as f
from tests.events.cpd_helpers import csv_file, past_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world):
    return past_event(world.network, title="Teaching electricity with models")


def test_register_lists_confirmed_bookings_only(client, world, event):
    f.BookingFactory(event=event, person=world.person_a)
    f.BookingFactory(event=event, person=world.person_b, status="waitlisted")
    client.force_login(world.coordinator)
    response = client.get(reverse("events:event_register", args=[event.pk]))
    assert response.status_code == 200
    assert world.person_a.full_name in response.text
    assert world.person_b.full_name not in response.text


def test_register_bulk_post_marks_the_ticked_people(client, world, event):
    ticked = [f.BookingFactory(event=event, person=f.PersonFactory(academy=world.academy_a)) for _ in range(2)]
    not_ticked = f.BookingFactory(event=event, person=world.person_a)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("events:event_register", args=[event.pk]),
        {"booking": [b.pk for b in ticked], "action": "attended", "page": "1"},
        follow=True,
    )
    assert response.status_code == 200
    assert "2 people marked attended." in response.text
    assert set(Attendance.objects.filter(attended=True).values_list("booking_id", flat=True)) == {b.pk for b in ticked}
    assert not Attendance.objects.filter(booking=not_ticked).exists()


def test_register_bulk_post_without_ticks_says_so(client, world, event):
    f.BookingFactory(event=event, person=world.person_a)
    client.force_login(world.coordinator)
    response = client.post(reverse("events:event_register", args=[event.pk]), {"action": "absent"}, follow=True)
    assert "Tick at least one person first." in response.text
    assert not Attendance.objects.exists()


def test_register_import_shows_the_report_with_row_numbers(client, world, event):
    person = f.PersonFactory(academy=world.academy_a, email="ada.lovelace@school.example")
    f.BookingFactory(event=event, person=person)
    upload = csv_file("Email,Duration (Minutes)\nada.lovelace@school.example,70\nwho@nowhere.example,70\n")
    client.force_login(world.coordinator)
    response = client.post(
        reverse("events:event_register_import", args=[event.pk]), {"file": upload, "minimum_minutes": "45"}
    )
    assert response.status_code == 200
    assert "Import report" in response.text
    assert (
        '<td data-label="Row">3</td><td data-label="Reason">who@nowhere.example has no booking for this event</td>'
        in response.text
    )
    assert Attendance.objects.get(booking__person=person).attended is True


def test_register_import_of_the_wrong_file_explains_and_writes_nothing(client, world, event):
    f.BookingFactory(event=event, person=world.person_a)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("events:event_register_import", args=[event.pk]),
        {"file": csv_file("URN,Name\n1,School\n"), "minimum_minutes": "45"},
    )
    assert response.status_code == 400
    assert "has no email and no minutes attended column" in response.text
    assert not Attendance.objects.exists()


def test_override_page_refuses_a_missing_reason(client, world, event):
    booking = f.BookingFactory(event=event, person=world.person_a)
    client.force_login(world.coordinator)
    url = reverse("events:attendance_override", args=[event.pk, booking.pk])
    response = client.post(url, {"attended": "yes", "reason": "  "})
    assert response.status_code == 200
    assert "Please say why you are overriding the attendance." in response.text
    assert not Attendance.objects.exists()
    response = client.post(url, {"attended": "yes", "reason": "Signed the paper register"})
    assert response.status_code == 302
    row = Attendance.objects.get(booking=booking)
    assert (row.attended, row.override_reason, row.overridden_by) == (
        True,
        "Signed the paper register",
        world.coordinator,
    )
    page = client.get(url)
    assert "Signed the paper register" in page.text  # the history is shown


def test_override_of_a_booking_of_another_event_is_404(client, world, event):
    other = f.BookingFactory(event=past_event(world.network), person=world.person_a)
    client.force_login(world.coordinator)
    assert client.get(reverse("events:attendance_override", args=[event.pk, other.pk])).status_code == 404


def test_register_is_404_for_leaders_but_open_to_the_events_hub_lead(client, world):
    event = past_event(world.network, hub=world.hub, kind="hub_meeting")
    client.force_login(world.leader_a)
    url = reverse("events:event_register", args=[event.pk])
    assert client.get(url).status_code == 404
    world.hub.deputy_lead = world.person_a
    world.hub.save()
    assert client.get(url).status_code == 200


def test_register_has_no_n_plus_one(world, event, assert_no_n_plus_one):
    def booking(attendance=None, **kwargs):
        b = f.BookingFactory(event=event, person=f.PersonFactory(academy=f.AcademyFactory()), **kwargs)
        if attendance:
            Attendance.objects.create(booking=b, **attendance)
        return b

    booking({"attended": True, "source": "register", "marked_by": world.coordinator})

    def grow():
        booking({"attended": False, "source": "platform_csv", "minutes_attended": 12, "marked_by": world.coordinator})
        booking(
            {
                "attended": True,
                "source": "override",
                "overridden_by": world.coordinator,
                "override_reason": "Phone",
                "marked_by": world.coordinator,
            },
            session=f.SessionFactory(event=event),
        )
        booking()

    assert_no_n_plus_one(reverse("events:event_register", args=[event.pk]), grow, user=world.coordinator)


def test_event_page_links_to_the_register_for_those_who_take_it(client, world, event):
    url = reverse("events:event_register", args=[event.pk])
    client.force_login(world.coordinator)
    assert url in client.get(reverse("events:event_detail", args=[event.pk])).text
    client.force_login(world.leader_a)
    assert url not in client.get(reverse("events:event_detail", args=[event.pk])).text
