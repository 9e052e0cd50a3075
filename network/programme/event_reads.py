"""The programme's only reads of the events room, by label, never by import.

Hub meetings are CPD events, and the contribution ledger, the succession risks and the
radar need figures about them (sessions led, CPD places taken, who took part, what is
coming up). The programme sits below the events room (docs/architecture.md; the import
contract forbids `network.programme -> events`), so these functions name the models
with `apps.get_model("events", ...)` inside the function: a deliberate, read-only read
by label, like the platform's. We chose this over a registry that events would fill,
because the figures are the programme's questions (what counts as "led", which
bookings count), and keeping them here keeps them in one place. Nothing here writes.
"""

import datetime
from collections import defaultdict

from django.apps import apps
from django.db.models import Count, Q


def _event():
    return apps.get_model("events", "Event")


def _booking():
    return apps.get_model("events", "Booking")


def _window(start: datetime.datetime, end: datetime.datetime, path: str = "event__starts_at") -> Q:
    return Q(**{f"{path}__gte": start, f"{path}__lt": end})


def confirmed_bookings(start, end):
    """Places taken: confirmed bookings of events (not cancelled) starting in [start, end)."""
    return _booking().objects.filter(_window(start, end), status="confirmed").exclude(event__status="cancelled")


def people_engaged_by_academy(start, end, academy_ids) -> dict[int, set[int]]:
    """For each academy, the people (ids) who took a CPD place in the window."""
    found = defaultdict(set)
    rows = confirmed_bookings(start, end).filter(academy_at_booking_id__in=academy_ids)
    for academy_id, person_id in rows.values_list("academy_at_booking_id", "person_id").distinct():
        found[academy_id].add(person_id)
    return found


def active_people(start, end, person_ids) -> set[int]:
    """Of `person_ids`, those who took a CPD place, or led a hub that met, in the window."""
    booked = set(confirmed_bookings(start, end).filter(person_id__in=person_ids).values_list("person_id", flat=True))
    meetings = _event().objects.filter(_window(start, end, "starts_at"), hub__isnull=False).exclude(status="cancelled")
    led = set(meetings.filter(hub__lead_id__in=person_ids).values_list("hub__lead_id", flat=True))
    deputised = set(meetings.filter(hub__deputy_lead_id__in=person_ids).values_list("hub__deputy_lead_id", flat=True))
    return booked | led | deputised


def cpd_places_by_academy(start, end) -> dict[int, int]:
    rows = confirmed_bookings(start, end).values("academy_at_booking_id").annotate(n=Count("pk"))
    return {r["academy_at_booking_id"]: r["n"] for r in rows if r["academy_at_booking_id"]}


def sessions_led_by_academy(start, end) -> dict[int, int]:
    """Hub meetings held in the window, credited to the academy of the hub's lead (who
    runs them; the events room takes their register)."""
    rows = (
        _event()
        .objects.filter(_window(start, end, "starts_at"), kind="hub_meeting", hub__lead__academy__isnull=False)
        .exclude(status="cancelled")
        .values("hub__lead__academy_id")
        .annotate(n=Count("pk"))
    )
    return {r["hub__lead__academy_id"]: r["n"] for r in rows}


def hub_meetings(hub_id: int):
    """A hub's meetings (its CPD events), newest last."""
    return _event().objects.filter(hub_id=hub_id).exclude(status="cancelled").order_by("starts_at")


def hub_meeting(hub_id: int, event_id: int):
    return hub_meetings(hub_id).filter(pk=event_id).first()


def upcoming_events(network_id: int, start, end):
    return (
        _event()
        .objects.filter(network_id=network_id, starts_at__gte=start, starts_at__lt=end)
        .exclude(status="cancelled")
        .select_related("hub")
        .order_by("starts_at")
    )


def events_by_ids(ids):
    return _event().objects.filter(pk__in=list(ids)).select_related("hub").order_by("starts_at")
