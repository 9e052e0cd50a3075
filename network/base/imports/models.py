"""Imports that run as background jobs (network/base/imports/jobs.py): the uploaded file, where the
job is, and its report, kept after the page that started it is closed. Imported from the
bottom of `network.models`, so Django sees this model as the network app's."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportJob(models.Model):
    """One uploaded file imported by a worker, never in the web request. `kind` names
    the importer (network.base.imports.jobs.KINDS: "gias", or "resource" for an admin
    spreadsheet import, whose resource and format are in `options`). A resource import
    is first a check (`dry_run`), then, confirmed, the import itself: a second job on
    the same file."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Could not be imported"

    kind = models.CharField(max_length=20)
    target = models.CharField(max_length=100, help_text="What is imported, e.g. 'trusts.Person'.")
    file = models.FileField(upload_to="imports/%Y/%m/", max_length=300, blank=True)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    options = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(default=False, help_text="A check: nothing is saved.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, help_text="Why the file could not be imported at all.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="importjob_status_idx")]

    def __str__(self):
        what = "Check of" if self.dry_run else "Import of"
        return f"{what} {self.original_name} ({timezone.localtime(self.created_at):%d/%m/%Y %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
