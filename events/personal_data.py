"""What the events room holds about a person, for the export (network/base/personal_data.py),
and what erasure must do here. Bookings and attendance keep the (erased) person so the
network's counts stay true, and hold no contact details of their own; a calendar feed
would keep publishing an erased person's programme, so erasure switches it off.

Sections that cover a historical model's link (`events.HistoricalBooking.booked_by`)
read it too: a booking whose current row no longer names you, but whose history does,
is still listed."""

from django.db.models import Count, Max, Q, Value
from django.db.models.functions import Replace
from django.utils import timezone

from events.models import Attendance, Booking, CalendarFeed, Event
from network.base.personal_data import Section, local


def _attendance(booking) -> dict | None:
    try:
        attendance = booking.attendance
    except Attendance.DoesNotExist:
        return None
    return {
        "attended": attendance.attended,
        "minutes": attendance.minutes_attended,
        "recorded_from": attendance.get_source_display(),
        "override_reason": attendance.override_reason or None,
        "certificate_code": attendance.verification_code if attendance.attended else None,
    }


def _versions(bookings) -> dict[int, list[str]]:
    """Each booking's recorded versions, oldest first, as lines (one query)."""
    versions: dict[int, list[str]] = {}
    for v in Booking.history.filter(id__in=[b.pk for b in bookings]).order_by("history_date"):
        line = f"{timezone.localtime(v.history_date):%d/%m/%Y %H:%M} {v.get_status_display()}"
        versions.setdefault(v.id, []).append(
            line + (f" ({v.history_change_reason})" if v.history_change_reason else "")
        )
    return versions


def _bookings(user, person):
    if person is None:
        return []
    history = Booking.history.filter(person=person).values("id")
    bookings = list(
        Booking.objects.filter(Q(person=person) | Q(pk__in=history))
        .select_related("event", "session", "booked_by", "attendance")
        .order_by("created_at")
    )
    versions = _versions(bookings)
    return [
        {
            "event": b.event.title,
            "starts_at": local(b.event.starts_at),
            "session": b.session.title if b.session else None,
            "status": b.get_status_display(),
            "status_reason": b.status_reason,
            "booked_at": local(b.created_at),
            "booked_by": str(b.booked_by) if b.booked_by else None,
            "cancelled_at": local(b.cancelled_at),
            "attendance": _attendance(b),
            "history": versions.get(b.pk, []),
        }
        for b in bookings
    ]


ACTS = (
    ("booked_by", "booked"),
    ("approved_by", "approved"),
    ("declined_by", "declined"),
    ("cancelled_by", "cancelled"),
)


def _acted_for_others(user, person):
    """Other people's bookings this login made, approved, declined or cancelled, and the
    requests this person decided through the emailed link (no login needed)."""
    if user is None and person is None:
        return []
    named = Q()
    history = Booking.history.none()
    if user is not None:
        for field, _ in ACTS:
            named |= Q(**{field: user})
            history |= Booking.history.filter(**{field: user})
    if person is not None:
        named |= Q(approver=person)
        history |= Booking.history.filter(approver=person)
    bookings = (
        Booking.objects.filter(named | Q(pk__in=history.values("id")))
        .exclude(person=person)
        .select_related("event", "person", "approver")
        .order_by("created_at")
    )
    rows = []
    for b in bookings:
        did = [verb for field, verb in ACTS if user is not None and getattr(b, f"{field}_id") == user.pk]
        if person is not None and b.approver_id == person.pk:
            did.append("approved" if b.approved_at else "declined")
        rows.append(
            {
                "event": b.event.title,
                "starts_at": local(b.event.starts_at),
                "for": b.person.full_name,
                "status": b.get_status_display(),
                "what_you_did": ", ".join(dict.fromkeys(did)) or "named in an earlier version",
                "booked_at": local(b.created_at),
                "decided_at": local(b.approved_at or b.declined_at),
            }
        )
    return rows


def _calendar_feeds(user, person):
    query = Q()
    if person is not None:
        query |= Q(person=person)
    if user is not None:
        query |= Q(created_by=user)
    if not query:
        return []
    return [
        {
            "for": "you" if feed.person_id == getattr(person, "pk", None) else str(feed.person),
            "created_at": local(feed.created_at),
            "last_used_at": local(feed.last_used_at),
            "revoked_at": local(feed.revoked_at),
        }
        for feed in CalendarFeed.objects.filter(query).select_related("person").order_by("created_at")
    ]


def _events_created(user, person):
    if user is None:
        return []
    history = Event.history.filter(created_by=user).values("id")
    events = Event.objects.filter(Q(created_by=user) | Q(pk__in=history)).order_by("starts_at")
    return [{"event": e.title, "starts_at": local(e.starts_at), "created_at": local(e.created_at)} for e in events]


def _attendance_recorded(user, person):
    """Registers this login marked or overrode, one row per event: how many people and
    when (the attendees themselves are their own data, not this export's)."""
    if user is None:
        return []
    history = Attendance.history.filter(Q(marked_by=user) | Q(overridden_by=user)).values("id")
    marks = Attendance.objects.filter(Q(marked_by=user) | Q(overridden_by=user) | Q(pk__in=history))
    per_event = (
        marks.values("booking__event__title", "booking__event__starts_at")
        .annotate(people=Count("pk"), last=Max("marked_at"))
        .order_by("booking__event__starts_at")
    )
    return [
        {
            "event": row["booking__event__title"],
            "starts_at": local(row["booking__event__starts_at"]),
            "people_marked": row["people"],
            "last_marked_at": local(row["last"]),
        }
        for row in per_event
    ]


SECTIONS = [
    Section(
        key="event_bookings",
        order=50,
        title="Your CPD bookings",
        description="Each booking with its attendance, certificate code and every change to it.",
        rows=_bookings,
        links=("events.Booking.person", "events.HistoricalBooking.person"),
    ),
    Section(
        key="bookings_for_others",
        order=55,
        title="Other people's bookings you made or decided",
        description="Bookings you made on someone's behalf, and requests you approved, declined or cancelled.",
        rows=_acted_for_others,
        links=(
            *(f"events.{model}.{field}" for model in ("Booking", "HistoricalBooking") for field, _ in ACTS),
            "events.Booking.approver",
            "events.HistoricalBooking.approver",
        ),
    ),
    Section(
        key="calendar_feeds",
        order=60,
        title="Calendar feeds",
        description="Private calendar addresses made for you (only a fingerprint of the address is kept).",
        rows=_calendar_feeds,
        links=("events.CalendarFeed.person", "events.CalendarFeed.created_by"),
    ),
    Section(
        key="events_created",
        order=86,
        title="Events you set up",
        rows=_events_created,
        links=("events.Event.created_by", "events.HistoricalEvent.created_by"),
    ),
    Section(
        key="attendance_recorded",
        order=87,
        title="Registers you took",
        rows=_attendance_recorded,
        links=(
            "events.Attendance.marked_by",
            "events.Attendance.overridden_by",
            "events.HistoricalAttendance.marked_by",
            "events.HistoricalAttendance.overridden_by",
        ),
    ),
]


def erase_calendar_feeds(person, erasure) -> None:
    """A feed would keep publishing an erased person's programme: switch it off."""
    revoked = CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=timezone.now())
    erasure.note("calendar feeds switched off", revoked)


def erase_booking_mentions(person, erasure) -> None:
    """Bookings stay (the counts), without the person's name: emails about their
    bookings (approval requests name them to their head of science) are erased with
    theirs, and where they decided someone else's request, the reason no longer names
    them, in the booking and in its history."""
    bookings = list(Booking.objects.filter(person=person).values_list("pk", flat=True))
    erasure.outbox_key_prefixes.update(f"booking:{pk}:" for pk in bookings)
    erasure.note("bookings kept without their name (the counts stay true)", len(bookings))
    names = {person.full_name}
    if erasure.user is not None and erasure.user.full_name:
        names.add(erasure.user.full_name)
    decided = Q(approver=person)
    if erasure.user is not None:
        decided |= Q(approved_by=erasure.user) | Q(declined_by=erasure.user)
    renamed = 0
    for name in filter(None, names):
        renamed += Booking.objects.filter(decided, status_reason__contains=name).update(
            status_reason=Replace("status_reason", Value(name), Value("an approver whose details were erased"))
        )
        Booking.history.filter(id__in=Booking.objects.filter(decided).values("pk")).filter(
            history_change_reason__contains=name
        ).update(
            history_change_reason=Replace(
                "history_change_reason", Value(name), Value("an approver whose details were erased")
            )
        )
    erasure.note("other people's bookings no longer naming them as approver", renamed)
