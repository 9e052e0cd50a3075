"""The termly radar: a digest the coordinator composes in the browser from the term's
published grant outcomes, upcoming CPD events, new hub resources and an editorial,
previews, and sends to every member leader who has not opted out, once per person
and issue (the outbox key `radar:<issue>:<person>`).

    draft ──send──▶ sending (the sweep writes one message per recipient) ──▶ sent
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class RadarIssue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="radar_issues")
    title = models.CharField(max_length=200, help_text="e.g. Innovation Radar, spring term 2026")
    editorial = models.TextField(help_text="A few paragraphs from the coordinators.")
    outcomes = models.ManyToManyField("network.GrantReport", blank=True, related_name="radar_issues")
    resources = models.ManyToManyField("network.HubResource", blank=True, related_name="radar_issues")
    # CPD events (events.Event) by id: the programme may not import the events room.
    event_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    send_requested_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT
