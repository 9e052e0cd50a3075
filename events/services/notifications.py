"""The booking emails (through the outbox, in the caller's transaction, keyed per
booking and kind so a retry sends once) and the signed approval links they carry."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from events.models import Booking
from events.rules import approvers_for, may_decide_by_link
from network.base import outbox
from network.base.models import Role, User
from trusts.models import Person

APPROVAL_LINK_SALT = "events.booking-approval"
APPROVAL_LINK_MAX_AGE = 60 * 60 * 24 * 30  # seconds; the event has usually happened by then

# An online event's joining link goes to confirmed attendees this long before the start
# (`events.services.reminders`), or with the confirmation when that is nearer.
JOINING_LINK_BEFORE = timedelta(hours=1)

Status = Booking.Status


def portal_url(name: str, *args) -> str:
    return settings.PORTAL_BASE_URL + reverse(name, args=args)


def email_booking(booking: Booking, kind: str, template: str, **context) -> None:
    outbox.enqueue(
        key=f"booking:{booking.pk}:{kind}",
        to=booking.person.email,
        template=f"events/email/{template}",
        context={
            "booking": booking,
            "event": booking.event,
            "person": booking.person,
            "event_url": portal_url("events:event_detail", booking.event_id),
            "my_bookings_url": portal_url("events:my_bookings"),
            **context,
        },
    )


def email_confirmed(booking: Booking) -> None:
    """The confirmation, saying when the joining link of an online event will come: an
    hour before the start, or, when the start is nearer than that, at once, in its own
    email (the same one, and key, the reminder sweep would send later)."""
    event, now = booking.event, timezone.now()
    link_now = bool(event.is_online and event.joining_link and now >= event.starts_at - JOINING_LINK_BEFORE)
    email_booking(
        booking,
        "confirmed",
        "booking_confirmed",
        joining_link_at=event.starts_at - JOINING_LINK_BEFORE,
        joining_link_now=link_now,
        starts_in_minutes=max(0, int((event.starts_at - now).total_seconds() // 60)),
    )
    if link_now:
        email_booking(booking, "joining-link", "joining_link", reminder="joining-link")


def email_for_status(booking: Booking) -> None:
    if booking.status == Status.CONFIRMED:
        email_confirmed(booking)
    elif booking.status == Status.WAITLISTED:
        email_booking(booking, "waitlisted", "booking_waitlisted")


def approval_token(*, booking: Booking, approver: Person) -> str:
    return signing.dumps({"b": booking.pk, "p": approver.pk}, salt=APPROVAL_LINK_SALT, compress=True)


def approval_from_token(token: str) -> tuple[Booking, Person] | None:
    """The booking and approver a signed link names, or None if it is forged or old."""
    try:
        data = signing.loads(token, salt=APPROVAL_LINK_SALT, max_age=APPROVAL_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    booking = Booking.objects.select_related("event", "person__academy", "session").filter(pk=data.get("b")).first()
    approver = Person.objects.filter(pk=data.get("p")).first()
    if booking is None or approver is None or not may_decide_by_link(approver, booking):
        return None
    return booking, approver


def request_approval(booking: Booking) -> None:
    approvers = list(approvers_for(booking.person))
    if approvers:
        for approver in approvers:
            outbox.enqueue(
                key=f"booking:{booking.pk}:approval-request:{approver.pk}",
                to=approver.email,
                template="events/email/approval_request",
                context={
                    "booking": booking,
                    "event": booking.event,
                    "person": booking.person,
                    "approver": approver,
                    "link": portal_url("events:approval_by_link", approval_token(booking=booking, approver=approver)),
                },
            )
        return
    # No one at the academy can approve: the coordinators decide instead.
    for user in User.objects.with_role(Role.COORDINATOR):
        outbox.enqueue(
            key=f"booking:{booking.pk}:approval-request:user-{user.pk}",
            to=user.email,
            template="events/email/approval_request",
            context={
                "booking": booking,
                "event": booking.event,
                "person": booking.person,
                "approver": user,
                "link": portal_url("events:approvals"),
            },
        )
