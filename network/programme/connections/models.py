"""Connections: a leader asks to be put in touch with someone in the directory about a
topic. Contact details travel only on acceptance: the asker learns the person's email
(and the phone number they chose to give) in the acceptance email and on their
connections page, never before. A person's preferences (pause requests, no radar)
live here too, one row per person.

    open ──accept──▶ accepted (contact shared)
         ──decline──▶ declined
         ──asker withdraws──▶ withdrawn
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ConnectionRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a reply"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    asker = models.ForeignKey("trusts.Person", on_delete=models.CASCADE, related_name="connections_asked")
    recipient = models.ForeignKey("trusts.Person", on_delete=models.CASCADE, related_name="connections_received")
    topic = models.CharField(max_length=200)
    message = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    # Given by the recipient when they accept, shown to the asker only then.
    shared_phone = models.CharField(max_length=30, blank=True)
    reply = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["asker", "recipient"], condition=models.Q(status="open"), name="one_open_request_per_pair"
            ),
            models.CheckConstraint(condition=~models.Q(asker=models.F("recipient")), name="connection_not_to_self"),
        ]

    def __str__(self):
        return f"{self.asker} → {self.recipient}: {self.topic}"

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED


class ProgrammePreference(models.Model):
    """A person's choices about the programme's messages."""

    person = models.OneToOneField("trusts.Person", on_delete=models.CASCADE, related_name="programme_preference")
    requests_paused = models.BooleanField(
        "pause connection requests", default=False, help_text="Nobody can ask to be put in touch while paused."
    )
    radar_opt_out = models.BooleanField("do not send me the termly radar", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Preferences of {self.person}"
