"""A world that has been used for a term, for the browser sweep: pages with rows in
their tables (and long names in them), so a layout that breaks on a phone breaks here.

`fill(world)` adds, for the world's network: 16 upcoming events (a conference with
sessions and a per-trust cap among them), the leader's bookings in every state, past
events with attendance and certificates, a register with a dozen people, bookings a
coordinator made for others, people in the directory, and a review with proposals. It
returns, per role, the pages of their *own* things the access matrix does not visit
(the matrix opens trust B's objects, which most roles may not see)."""

import datetime
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from events.models import Attendance, Booking
from events.services.booking import booking_create
from network.programme.membership.models import ReviewProposal, ReviewRun
from tests import factories as f
from tests.events.cpd_helpers import attended, days_ago

LONG_TITLES = [
    "Required practicals that work in a crowded laboratory timetable",
    "Disciplinary literacy: reading and writing like a scientist at Key Stage 4",
    "Pennine Cluster meeting: moderating assessment across the trust",
    "Mentoring early career science teachers through their first two years",
    "Physics for non-specialists: a hands-on practical day",
    "Chemistry Curriculum Hub meeting: sharing practical work",
]


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def fill(world) -> dict[str, list[tuple[str, str]]]:
    network, coordinator = world.network, world.coordinator
    world.academy_a.name = "Burnley Road Academy and Sixth Form College"
    world.academy_a.save()
    colleagues = [
        f.PersonFactory(
            academy=world.academy_a if n % 2 else world.academy_b,
            first_name=first,
            last_name=last,
            email=f"{first}.{last}@burnley-road-academy.school.example".lower(),
            directory_consent=True,
            expertise_summary="Runs a required-practical programme and mentors early career teachers.",
        )
        for n, (first, last) in enumerate(
            [("Amira", "Hussain-Whitworth"), ("Owen", "Price"), ("Grace", "Adeyemi"), ("Liam", "Walsh"),
             ("Nia", "Evans"), ("Joanna", "Ahmed"), ("Tom", "Hughes"), ("Priya", "Shah"), ("Sam", "Okafor"),
             ("Helen", "Ward"), ("David", "Nkemelu"), ("Ruth", "Fairclough")]
        )
    ]  # fmt: skip
    colleagues[0].designations.add(f.DesignationFactory(name="Specialist Leader of Education (SLE)"))
    colleagues[0].expertise.add(f.ExpertiseTagFactory(name="Required practicals", slug="required-practicals"))

    # 16 upcoming events, one of them a conference with sessions and a per-trust cap.
    upcoming = [
        f.EventFactory(
            network=network,
            title=LONG_TITLES[n % len(LONG_TITLES)],
            starts_at=_at(2 + n, 16),
            hub=world.hub if n % 3 == 0 else None,
            is_online=n % 2 == 0,
            venue="" if n % 2 == 0 else "Burnley Road Academy, Colne Road, Burnley BB10 1LP",
        )
        for n in range(15)
    ]
    conference = f.EventFactory(
        network=network, kind="conference", title="National conference 2027", starts_at=_at(30, 9),
        ends_at=_at(30, 16), is_online=False, joining_link="", venue="Manchester Central", capacity=40,
        per_trust_cap=3,
    )  # fmt: skip
    for n, title in enumerate(["Workshop A: required practicals", "Workshop B: disciplinary literacy"]):
        f.SessionFactory(event=conference, title=title, starts_at=_at(30, 10 + n), ends_at=_at(30, 11 + n))
    for person in colleagues[:3]:
        booking_create(event=conference, person=person, by=None, session=conference.sessions.first())

    # The leader: confirmed, waitlisted, offered and awaiting approval.
    leader = world.person_a
    booking_create(event=upcoming[0], person=leader, by=None)
    full = f.EventFactory(network=network, title="A full training day with a waitlist", capacity=1,
                          starts_at=_at(20, 9), ends_at=_at(20, 15), is_online=False, venue="Preston")  # fmt: skip
    booking_create(event=full, person=colleagues[1], by=None)
    booking_create(event=full, person=leader, by=None)
    offered = f.BookingFactory(
        event=upcoming[4], person=leader, status=Booking.Status.OFFERED, confirmed_at=None,
        offer_expires_at=timezone.now() + timedelta(hours=20),
    )  # fmt: skip
    approval = f.EventFactory(network=network, title="Leadership day (needs approval)", needs_approval=True,
                              starts_at=_at(25, 9), ends_at=_at(25, 15))  # fmt: skip
    booking_create(event=approval, person=leader, by=None)
    del offered

    # Bookings the coordinator made for others.
    for event, person in zip(upcoming[5:12], colleagues, strict=False):
        booking_create(event=event, person=person, by=coordinator)

    # Past events: attended by the leader (certificates) and a register of a dozen people.
    register_event = None
    for n in range(3):
        starts = days_ago(7 * (n + 1))
        event = f.EventFactory(
            network=network, title=LONG_TITLES[n], starts_at=starts, ends_at=starts + timedelta(minutes=90)
        )
        attended(f.BookingFactory(event=event, person=leader), minutes=90)
        if n == 0:
            register_event = event
            for i, person in enumerate(colleagues):
                booking = f.BookingFactory(event=event, person=person)
                if i % 3 == 0:
                    attended(booking, attended=i % 2 == 0, minutes=40 + i)
    override = Attendance.objects.filter(booking__event=register_event).exclude(booking__person=leader).first()

    # A review with proposals (the matrix's review page is this year's run).
    year = f.MembershipYearFactory(network=network)
    run, _ = ReviewRun.objects.get_or_create(
        network=network, year=year, defaults={"trigger": "page", "data_as_of": timezone.localdate()}
    )
    for academy, outcome in ((world.academy_a, "renew"), (world.academy_b, "not_eligible")):
        ReviewProposal.objects.get_or_create(
            run=run,
            academy=academy,
            defaults={
                "trust": academy.trust,
                "outcome": outcome,
                "reasons": [
                    "Latest inspection on 14/03/2023: grade 2 (Good).",
                    "Progress 8 at or above the 75th percentile in 1 of 3 years with a score (2024-25: Progress 8 "
                    "+0.25, percentile 77.2, 2023-24: Progress 8 +0.10, percentile 60.5, 2022-23: no data).",
                ],
            },
        )

    return {
        "coordinator": [
            ("event_detail (who is booked)", reverse("events:event_detail", args=[conference.pk])),
            ("event_register (a dozen people)", reverse("events:event_register", args=[register_event.pk])),
            (
                "attendance_override",
                reverse("events:attendance_override", args=[register_event.pk, override.booking_id]),
            ),
            ("book_on_behalf", reverse("events:book_on_behalf", args=[conference.pk])),
            ("directory_person", reverse("network:directory_person", args=[colleagues[0].pk])),
            ("trust_cpd (trust A)", reverse("events:trust_cpd", args=[world.trust_a.pk])),
        ],
        "executive_a": [
            ("trust_detail (own)", reverse("trusts:trust_detail", args=[world.trust_a.pk])),
            ("academy_detail (own)", reverse("trusts:academy_detail", args=[world.academy_a.urn])),
            ("trust_cpd (own)", reverse("events:trust_cpd", args=[world.trust_a.pk])),
        ],
        "leader_a": [
            ("academy_detail (own)", reverse("trusts:academy_detail", args=[world.academy_a.urn])),
            ("event_detail (conference)", reverse("events:event_detail", args=[conference.pk])),
            ("booking_cancel (asks first)", reverse("events:booking_cancel", args=[leader.bookings.first().pk])),
            ("directory_person", reverse("network:directory_person", args=[colleagues[0].pk])),
        ],
        "visitor": [("event_detail", reverse("events:event_detail", args=[conference.pk]))],
        "steering": [],
        "anonymous": [],
    }
