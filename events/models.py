"""CPD events and their bookings: webinars, hub meetings, training days and the national
conference, with sessions to choose between, waitlists, approval and offers.

Every write goes through `events.services` (one module per concern); these models hold data, constraints and small
derived properties only. Times are stored aware (UTC) and shown in Europe/London.

Booking lifecycle (see `events.services.booking` and `.waitlist` for the rules that move a booking):

    pending_approval ──approve──▶ confirmed | waitlisted
          │ decline ─▶ declined
    waitlisted ──a place frees──▶ confirmed (event far off) | offered (event soon)
    offered ──confirm in time──▶ confirmed;  ──offer expires──▶ cancelled
    any live state ──cancel──▶ cancelled

A person has at most one *live* booking (pending, confirmed, waitlisted, offered) per
event: a conditional unique constraint, so a double-clicked "Book" cannot make two.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Event(models.Model):
    """One CPD event a coordinator sets up. `capacity` is the number of confirmed places
    (offers count as taken); `per_trust_cap` stops one large trust taking every seat.
    `audience_roles` / `audience_phases` hold `trusts.JobRole` / `trusts.Phase` values;
    empty means everyone. The joining link is shown only to confirmed attendees.
    A cancelled event keeps its bookings (they are cancelled, not deleted)."""

    class Kind(models.TextChoices):
        WEBINAR = "webinar", "Online CPD webinar"
        HUB_MEETING = "hub_meeting", "Hub meeting"
        CONFERENCE = "conference", "National conference"
        TRAINING_DAY = "training_day", "Training day"
        NETWORK_MEETING = "network_meeting", "Network meeting"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WEBINAR)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    network = models.ForeignKey("network.Network", on_delete=models.PROTECT, related_name="events")
    hub = models.ForeignKey(
        "network.Hub",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        help_text="For hub meetings and other events run by one hub.",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    is_online = models.BooleanField(default=False, help_text="Held online (the joining link is sent to attendees).")
    venue = models.CharField(max_length=250, blank=True, help_text="Address or room, for events held in person.")
    joining_link = models.URLField(
        max_length=500, blank=True, help_text="Shown only to confirmed attendees, and sent an hour before."
    )
    capacity = models.PositiveIntegerField(help_text="Places available (confirmed bookings).")
    booking_opens_at = models.DateTimeField(null=True, blank=True, help_text="Empty: open now.")
    booking_closes_at = models.DateTimeField(null=True, blank=True, help_text="Empty: open until the event starts.")
    cancel_until_hours = models.PositiveIntegerField(
        "cancellation cut-off (hours before start)",
        default=48,
        help_text="Attendees may cancel until this many hours before the start.",
    )
    audience_roles = models.JSONField(
        default=list, blank=True, help_text="Job roles this event is for (trusts.JobRole values); empty: everyone."
    )
    audience_phases = models.JSONField(
        default=list, blank=True, help_text="Academy phases this event is for (trusts.Phase values); empty: all."
    )
    cpd_hours = models.DecimalField(
        "CPD hours", max_digits=5, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    per_trust_cap = models.PositiveIntegerField(
        null=True, blank=True, help_text="Most confirmed places one trust may hold; empty: no cap."
    )
    needs_approval = models.BooleanField(
        default=False, help_text="Bookings need approval by the academy's head of science or headteacher."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)
    duplicated_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        help_text="The event this one was copied from (a termly series).",
    )
    series = models.CharField(max_length=100, blank=True, help_text="A name shared by the events of one series.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "title"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="event_status_start_idx"),
            # The sweeps (joining links, surveys due) look for events by their end: by
            # index, however many years of events lie behind them.
            models.Index(fields=["status", "ends_at"], name="event_status_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(booking_opens_at__isnull=True)
                | models.Q(booking_closes_at__isnull=True)
                | models.Q(booking_closes_at__gt=models.F("booking_opens_at")),
                name="event_booking_window_in_order",
            ),
            models.CheckConstraint(condition=models.Q(cpd_hours__gte=0), name="event_cpd_hours_not_negative"),
        ]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d/%m/%Y})"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def cancellation_deadline(self):
        """The last moment an attendee may cancel."""
        return self.starts_at - timedelta(hours=self.cancel_until_hours)

    @property
    def booking_deadline(self):
        return self.booking_closes_at or self.starts_at

    @property
    def has_started(self) -> bool:
        """For pages: once started, places and cut-offs no longer mean anything."""
        return timezone.now() >= self.starts_at

    def is_open_for_booking(self, now=None) -> bool:
        now = now or timezone.now()
        if self.is_cancelled:
            return False
        if self.booking_opens_at and now < self.booking_opens_at:
            return False
        return now < self.booking_deadline


class Session(models.Model):
    """A session or workshop of a conference, with its own capacity. A booking may
    choose one; the session's capacity is enforced like the event's (row lock)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    room = models.CharField(max_length=100, blank=True)
    capacity = models.PositiveIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["event", "starts_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.UniqueConstraint(fields=["event", "title"], name="session_title_unique_in_event"),
        ]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%H:%M})"


class Booking(models.Model):
    """A person's place (or place in the queue) at an event. `trust_at_booking` and
    `academy_at_booking` record where they were on the day they booked, so participation
    is credited to the trust the academy belonged to then. Waitlist order is
    `created_at` (first come, first served). `history` is the audit trail: every state
    change with who made it (`_history_user`) and when."""

    class Status(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", "Awaiting approval"
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "On the waitlist"
        OFFERED = "offered", "Place offered – please confirm"
        CANCELLED = "cancelled", "Cancelled"
        DECLINED = "declined", "Not approved"

    LIVE = (Status.PENDING_APPROVAL, Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)
    # Statuses that hold one of the event's places.
    HOLDS_PLACE = (Status.CONFIRMED, Status.OFFERED)

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="bookings")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings")
    person = models.ForeignKey("trusts.Person", on_delete=models.PROTECT, related_name="bookings")
    trust_at_booking = models.ForeignKey(
        "trusts.Trust", on_delete=models.PROTECT, null=True, blank=True, related_name="event_bookings"
    )
    academy_at_booking = models.ForeignKey(
        "trusts.Academy", on_delete=models.PROTECT, null=True, blank=True, related_name="event_bookings"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    status_reason = models.CharField(
        max_length=200, blank=True, help_text="Why the booking is in its state, e.g. why it was waitlisted."
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings_made",
        help_text="Who made the booking (someone else when booked on their behalf).",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    approver = models.ForeignKey(
        "trusts.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The head of science or headteacher who decided by the emailed link, without signing in.",
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    survey_due_at = models.DateTimeField(
        null=True, blank=True, help_text="When the post-event evaluation survey became due (sent by impact)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="booking_event_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=models.Q(status__in=["pending_approval", "confirmed", "waitlisted", "offered"]),
                name="one_live_booking_per_person_per_event",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="offered") | models.Q(offer_expires_at__isnull=False),
                name="booking_offer_has_expiry",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.event.title} ({self.get_status_display()})"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    def can_cancel(self, now=None) -> bool:
        """A confirmed place may be given up until the event's cancellation cut-off; a
        place in the queue (waitlisted, awaiting approval, offered) until the start."""
        now = now or timezone.now()
        if not self.is_live:
            return False
        if self.status == self.Status.CONFIRMED:
            return now < self.event.cancellation_deadline
        return now < self.event.starts_at


# Attendance, certificates and calendar feeds are the attendance sub-package's
# (events/attendance/), but their models are the events app's: imported here.
from events.attendance.models import Attendance, CalendarFeed  # noqa: E402, F401

# Academy visits (requests, brokering, reports and actions) are the visits
# sub-package's (events/visits/), their models the events app's: imported here.
from events.visits.models import (  # noqa: E402, F401
    Visit,
    VisitAction,
    VisitKind,
    VisitLog,
    VisitPolicy,
    VisitReport,
    VisitVisitor,
)
