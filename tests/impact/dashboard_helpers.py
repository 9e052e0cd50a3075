"""Networks of any size for the dashboard tests: `grow_network(network, trusts=N,
people=P, events=E)` adds N trusts, each with two academies and P people who attended
E webinars this membership year."""

import datetime
from decimal import Decimal

from django.utils import timezone

from events.models import Attendance
from tests import factories as f
from tests.events.cpd_helpers import at

HUB_ONLY = "hub-only"


def this_year_day(offset: int = 0) -> datetime.date:
    """A day inside the current membership year, before today when possible."""
    today = timezone.localdate()
    start = datetime.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    return max(start, today - datetime.timedelta(days=1 + offset))


def webinars(network, count: int):
    return [
        f.EventFactory(
            network=network,
            starts_at=at(this_year_day(i)),
            ends_at=at(this_year_day(i)) + datetime.timedelta(hours=1),
            cpd_hours=Decimal("1.5"),
        )
        for i in range(count)
    ]


def grow_trust(network, *, name=None, people: int, events: list, hub=None):
    trust = f.TrustFactory(**({"name": name} if name else {}))
    network.member_trusts.add(trust)
    academies = [f.AcademyFactory(trust=trust, pupils_on_roll=1000) for _ in range(2)]
    if hub is not None:
        hub.academies.add(*academies)
    for i in range(people):
        person = f.PersonFactory(academy=academies[i % 2])
        for event in events:
            booking = f.BookingFactory(event=event, person=person)
            Attendance.objects.create(booking=booking, attended=True, source="register")
    return trust


def grow_network(network, *, trusts: int, people: int, events: list, hub=None):
    return [grow_trust(network, people=people, events=events, hub=hub) for _ in range(trusts)]
