"""Hub pages: people who joined (asked, accepted by the hub lead), shared resources
(files with size and type limits, served through the access door, or links) and a
notes page for each meeting. Meetings themselves are CPD events (`events.Event` with
this hub); the programme names them by id, not by a foreign key, because the
programme sits below the events room (docs/architecture.md): see `hubs/selectors.py`."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class HubMembership(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Asked to join"
        ACCEPTED = "accepted", "Member"
        DECLINED = "declined", "Not accepted"

    hub = models.ForeignKey("network.Hub", on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey("trusts.Person", on_delete=models.CASCADE, related_name="hub_memberships")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    message = models.TextField(blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["hub", "person__last_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["hub", "person"], name="one_hub_membership_per_person")]

    def __str__(self):
        return f"{self.person} in {self.hub}: {self.get_status_display()}"


def resource_path(instance, filename):
    # A random folder per file: never guessable, never served directly (the door serves it).
    base, ext = os.path.splitext(os.path.basename(filename))
    return f"hubs/resources/{uuid.uuid4().hex}/{base[:80]}{ext[:10].lower()}"


class HubResource(models.Model):
    hub = models.ForeignKey("network.Hub", on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    file = models.FileField(upload_to=resource_path, max_length=200, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    url = models.URLField("link", max_length=500, blank=True)
    added_by = models.ForeignKey(
        "trusts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="hub_resources"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url="")) | (~models.Q(file="") & models.Q(url="")),
                name="hub_resource_file_or_link",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class MeetingNote(models.Model):
    """The notes of one hub meeting. `event_id` names the CPD event (events.Event) by id:
    the programme may not import the events room, and a note outlives a deleted event."""

    hub = models.ForeignKey("network.Hub", on_delete=models.CASCADE, related_name="meeting_notes")
    event_id = models.PositiveIntegerField()
    notes = models.TextField(blank=True)
    actions = models.TextField("agreed actions", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["hub", "-event_id"]
        constraints = [models.UniqueConstraint(fields=["hub", "event_id"], name="one_note_per_hub_meeting")]

    def __str__(self):
        return f"Notes of {self.hub} meeting {self.event_id}"
