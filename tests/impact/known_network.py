"""A hand-built network whose figures for the membership year 2024-25 (1 April 2024 –
31 March 2025) are known, with the edge cases the counting rules must get right.

Trusts T1, T2, T3; academies (pupils on roll):
  A1 (T1, 1,000), A2 (T1, 800), A3 (T2, 600), A4 (T3, 700), A6 (T3, 400, never engaged),
  A5 (500): in T2 until 31/12/2024, in T3 from 01/01/2025 (moved mid-year).
Events of 2024-25 (CPD hours): W1 online 01/10/2024 (1.5), W2 online 01/02/2025 (1.5),
  H hub meeting in person 01/11/2024 (2), C national conference 01/03/2025 (5),
  X online 01/12/2024, cancelled; and P online 01/03/2024 (the year before).
People:
  p1 (A1) attended W1 and W2              -> joined online CPD once
  p2 (A1) booked W1, booking cancelled     -> nothing
  p3 (A2) booked W1, marked absent         -> nothing (a no-show)
  p4 (A3) attended W1                      -> online, T2
  p5 (A5) attended W1 (T2 then) and C (T3 then)
  p6 (A4) attended C; p7 (A1) attended C; p8 (A2) attended H
  p9 (A3) "attended" X, which was cancelled -> nothing
  p10 (A4) attended P, in 2023-24         -> not this year
Known answers (2024-25): online CPD 3 leaders (p1, p4, p5) from 2 trusts (T1, T2);
conference 3 leaders (p5, p6, p7) from 2 trusts (T3, T1); 6 people, 8 attendances,
23 CPD hours; 5 academies reached (all but A6) with 3,600 pupils, of 6 academies and
4,000 pupils; 3 trusts taking part; members 4 in 2023-24 and 5 in 2024-25 (+25%).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from events.models import Attendance, Booking, Event
from tests import factories as f
from tests.events.cpd_helpers import at
from trusts.services import academy_move_trust

YEAR = "2024-25"
D = datetime.date


@dataclass
class Known:
    network: object
    trusts: list
    academies: dict
    people: dict
    events: dict


def _booking(event, person, *, status="confirmed", attended=None):
    booking = f.BookingFactory(event=event, person=person, status=status)
    if attended is not None:
        Attendance.objects.create(booking=booking, attended=attended, source="register")
    return booking


def build() -> Known:
    t1, t2, t3 = (f.TrustFactory(name=name) for name in ("Trust One", "Trust Two", "Trust Three"))
    network = f.NetworkFactory(name="Known Network", slug="known")
    network.member_trusts.set([t1, t2, t3])

    def academy(name, trust, pupils):
        return f.AcademyFactory(name=name, trust=trust, pupils_on_roll=pupils)

    a = {
        "A1": academy("Academy One", t1, 1000),
        "A2": academy("Academy Two", t1, 800),
        "A3": academy("Academy Three", t2, 600),
        "A4": academy("Academy Four", t3, 700),
        "A5": academy("Academy Five", t2, 500),
        "A6": academy("Academy Six", t3, 400),
    }
    academy_move_trust(academy=a["A5"], trust=t3, on=D(2025, 1, 1))
    people = {
        key: f.PersonFactory(academy=a[home])
        for key, home in [
            ("p1", "A1"),
            ("p2", "A1"),
            ("p3", "A2"),
            ("p4", "A3"),
            ("p5", "A5"),
            ("p6", "A4"),
            ("p7", "A1"),
            ("p8", "A2"),
            ("p9", "A3"),
            ("p10", "A4"),
        ]
    }

    def event(day, **kwargs):
        start = at(day, 16)
        return f.EventFactory(network=network, starts_at=start, ends_at=start + datetime.timedelta(hours=2), **kwargs)

    e = {
        "W1": event(D(2024, 10, 1), is_online=True, cpd_hours=Decimal("1.5")),
        "W2": event(D(2025, 2, 1), is_online=True, cpd_hours=Decimal("1.5")),
        "H": event(D(2024, 11, 1), kind=Event.Kind.HUB_MEETING, is_online=False, cpd_hours=Decimal("2")),
        "C": event(D(2025, 3, 1), kind=Event.Kind.CONFERENCE, is_online=False, cpd_hours=Decimal("5")),
        "X": event(D(2024, 12, 1), is_online=True, status=Event.Status.CANCELLED, cpd_hours=Decimal("1.5")),
        "P": event(D(2024, 3, 1), is_online=True, cpd_hours=Decimal("1.5")),
    }
    p = people
    _booking(e["W1"], p["p1"], attended=True)
    _booking(e["W2"], p["p1"], attended=True)
    _booking(e["W1"], p["p2"], status=Booking.Status.CANCELLED)
    _booking(e["W1"], p["p3"], attended=False)
    _booking(e["W1"], p["p4"], attended=True)
    _booking(e["W1"], p["p5"], attended=True)
    _booking(e["C"], p["p5"], attended=True)
    _booking(e["C"], p["p6"], attended=True)
    _booking(e["C"], p["p7"], attended=True)
    _booking(e["H"], p["p8"], attended=True)
    _booking(e["X"], p["p9"], attended=True)
    _booking(e["P"], p["p10"], attended=True)

    before = f.MembershipYearFactory(
        network=network, label="2023-24", starts_on=D(2023, 4, 1), ends_on=D(2024, 3, 31), review_on=D(2024, 3, 1)
    )
    this = f.MembershipYearFactory(
        network=network, label=YEAR, starts_on=D(2024, 4, 1), ends_on=D(2025, 3, 31), review_on=D(2025, 3, 1)
    )
    for key in ("A1", "A2", "A3", "A4"):
        f.MembershipFactory(year=before, academy=a[key])
    for key in ("A1", "A2", "A3", "A4", "A5"):
        f.MembershipFactory(year=this, academy=a[key])
    return Known(network=network, trusts=[t1, t2, t3], academies=a, people=people, events=e)
