"""Years of history for the benchmark's network (`seed_demo --scale 10` and more).

The demo at scale 1 shows the network as it is today (last year, this year, three
months of CPD either side). Speed is measured at scale 10 against what a network has
after a few years (issue 14): two more past membership years (three in all), and an
archive of past CPD: about 300 events per unit of scale over the three years before
the demo's window (~3,000 at scale 10), each with about 50 confirmed bookings and their
attendance (~150,000 of each). So sweeps, dashboards and the report meet old rows that
they must skip by index, and lists meet years they must page through.

Like the rest of network/demo/: deterministic from the seed, relative to today, keyed by
natural keys and idempotent. A past year is written with the year (never added to a year
that has memberships); an archive event is keyed by its title (series `ARCHIVE`) and
its bookings and attendance are written with it, never added to one that exists.

Written in bulk without history rows (`bulk_create`, not `bulk_create_with_history`):
the archive is there to be read by pages and jobs; 300,000 audit rows of a fictional
past would double the seed's time and measure nothing a person does. Scale 1 writes
none of this, so `seed_demo` stays fast.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from events.attendance.models import Attendance
from events.models import Booking, Event
from network.base.models import User
from network.demo.membership import MembershipSeeder
from network.programme.membership.assessment import PHASES
from network.programme.membership.models import Membership, MembershipYear, year_label
from network.programme.membership.policy import policy_for
from network.programme.membership.services.years import membership_year_get_or_create
from network.programme.models import Network
from trusts.models import Academy, Person

MIN_SCALE = 10  # below this the demo is today's network only
PAST_YEARS = (2, 3)  # years before the current one written here (the membership seed writes 1)
EVENTS_PER_SCALE = 300
BOOKINGS_PER_EVENT = 50
ATTENDED = 0.85
ARCHIVE = "Demo archive"
ARCHIVE_START_DAYS, ARCHIVE_END_DAYS = 3 * 365 + 120, 120  # before the programme's window
TOPICS = (
    "Practical chemistry",
    "Required practicals in physics",
    "Teaching evolution",
    "Misconceptions in forces",
    "Working scientifically at KS3",
    "Literacy in science",
    "Assessment without levels",
    "Electricity and circuits",
    "Ecology fieldwork",
    "Quantitative chemistry",
)
KINDS = (Event.Kind.WEBINAR, Event.Kind.HUB_MEETING, Event.Kind.TRAINING_DAY)


class HistorySeeder:
    def __init__(self, *, network: Network, seed: int, scale: int, today: datetime.date, coordinator: User,
                 executive: User, leader: User):  # fmt: skip
        self.network, self.seed, self.scale, self.today = network, seed, scale, today
        self.coordinator, self.executive, self.leader = coordinator, executive, leader
        self.created: dict[str, int] = {}

    def _count(self, what: str, n: int):
        if n:
            self.created[what] = self.created.get(what, 0) + n

    def write(self) -> dict[str, int]:
        if self.scale < MIN_SCALE:
            return self.created
        self._past_years()
        self._archive()
        return self.created

    # -- Membership years ----------------------------------------------------------

    def _past_years(self):
        """Years Y-2 and Y-3 with the membership seed's own rules (who is a member is a
        function of the academy and the year, so these agree with the years after)."""
        seeder = MembershipSeeder(
            network=self.network, seed=self.seed, today=self.today, coordinator=self.coordinator,
            executive=self.executive, leader=self.leader,
        )  # fmt: skip
        _label, starts_on, _ = policy_for(self.network).year_containing(self.today)
        start = starts_on.year
        todo = []
        for back in PAST_YEARS:
            label = year_label(start - back)
            existed = MembershipYear.objects.filter(network=self.network, label=label).exists()
            year = membership_year_get_or_create(network=self.network, label=label)
            self._count("membership years", int(not existed))
            if not Membership.objects.filter(year=year).exists():
                todo.append((year, start - back))
        if not todo:
            return
        seeder.academies = list(
            Academy.objects.filter(
                is_open=True, trust__in=self.network.member_trusts.all(), phase__in=PHASES[self.network.phase]
            )
            .select_related("trust")
            .order_by("urn")
        )
        seeder._load_facts(seeder.academies)
        for year, start_year in todo:
            seeder._write_year(year, start_year, current=False)
        for what, n in seeder.summary.created.items():
            self._count(what, n)

    # -- The CPD archive -----------------------------------------------------------

    def _archive(self):
        n_events = EVENTS_PER_SCALE * self.scale
        titles = [f"{TOPICS[i % len(TOPICS)]} (archive {i + 1:05d})" for i in range(n_events)]
        existing = set(Event.objects.filter(series=ARCHIVE).values_list("title", flat=True))
        new = [(i, title) for i, title in enumerate(titles) if title not in existing]
        if not new:
            return
        people = list(
            Person.objects.filter(academy__trust__in=self.network.member_trusts.all())
            .order_by("pk")
            .values_list("pk", "academy_id", "academy__trust_id")
        )
        span = ARCHIVE_START_DAYS - ARCHIVE_END_DAYS
        events = []
        for i, title in new:
            rng = random.Random(f"{self.seed}:archive:{i}")
            day = self.today - datetime.timedelta(days=ARCHIVE_END_DAYS + (i * span) // n_events)
            starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.choice([9, 13, 16]), 0)))
            kind = KINDS[i % len(KINDS)]
            hours = {Event.Kind.WEBINAR: 1, Event.Kind.HUB_MEETING: 2, Event.Kind.TRAINING_DAY: 6}[kind]
            events.append(
                Event(
                    kind=kind,
                    title=title,
                    network=self.network,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=hours),
                    is_online=kind == Event.Kind.WEBINAR,
                    capacity=BOOKINGS_PER_EVENT + 10,
                    cpd_hours=Decimal(hours),
                    series=ARCHIVE,
                    created_by=self.coordinator,
                    created_at=starts - datetime.timedelta(days=60),
                )
            )
        events = Event.objects.bulk_create(events, batch_size=1000)
        self._count("archive events", len(events))
        bookings = []
        for (i, _title), event in zip(new, events, strict=True):
            rng = random.Random(f"{self.seed}:archive-bookings:{i}")
            for pk, academy_id, trust_id in rng.sample(people, min(BOOKINGS_PER_EVENT, len(people))):
                booked = event.starts_at - datetime.timedelta(days=rng.randint(3, 50))
                bookings.append(
                    Booking(
                        event=event,
                        person_id=pk,
                        trust_at_booking_id=trust_id,
                        academy_at_booking_id=academy_id,
                        status=Booking.Status.CONFIRMED,
                        created_at=booked,
                        confirmed_at=booked,
                        survey_due_at=event.ends_at,
                    )
                )
        # Batches keep memory flat; PostgreSQL and SQLite both return the new ids.
        bookings = Booking.objects.bulk_create(bookings, batch_size=2000)
        self._count("archive bookings", len(bookings))
        rows = []
        for booking in bookings:
            rng = random.Random(f"{self.seed}:archive-attendance:{booking.event_id}:{booking.person_id}")
            attended = rng.random() < ATTENDED
            rows.append(
                Attendance(
                    booking=booking,
                    attended=attended,
                    source=Attendance.Source.REGISTER,
                    marked_by=self.coordinator,
                    marked_at=booking.event.ends_at,
                )
            )
        Attendance.objects.bulk_create(rows, batch_size=2000)
        self._count("archive attendance rows", len(rows))
