"""The sharp edges of booking: two events at the same time (warned, or refused where the
network says so), a confirmation that tells the truth about the joining link, the places
a person's own trust has left, cancelling that asks first, the coordinator's search of
the bookings they made, and the list of who is booked."""

import datetime
from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events.models import Booking
from events.services.booking import booking_cancel, booking_create
from events.services.reminders import reminders_send
from network.base.models import OutboxMessage
from tests import factories as f

pytestmark = pytest.mark.django_db
Status = Booking.Status


def texts(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def clash(world):
    """The leader is booked on a 16:00–17:30 webinar; a hub meeting runs 17:00–18:00."""
    booked = f.EventFactory(network=world.network, title="Required practicals", starts_at=at(10, 16))
    booking_create(event=booked, person=world.person_a, by=None)
    meeting = f.EventFactory(
        network=world.network, title="Pennine hub meeting", starts_at=at(10, 17), ends_at=at(10, 18)
    )
    return booked, meeting


def set_policy(world, policy):
    world.network.overlapping_bookings = policy
    world.network.save()


# -- Overlapping bookings -------------------------------------------------------------


def test_the_event_page_warns_of_a_clash_before_booking(client, world, clash):
    _, meeting = clash
    client.force_login(world.leader_a)
    html = client.get(reverse("events:event_detail", args=[meeting.pk])).content.decode()
    assert "Check the times." in html
    assert "This event overlaps your booking for “Required practicals”" in html
    assert "16:00 to 17:30, confirmed" in html
    assert "Book a place anyway" in html and 'name="overlap_ok" value="1"' in html


def test_a_clash_the_page_did_not_show_is_warned_about_and_nothing_is_booked(client, world, clash):
    _, meeting = clash
    client.force_login(world.leader_a)
    response = client.post(reverse("events:event_book", args=[meeting.pk]), follow=True)
    assert "overlaps your booking for “Required practicals”" in texts(response)
    assert not Booking.objects.filter(event=meeting).exists()


def test_the_person_may_book_anyway_where_the_network_warns(client, world, clash):
    _, meeting = clash
    client.force_login(world.leader_a)
    client.post(reverse("events:event_book", args=[meeting.pk]), {"overlap_ok": "1"})
    assert Booking.objects.get(event=meeting).status == Status.CONFIRMED


def test_a_network_that_refuses_overlaps_refuses_the_booking(client, world, clash):
    _, meeting = clash
    set_policy(world, "refuse")
    client.force_login(world.leader_a)
    html = client.get(reverse("events:event_detail", args=[meeting.pk])).content.decode()
    assert "does not allow overlapping bookings" in html and "Book a place" not in html
    response = client.post(reverse("events:event_book", args=[meeting.pk]), {"overlap_ok": "1"}, follow=True)
    assert "does not allow overlapping bookings, so cancel that booking first" in texts(response)
    assert not Booking.objects.filter(event=meeting).exists()


def test_the_service_refuses_an_overlap_for_whoever_books(world, clash):
    _, meeting = clash
    set_policy(world, "refuse")
    with pytest.raises(ValidationError, match="overlaps another booking"):
        booking_create(event=meeting, person=world.person_a, by=world.coordinator)
    set_policy(world, "warn")  # the default: the service books (the pages did the warning)
    assert booking_create(event=meeting, person=world.person_a, by=None).status == Status.CONFIRMED


@pytest.mark.parametrize(
    ("starts", "ends", "clashes"),
    [
        ((17, 30), (18, 30), False),  # starts as the other ends: back to back is fine
        ((15, 0), (16, 0), False),  # ends as the other starts
        ((15, 0), (16, 1), True),
        ((17, 29), (19, 0), True),
        ((12, 0), (20, 0), True),  # around it
    ],
)
def test_times_clash_only_when_they_overlap(client, world, clash, starts, ends, clashes):
    other = f.EventFactory(network=world.network, starts_at=at(10, *starts), ends_at=at(10, *ends))
    set_policy(world, "refuse")
    client.force_login(world.leader_a)
    html = client.get(reverse("events:event_detail", args=[other.pk])).content.decode()
    assert ("does not allow overlapping bookings" in html) is clashes


def test_a_cancelled_booking_or_event_does_not_clash(world, clash):
    booked, meeting = clash
    set_policy(world, "refuse")
    booking_cancel(booking=Booking.objects.get(event=booked), by=None)
    assert booking_create(event=meeting, person=world.person_a, by=None).status == Status.CONFIRMED


def test_booking_on_behalf_warns_then_books_anyway(client, world, clash):
    _, meeting = clash
    client.force_login(world.coordinator)
    url = reverse("events:book_on_behalf", args=[meeting.pk]) + f"?q={world.person_a.last_name}"
    response = client.post(url, {"person": world.person_a.pk})
    assert response.status_code == 200
    assert f"This event overlaps {world.person_a.full_name}'s booking for “Required practicals”" in unescape(
        response.content.decode()
    )
    assert not Booking.objects.filter(event=meeting).exists()
    client.post(url, {"person": world.person_a.pk, "overlap_ok": "1"})
    assert Booking.objects.get(event=meeting).booked_by == world.coordinator


# -- The confirmation and the joining link ----------------------------------------------


def confirmation(booking) -> str:
    return OutboxMessage.objects.get(key=f"booking:{booking.pk}:confirmed").body_text


def test_a_confirmation_an_hour_or_more_ahead_says_when_the_link_comes(world):
    webinar = f.EventFactory(network=world.network, starts_at=at(3, 16))
    body = confirmation(booking_create(event=webinar, person=world.person_a, by=None))
    assert f"We will email the joining link at 15:00 on {at(3, 15):%d/%m/%Y}, an hour before the start" in body


def test_a_confirmation_minutes_before_the_start_sends_the_link_at_once(world):
    webinar = f.EventFactory(network=world.network, starts_at=timezone.now() + timedelta(minutes=8, seconds=30))
    booking = booking_create(event=webinar, person=world.person_a, by=None)
    body = confirmation(booking)
    assert "an hour before" not in body
    assert "in 8 minutes: the joining link is in the next email" in body
    link = OutboxMessage.objects.get(key=f"booking:{booking.pk}:joining-link")
    assert webinar.joining_link in link.body_text
    # The reminder sweep finds it already sent: one joining-link email, not two.
    assert reminders_send() == 0


def test_a_confirmation_without_a_link_yet_promises_no_time(world):
    webinar = f.EventFactory(network=world.network, starts_at=at(3, 16), joining_link="")
    body = confirmation(booking_create(event=webinar, person=world.person_a, by=None))
    assert "once the organisers have set it" in body and "15:00" not in body


def test_an_in_person_confirmation_says_nothing_of_a_link(world):
    day = f.EventFactory(network=world.network, is_online=False, joining_link="", venue="Burnley Road Academy")
    assert "joining link" not in confirmation(booking_create(event=day, person=world.person_a, by=None))


# -- Places left for one's own trust ------------------------------------------------------


@pytest.fixture
def capped(world):
    """A conference with places left overall, but trust A holds its 2 places."""
    conference = f.EventFactory(network=world.network, title="National conference", capacity=30, per_trust_cap=2)
    for _ in range(2):
        booking_create(event=conference, person=f.PersonFactory(academy=world.academy_a), by=None)
    return conference


def test_the_event_page_shows_the_places_left_for_the_persons_trust(client, world, capped):
    client.force_login(world.leader_a)
    html = client.get(reverse("events:event_detail", args=[capped.pk])).content.decode()
    assert "28 of 30 left · at most 2 per trust: none left for Trust A" in html
    assert "Trust A holds 2 of the 2 places one trust may have, so there is no place left for your trust." in html
    assert "Join the waitlist" in html and "Book a place" not in html


def test_a_trust_with_room_sees_how_many_places_it_has_left(client, world, capped):
    leader_b = f.leader(world.academy_b)
    client.force_login(leader_b)
    html = client.get(reverse("events:event_detail", args=[capped.pk])).content.decode()
    assert "none left" not in html and "2 left for Trust B" in html and "Book a place" in html


def test_the_event_list_says_when_the_persons_trust_has_no_place(client, world, capped):
    client.force_login(world.leader_a)
    html = client.get(reverse("events:event_list")).content.decode()
    assert "28 (none for your trust)" in html


def test_the_event_list_counts_the_trust_a_booking_would_be_credited_to(client, world, capped):
    """An executive of Trust A whose own person sits at an academy of Trust B books for
    Trust B (`credited_to`): the list speaks of Trust B's places, not Trust A's."""
    executive = f.trust_executive(world.trust_a, person=f.PersonFactory(academy=world.academy_b))
    client.force_login(executive)
    html = client.get(reverse("events:event_list")).content.decode()
    assert 'data-label="Places left">28</td>' in html  # places left, and none said to be out of reach


def test_booking_on_behalf_marks_people_whose_trust_is_full(client, world, capped):
    client.force_login(world.coordinator)
    html = client.get(reverse("events:book_on_behalf", args=[capped.pk])).content.decode()
    assert f"{world.person_a.full_name} – Head of science, Academy A (their trust has no place left: waitlist)" in html
    assert f"{world.person_b.full_name} – Head of science, Academy B<" in html


# -- Cancelling asks first ------------------------------------------------------------------


@pytest.fixture
def booked(world):
    return booking_create(event=f.EventFactory(network=world.network), person=world.person_a, by=None)


def test_cancel_is_a_link_to_a_page_that_asks_first(client, world, booked):
    client.force_login(world.leader_a)
    my_bookings = reverse("events:my_bookings")
    html = client.get(my_bookings).content.decode()
    ask = reverse("events:booking_cancel", args=[booked.pk]) + "?next=/events/my-bookings/"
    assert f'href="{ask}"' in html
    page = client.get(ask)
    text = page.content.decode()
    assert page.status_code == 200 and "Cancel your booking?" in text
    assert "Your place goes to the first person on the waitlist" in text and "cannot be undone" in text
    assert 'name="confirm" value="yes"' in text and f'href="{my_bookings}"' in text  # "No, keep the booking"
    booked.refresh_from_db()
    assert booked.status == Status.CONFIRMED


def test_a_post_without_the_confirmation_only_asks(client, world, booked):
    client.force_login(world.leader_a)
    response = client.post(reverse("events:booking_cancel", args=[booked.pk]))
    assert response.status_code == 200 and "Cancel your booking?" in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == Status.CONFIRMED


def test_the_confirmed_post_cancels(client, world, booked):
    client.force_login(world.leader_a)
    response = client.post(reverse("events:booking_cancel", args=[booked.pk]), {"confirm": "yes"}, follow=True)
    assert "is cancelled" in texts(response)
    booked.refresh_from_db()
    assert booked.status == Status.CANCELLED


def test_leaving_the_waitlist_says_where_they_stand(client, world):
    full = f.EventFactory(network=world.network, capacity=0)
    booking_create(event=full, person=f.PersonFactory(academy=world.academy_a), by=None)
    waiting = booking_create(event=full, person=world.person_a, by=None)
    client.force_login(world.leader_a)
    text = client.get(reverse("events:booking_cancel", args=[waiting.pk])).content.decode()
    assert "Leave the waitlist?" in text and "You are number 2 on the waitlist" in text


def test_the_question_never_sends_back_to_another_site(client, world, booked):
    client.force_login(world.leader_a)
    text = client.get(reverse("events:booking_cancel", args=[booked.pk]) + "?next=https://evil.example/").content
    assert b"evil.example" not in text


# -- The coordinator's bookings for others, and who is booked ----------------------------------


def test_bookings_made_for_others_can_be_searched(client, world):
    event = f.EventFactory(network=world.network, title="Assessment in science")
    joanna = f.PersonFactory(first_name="Joanna", last_name="Ahmed", academy=world.academy_b)
    for person in (joanna, f.PersonFactory(first_name="Owen", last_name="Price", academy=world.academy_a)):
        booking_create(event=event, person=person, by=world.coordinator)
    other = f.EventFactory(network=world.network, title="Required practicals")
    booking_create(event=other, person=joanna, by=world.coordinator)
    client.force_login(world.coordinator)

    def found(q):
        page = client.get(reverse("events:my_bookings"), {"made_q": q}).context["made"]
        return sorted((b.person.first_name, b.event.title) for b in page.object_list)

    assert found("joanna ahmed") == [("Joanna", "Assessment in science"), ("Joanna", "Required practicals")]
    assert found("Ahmed practicals") == [("Joanna", "Required practicals")]
    world.academy_a.name = "Northfield Academy"
    world.academy_a.save()
    assert found("northfield") == [("Owen", "Assessment in science")]
    assert found("nobody") == []
    assert (
        "None of your bookings for others matches"
        in client.get(reverse("events:my_bookings"), {"made_q": "nobody"}).content.decode()
    )


def test_the_event_page_lists_who_is_booked_for_a_coordinator(client, world):
    event = f.EventFactory(network=world.network, capacity=1)
    first = booking_create(event=event, person=world.person_b, by=None)
    second = booking_create(event=event, person=world.person_a, by=world.coordinator)
    client.force_login(world.coordinator)
    response = client.get(reverse("events:event_detail", args=[event.pk]))
    html = response.content.decode()
    assert "Who is booked (2)" in html
    assert [b.pk for b in response.context["booked"].object_list] == [first.pk, second.pk]  # confirmed, then waitlist
    assert world.person_b.email in html and f"by {world.coordinator}" in html


@pytest.mark.parametrize("role", ["leader_a", "executive_a", "visitor"])
def test_only_a_coordinator_sees_who_is_booked(client, world, role):
    event = f.EventFactory(network=world.network)
    booking_create(event=event, person=world.person_b, by=None)
    client.force_login(getattr(world, role))
    html = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()
    assert "Who is booked" not in html and world.person_b.email not in html


def test_who_is_booked_has_no_n_plus_one(world, assert_no_n_plus_one):
    event = f.EventFactory(network=world.network, capacity=2)
    booking_create(event=event, person=world.person_b, by=None)

    def grow():
        for _ in range(3):
            person = f.PersonFactory(academy=f.AcademyFactory(trust=f.TrustFactory()))
            booking_create(event=event, person=person, by=world.coordinator)

    assert_no_n_plus_one(reverse("events:event_detail", args=[event.pk]), grow, user=world.coordinator)


def test_who_is_booked_is_paginated_on_its_own(client, world):
    event = f.EventFactory(network=world.network, capacity=60)
    for _ in range(51):
        f.BookingFactory(event=event, person=f.PersonFactory(academy=world.academy_b))
    client.force_login(world.coordinator)
    url = reverse("events:event_detail", args=[event.pk])
    html = client.get(url).content.decode()
    assert "Who is booked (51)" in html and 'href="?booked_page=2#booked"' in html
    assert len(client.get(url, {"booked_page": 2}).context["booked"].object_list) == 1


def test_the_event_page_reads_its_booking_and_clashes_in_one_query(world, clash, django_assert_num_queries):
    """`own_booking_and_clashes`: the person's live booking of this event, and their live
    bookings of other scheduled events that overlap it, as the page asked in two."""
    from events.services import overlaps

    _booked, meeting = clash
    later = f.EventFactory(network=world.network, title="Later", starts_at=at(10, 19), ends_at=at(10, 20))
    booking_create(event=later, person=world.person_a, by=None)  # no overlap
    dropped = f.EventFactory(network=world.network, title="Dropped", starts_at=at(10, 17), ends_at=at(10, 18))
    booking_cancel(booking=booking_create(event=dropped, person=world.person_a, by=None), by=None)  # not live
    own = booking_create(event=meeting, person=world.person_a, by=None)  # the network warns, and books
    with django_assert_num_queries(1):
        found, clashes = overlaps.own_booking_and_clashes(person=world.person_a, event=meeting)
        assert [b.event.title for b in clashes] == ["Required practicals"]  # events read with them
    assert found == own and [b.event.title for b in clashes] == ["Required practicals"]
    assert clashes == overlaps.overlapping_bookings(person=world.person_a, event=meeting)
    assert overlaps.own_booking_and_clashes(person=world.person_b, event=meeting) == (None, [])
    assert overlaps.own_booking_and_clashes(person=None, event=meeting) == (None, [])
