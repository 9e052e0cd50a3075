"""What the events room holds about a person, for "Download my data" (right of access).
Erasure needs nothing here: bookings keep the (erased) person so the network's counts
stay true, and they hold no contact details of their own."""

from django.utils import timezone

from events.models import Booking


def export_bookings(user, person) -> dict:
    if person is None:
        return {"event_bookings": []}
    bookings = Booking.objects.filter(person=person).select_related("event", "session", "booked_by").order_by("created_at")
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
            }
            for b in bookings
        ]
    }
