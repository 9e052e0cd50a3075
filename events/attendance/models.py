"""Attendance at CPD events, and the personal calendar feed.

Imported from the bottom of `events.models`, so Django sees these models as the events
app's (app label `events`). Every write goes through `events.attendance.services`
(marking, overrides, feeds) or `events.attendance.platform_report` (the CSV import).

An `Attendance` belongs to one confirmed booking and says whether the person came. It
is the only thing that credits CPD hours, and it carries the certificate's
verification code. How it was set is its `source`:

    register      a coordinator (or the event's hub lead) ticked the register
    platform_csv  the meeting platform's attendance report, with a minimum-minutes rule
    override      a person changed it by hand, with a reason (who, why and when kept)

Evidence from the platform and an override are changed only by another override; the
register never silently overwrites them. `history` is the audit trail of every change.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

# Verification codes are typed by people reading a certificate: no 0/O, 1/I/L, and
# grouped in fours. 16 characters of a 31-letter alphabet is 79 bits: unguessable.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_verification_code(value: str) -> str:
    """What a person typed, as stored: upper case, grouped in fours by hyphens, however
    they spaced or hyphenated it."""
    raw = "".join(ch for ch in (value or "").upper() if ch.isascii() and ch.isalnum())[: CODE_LENGTH * 2]
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


class Attendance(models.Model):
    """Whether the person of one booking came to the event. CPD hours are credited only
    when `attended` is true (and the booking is confirmed). `minutes_attended` comes from
    the platform's report for webinars; the register leaves it empty."""

    class Source(models.TextChoices):
        REGISTER = "register", "Register"
        PLATFORM_CSV = "platform_csv", "Meeting platform report"
        OVERRIDE = "override", "Manual override"

    booking = models.OneToOneField("events.Booking", on_delete=models.CASCADE, related_name="attendance")
    attended = models.BooleanField()
    minutes_attended = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    override_reason = models.TextField(blank=True)
    overridden_at = models.DateTimeField(null=True, blank=True)
    verification_code = models.CharField(
        max_length=24,
        unique=True,
        default=new_verification_code,
        editable=False,
        help_text="Printed on the certificate; checked at the public verification page.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "attendance"
        ordering = ["booking"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source="override")
                | (models.Q(overridden_by__isnull=False) & ~models.Q(override_reason="")),
                name="attendance_override_has_who_and_why",
            ),
        ]

    def __str__(self):
        return f"{self.booking_id}: {'attended' if self.attended else 'absent'}"

    @property
    def is_override(self) -> bool:
        return self.source == self.Source.OVERRIDE


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A person's secret iCal feed of their confirmed bookings. The token in the URL is
    the credential (calendar apps cannot sign in), so only its digest is stored; the
    person sees the URL once, and revokes or regenerates it from their CPD record. A
    revoked feed keeps its row (when, by whom) and answers 404."""

    person = models.ForeignKey("trusts.Person", on_delete=models.CASCADE, related_name="calendar_feeds")
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(revoked_at__isnull=True), name="one_live_calendar_feed_per_person"
            ),
        ]

    def __str__(self):
        return f"Calendar feed of {self.person_id} ({'revoked' if self.revoked_at else 'live'})"

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _digest(token)

    @staticmethod
    def digest(token: str) -> str:
        return _digest(token)
