"""Surveys: what a coordinator builds, who is invited, and what comes back.

Imported by `impact.models`, so the app label is `impact`. Every write goes through
`impact.surveys.services` (building, dispatch, answering); these models hold data,
constraints and small derived properties only.

A survey's life:

    draft ──open──▶ open ──close (by hand, or the sweep at `closes_at`)──▶ closed

Whether a survey is anonymous is chosen while it is a draft and fixed when it opens
(so before the first answer). A question that has answers is never deleted, only
archived, so results stay comparable over time.

Anonymity is a property of the schema, not a promise of the pages:

- `Response` and `Answer` have no column that leads to a person, a booking, a login
  or an invitation; their primary keys are random (a sequential id would give away the
  order of submission, which the invitations' `answered_at` also records); they carry no
  time finer than the month. They hold the event (or none), and the trust only when at
  least `SMALL_NUMBER_THRESHOLD` people of that trust were invited to it.
- `SurveyInvitation` records *that* the person answered (`answered_at`), never *what*.
  For a named survey (a pre/post pair must be named: a change per person needs the
  same person twice) the invitation points to its response; a check constraint forbids
  that pointer on an anonymous survey's invitations.
- Answers saved half-way live in the invitation's `draft` until the person submits;
  then they move into an anonymous `Response` and the draft is emptied.
"""

import secrets
import uuid

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils import timezone

LINK_SALT = "impact.survey-link"
LIKERT_AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
CONTRIBUTION_LABELS = ["None", "Small", "Moderate", "Large", "Essential"]


class Survey(models.Model):
    """A questionnaire of one network. `builtin` marks the network's own long-running
    surveys that the sweeps send by themselves: the post-event evaluation and the lagged
    follow-ups (one per delay in months). Pre/post pairs and the annual member survey
    are made from templates (`impact.surveys.templates`) and sent by a coordinator."""

    class Kind(models.TextChoices):
        EVALUATION = "evaluation", "Post-event evaluation"
        FOLLOW_UP = "follow_up", "Lagged follow-up"
        PRE = "pre", "Before a programme (pre)"
        POST = "post", "After a programme (post)"
        ANNUAL = "annual", "Annual member survey"
        CUSTOM = "custom", "Other survey"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    network = models.ForeignKey("network.Network", on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True, help_text="Shown above the questions.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CUSTOM)
    builtin = models.BooleanField(
        default=False, help_text="The network's own evaluation or follow-up, sent by the sweeps."
    )
    anonymous = models.BooleanField(
        default=True,
        help_text="Answers are stored with no link to the person. Chosen before the survey opens; fixed after.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    follow_up_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For a lagged follow-up: months after attending an event."
    )
    pair = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="post_survey",
        help_text="For an 'after' survey: the 'before' survey it is compared with.",
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True, help_text="Empty: open until closed by hand.")
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network", "-created_at", "pk"]
        constraints = [
            # One built-in evaluation per network, one built-in follow-up per delay.
            models.UniqueConstraint(
                fields=["network", "kind"],
                condition=models.Q(builtin=True, kind="evaluation"),
                name="one_builtin_evaluation_per_network",
            ),
            models.UniqueConstraint(
                fields=["network", "follow_up_months"],
                condition=models.Q(builtin=True, kind="follow_up"),
                name="one_builtin_follow_up_per_delay",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="follow_up") | models.Q(follow_up_months__gte=1),
                name="follow_up_has_delay",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["pre", "post"]) | models.Q(anonymous=False),
                name="pre_post_surveys_are_named",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def introduction_for(self, event=None) -> str:
        return self.introduction.replace("{event}", f"“{event.title}”" if event else "the CPD")

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["survey", "position", "pk"]

    def __str__(self):
        return self.title


class Question(models.Model):
    """One question. `key` names a question across copies (a pre/post pair is compared
    key by key; the dashboards read the `impact` and `contribution` questions); `{event}`
    in the text is replaced by the event's title in an invitation about one event."""

    class Kind(models.TextChoices):
        LIKERT = "likert", "Scale of 1 to 5"
        SINGLE = "single", "One choice"
        MULTIPLE = "multiple", "Several choices"
        NUMBER = "number", "Number"
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"

    SCORED = (Kind.LIKERT, Kind.NUMBER)
    CHOICES = (Kind.SINGLE, Kind.MULTIPLE)
    TEXT = (Kind.SHORT_TEXT, Kind.LONG_TEXT)

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="questions")
    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.LIKERT)
    required = models.BooleanField(default=True)
    choices = models.JSONField(default=list, blank=True, help_text="The options of a choice question.")
    scale_labels = models.JSONField(
        default=list, blank=True, help_text="Five labels, from 1 to 5, of a scale question."
    )
    key = models.SlugField(max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "section__position", "position", "pk"]

    def __str__(self):
        return self.text

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def labels(self) -> list[str]:
        return list(self.scale_labels) if len(self.scale_labels or ()) == 5 else LIKERT_AGREE

    def text_for(self, event=None) -> str:
        return self.text.replace("{event}", f"“{event.title}”" if event else "the CPD")


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


class SurveyInvitation(models.Model):
    """One person asked to answer one survey (about one event, for evaluations and
    follow-ups). The emailed link is `token`: the random `nonce` signed with the
    secret key, so a leaked database gives nobody a working link, yet the reminder can
    rebuild the link. Single use: once `answered_at` is set the link says so."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    person = models.ForeignKey("trusts.Person", on_delete=models.CASCADE, related_name="survey_invitations")
    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="survey_invitations"
    )
    booking = models.ForeignKey(
        "events.Booking", on_delete=models.SET_NULL, null=True, blank=True, related_name="survey_invitations"
    )
    trust = models.ForeignKey(
        "trusts.Trust",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_invitations",
        help_text="The person's trust when invited (for response rates by trust).",
    )
    academy = models.ForeignKey(
        "trusts.Academy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The booking's academy, or the person's when invited (for response rates by academy).",
    )
    anonymous = models.BooleanField(help_text="Copied from the survey, which fixes it before it opens.")
    nonce = models.CharField(max_length=32, unique=True, default=new_nonce, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    invited_at = models.DateTimeField(null=True, blank=True, help_text="When the invitation email was queued.")
    reminded_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    draft = models.JSONField(default=dict, blank=True, help_text="Answers saved so far; emptied on submission.")
    response = models.OneToOneField(
        "impact.Response",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="named_invitation",
        help_text="Named surveys only.",
    )

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["survey", "answered_at"], name="invitation_survey_answered_idx")]
        constraints = [
            # One invitation per person and survey (and event: each event is evaluated).
            models.UniqueConstraint(
                fields=["survey", "person", "event"], name="one_invitation_per_person_survey_event"
            ),
            models.UniqueConstraint(
                fields=["survey", "person"],
                condition=models.Q(event__isnull=True),
                name="one_invitation_per_person_survey",
            ),
            models.CheckConstraint(
                condition=models.Q(anonymous=False) | models.Q(response__isnull=True),
                name="anonymous_invitation_has_no_response",
            ),
        ]

    def __str__(self):
        return f"{self.survey} – {self.person_id}"

    @property
    def token(self) -> str:
        return signing.Signer(salt=LINK_SALT, sep=".").sign(self.nonce)

    @staticmethod
    def nonce_from(token: str) -> str | None:
        try:
            return signing.Signer(salt=LINK_SALT, sep=".").unsign(token)
        except signing.BadSignature:
            return None

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at or self.survey.status == Survey.Status.CLOSED

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Response(models.Model):
    """One submitted set of answers. No person, booking, login or invitation: see the
    module docstring. `trust` is set only when the group invited from that trust (to the
    event, or to the survey) was at least SMALL_NUMBER_THRESHOLD; `month` is the first
    day of the month it was given (no finer time)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="survey_responses"
    )
    trust = models.ForeignKey(
        "trusts.Trust", on_delete=models.PROTECT, null=True, blank=True, related_name="survey_responses"
    )
    month = models.DateField(help_text="The first day of the month the answers were given.")

    class Meta:
        # Ordered by nothing that reveals when a response came in.
        ordering = ["survey", "month", "id"]

    def __str__(self):
        return f"Response to {self.survey}"


class Answer(models.Model):
    """One answer: `number` for a scale or a number, `text` for text and one choice,
    `choices` for several choices."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    number = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["question", "id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
        ]

    def __str__(self):
        return f"Answer to {self.question_id}"
