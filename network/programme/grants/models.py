"""Innovation grants: rounds, criteria, bids with budget lines, the review panel's
scores, and the funded projects' outcome reports.

Lifecycle of a bid (every move is a service in `grants/services/`):

    draft ──submit (before the close date)──▶ submitted ──(head endorses by signed link)
    submitted ──coordinator awards (≥2 reviews, endorsed, within budget)──▶ awarded
              ──coordinator declines──▶ not funded
    awarded ──midpoint report──▶ ──final report (published to the outcomes library)──▶

A reviewer never reviews a bid from their own trust: `grant_review_assign` refuses it,
and the access door (`not_own_trust` on GrantReview) hides such a review even if one
were written by hand.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

MONEY = {"max_digits": 10, "decimal_places": 2}
SCORE_MAX = 5


class GrantRound(models.Model):
    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="grant_rounds")
    name = models.CharField(max_length=200, help_text="e.g. Innovation grants 2025-26")
    description = models.TextField(blank=True, help_text="What the round funds, shown to leaders.")
    budget = models.DecimalField("total budget (£)", **MONEY, validators=[MinValueValidator(Decimal("0"))])
    max_per_bid = models.DecimalField(
        "most per bid (£)", **MONEY, default=Decimal("1000.00"), validators=[MinValueValidator(Decimal("1"))]
    )
    opens_on = models.DateField()
    closes_on = models.DateField(help_text="The last day bids are accepted (UK time).")
    midpoint_report_due_on = models.DateField(null=True, blank=True)
    final_report_due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="grant_round_name_unique_in_network"),
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="grant_round_dates"),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="grant_round_budget_not_negative"),
        ]

    def __str__(self):
        return self.name

    def is_open(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class GrantCriterion(models.Model):
    round = models.ForeignKey(GrantRound, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(10)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "position", "pk"]
        verbose_name_plural = "grant criteria"
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="grant_criterion_unique_in_round")]

    def __str__(self):
        return f"{self.name} (×{self.weight})"


class GrantBid(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        AWARDED = "awarded", "Awarded"
        NOT_FUNDED = "not_funded", "Not funded"

    round = models.ForeignKey(GrantRound, on_delete=models.PROTECT, related_name="bids")
    academy = models.ForeignKey("trusts.Academy", on_delete=models.PROTECT, related_name="grant_bids")
    trust = models.ForeignKey(
        "trusts.Trust",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_bids",
        help_text="The academy's trust when the bid was started: reviewers from it may not review the bid.",
    )
    lead = models.ForeignKey(
        "trusts.Person", on_delete=models.PROTECT, related_name="grant_bids", help_text="Who leads the project."
    )
    title = models.CharField("project", max_length=200)
    aims = models.TextField(blank=True)
    intended_impact = models.TextField(blank=True)
    measurement = models.TextField("how and when the impact will be measured", blank=True)
    amount_requested = models.DecimalField("amount requested (£)", **MONEY, default=Decimal("0"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    endorsed_by = models.ForeignKey(
        "trusts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="grant_endorsements"
    )
    endorsed_at = models.DateTimeField(null=True, blank=True)
    amount_awarded = models.DecimalField("amount awarded (£)", **MONEY, null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "academy__name", "pk"]
        indexes = [models.Index(fields=["round", "status"], name="grant_bid_round_status_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_requested__gte=0), name="grant_bid_amount_not_negative"),
            models.CheckConstraint(
                condition=~models.Q(status="awarded") | models.Q(amount_awarded__gt=0),
                name="grant_bid_award_has_amount",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.academy.name})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_endorsed(self) -> bool:
        return self.endorsed_at is not None


class GrantBudgetLine(models.Model):
    bid = models.ForeignKey(GrantBid, on_delete=models.CASCADE, related_name="budget_lines")
    description = models.CharField(max_length=200)
    amount = models.DecimalField("amount (£)", **MONEY, validators=[MinValueValidator(Decimal("0.01"))])

    class Meta:
        ordering = ["bid", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="grant_budget_line_positive")]

    def __str__(self):
        return f"{self.description}: £{self.amount}"


class GrantReview(models.Model):
    """One reviewer's assignment to one bid, and (once submitted) their scores: a mapping
    of criterion id to a score from 0 to 5, and the weighted score out of 100."""

    bid = models.ForeignKey(GrantBid, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_reviews")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    scores = models.JSONField(default=dict, blank=True)
    weighted_score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["bid", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "reviewer"], name="one_review_per_reviewer_per_bid"),
            models.CheckConstraint(
                condition=models.Q(submitted_at__isnull=True) | models.Q(weighted_score__isnull=False),
                name="grant_review_submitted_has_score",
            ),
        ]

    def __str__(self):
        return f"Review of {self.bid} by {self.reviewer}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class GrantReport(models.Model):
    """A funded project's midpoint or final outcome report. A final report is published
    to the outcomes library (every member school's leaders may read it) when filed."""

    class Kind(models.TextChoices):
        MIDPOINT = "midpoint", "Midpoint report"
        FINAL = "final", "Final outcome report"

    bid = models.ForeignKey(GrantBid, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    what_was_done = models.TextField()
    what_changed = models.TextField()
    evidence = models.TextField(blank=True, help_text="What shows the change: data, pupil work, observations.")
    resources = models.TextField("resources to share", blank=True, help_text="Links or descriptions, one a line.")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["bid", "kind"], name="one_report_of_each_kind_per_bid")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.bid.title}"
