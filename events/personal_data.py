"""What the events room holds about a person, for "Download my data" (right of access),
and what erasure must do here. Bookings and attendance keep the (erased) person so the
network's counts stay true, and hold no contact details of their own; a calendar feed
would keep publishing an erased person's programme, so erasure switches it off."""

from django.utils import timezone

from events.models import Attendance, Booking, CalendarFeed


def export_bookings(user, person) -> dict:
    if person is None:
        return {"event_bookings": []}
    bookings = (
        Booking.objects.filter(person=person)
        .select_related("event", "session", "booked_by", "attendance")
        .order_by("created_at")
    )
    return {
        "event_bookings": [
            {
                "event": b.event.title,
                "starts_at": timezone.localtime(b.event.starts_at),
                "session": b.session.title if b.session else None,
                "status": b.get_status_display(),
                "booked_at": timezone.localtime(b.created_at),
                "booked_by": str(b.booked_by) if b.booked_by else None,
                "cancelled_at": timezone.localtime(b.cancelled_at) if b.cancelled_at else None,
                "attendance": _attendance(b),
            }
            for b in bookings
        ],
        "calendar_feeds": [
            {
                "created_at": timezone.localtime(feed.created_at),
                "last_used_at": timezone.localtime(feed.last_used_at) if feed.last_used_at else None,
                "revoked_at": timezone.localtime(feed.revoked_at) if feed.revoked_at else None,
            }
            for feed in CalendarFeed.objects.filter(person=person).order_by("created_at")
        ],
    }


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


def erase_calendar_feeds(person) -> None:
    CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=timezone.now())
