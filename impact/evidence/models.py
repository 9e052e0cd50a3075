"""The evidence log: claimed changes in academies and the evidence behind each.

Imported by `impact.models` (app label `impact`). Writes go through
`impact.evidence.services`. A `Claim` is one claimed change ("Year 9 required-practical
write-ups improved") at one academy, tied to the initiative it came from; its
`EvidenceItem`s are the sources. How sure we are follows from the *kinds* of source,
not their number (`impact.evidence.confidence`): three teacher anecdotes are still
anecdotal.

Initiatives are generic on purpose: a kind and a reference. Event series and hubs
are named (`event_series`, `hub`); for a visit or a grant `initiative_ref` holds its
number (a grant's bid number) and `initiative_label` its name. Evidence items that come
from another record in one click keep a foreign key to it: a survey's result
(`survey`), a grant's published outcome report (`grant_report`), a visit's agreed report
(`visit_report`).
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class GuskeyLevel(models.IntegerChoices):
    """Guskey's five levels of professional development evaluation."""

    REACTIONS = 1, "1. Participants' reactions"
    LEARNING = 2, "2. Participants' learning"
    ORGANISATION = 3, "3. Organisational support and change"
    USE = 4, "4. Use of new knowledge and skills"
    PUPIL_OUTCOMES = 5, "5. Pupil outcomes"


class SourceType(models.TextChoices):
    SURVEY_RESULT = "survey_result", "Survey result"
    LESSON_OBSERVATION = "lesson_observation", "Lesson observation"
    PUPIL_VOICE = "pupil_voice", "Pupil voice"
    TEACHER_VOICE = "teacher_voice", "Teacher voice"
    PROGRESS_DATA = "progress_data", "Progress or assessment data"
    VISIT_REPORT = "visit_report", "Visit report"
    GRANT_REPORT = "grant_report", "Grant outcome report"
    WORK_SCRUTINY = "work_scrutiny", "Work scrutiny (pupils' work)"
    ATTENDANCE_DATA = "attendance_data", "Attendance data"


class InitiativeKind(models.TextChoices):
    EVENT_SERIES = "event_series", "CPD event series"
    HUB = "hub", "Hub or cluster"
    VISIT = "visit", "Academy visit"
    GRANT = "grant", "Grant"


class Claim(models.Model):
    statement = models.CharField(
        "claimed change", max_length=300, help_text="A short statement, e.g. 'Year 9 practical write-ups improved'."
    )
    academy = models.ForeignKey("trusts.Academy", on_delete=models.PROTECT, related_name="evidence_claims")
    initiative_kind = models.CharField(max_length=20, choices=InitiativeKind.choices)
    event_series = models.CharField(max_length=100, blank=True, help_text="The series' name (events.Event.series).")
    hub = models.ForeignKey(
        "network.Hub", on_delete=models.PROTECT, null=True, blank=True, related_name="evidence_claims"
    )
    # Visits and grants plug in here (see the module docstring): their id until the
    # foreign keys exist.
    initiative_ref = models.PositiveIntegerField(null=True, blank=True)
    initiative_label = models.CharField(max_length=200, help_text="How the initiative is named on pages.")
    guskey_level = models.PositiveSmallIntegerField(choices=GuskeyLevel.choices)
    cpd_on = models.DateField(
        "date of the related CPD", null=True, blank=True, help_text="When the CPD behind the change took place."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["initiative_kind", "initiative_label", "academy__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(initiative_kind="hub") | models.Q(hub__isnull=False), name="hub_claim_names_hub"
            ),
            models.CheckConstraint(
                condition=~models.Q(initiative_kind="event_series") | ~models.Q(event_series=""),
                name="series_claim_names_series",
            ),
        ]

    def __str__(self):
        return self.statement


ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def attachment_path(instance, filename):
    # A random folder per file; files are never served directly, only through the
    # permission-checked download view.
    base, ext = os.path.splitext(os.path.basename(filename))
    return f"impact/evidence/{uuid.uuid4().hex}/{base[:80]}{ext[:10].lower()}"


class EvidenceItem(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="items")
    source_type = models.CharField(max_length=30, choices=SourceType.choices)
    observed_on = models.DateField("date", help_text="When the evidence was gathered.")
    summary = models.TextField()
    attachment = models.FileField(upload_to=attachment_path, max_length=200, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    # A survey result attached in one click: the survey and the filters of the result.
    survey = models.ForeignKey(
        "impact.Survey", on_delete=models.PROTECT, null=True, blank=True, related_name="evidence_items"
    )
    survey_filters = models.JSONField(default=dict, blank=True)
    # A grant's published outcome report attached in one click.
    grant_report = models.ForeignKey(
        "network.GrantReport", on_delete=models.PROTECT, null=True, blank=True, related_name="evidence_items"
    )
    # An academy visit's report, agreed by its host, attached in one click.
    visit_report = models.ForeignKey(
        "events.VisitReport", on_delete=models.PROTECT, null=True, blank=True, related_name="evidence_items"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["claim", "observed_on", "pk"]

    def __str__(self):
        return f"{self.get_source_type_display()} for {self.claim_id}"
