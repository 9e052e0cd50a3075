"""The six-lens review of a network (or one of its hubs) for a year.

Lifecycle: a coordinator opens the year's review (one per network, or per hub, per
year), rates each lens 1-4 with commentary and the evidence it rests on, and records
the agreed actions; steering-group members read it and comment. Ratings are compared
year on year (a radar chart with its table). Nothing is deleted by the pages.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class Lens(models.TextChoices):
    PURPOSE = "purpose", "Purpose and rationale"
    CULTURE = "culture", "Culture and values"
    STAKEHOLDERS = "stakeholders", "Stakeholder engagement and collaboration"
    EQUITY = "equity", "Equity and inclusion"
    CAPACITY = "capacity", "Capacity and capability"
    SUSTAINABILITY = "sustainability", "Sustainability and impact"


RATINGS = {1: "1 – Emerging", 2: "2 – Developing", 3: "3 – Established", 4: "4 – Leading"}


class LensReview(models.Model):
    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="lens_reviews")
    hub = models.ForeignKey(
        "network.Hub",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lens_reviews",
        help_text="Empty: the review of the whole network.",
    )
    year_label = models.CharField("membership year", max_length=7, help_text="e.g. 2025-26")
    summary = models.TextField(blank=True)
    agreed_actions = models.TextField(blank=True, help_text="One action a line: what, who, by when.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["network", "-year_label", "hub__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "year_label"], condition=models.Q(hub__isnull=True), name="one_network_review_a_year"
            ),
            models.UniqueConstraint(
                fields=["network", "hub", "year_label"],
                condition=models.Q(hub__isnull=False),
                name="one_hub_review_a_year",
            ),
        ]

    def __str__(self):
        return f"Six-lens review of {self.hub or self.network}, {self.year_label}"

    @property
    def subject(self) -> str:
        return str(self.hub) if self.hub_id else str(self.network)

    @property
    def action_lines(self) -> list[str]:
        return [line.strip() for line in self.agreed_actions.splitlines() if line.strip()]


class LensRating(models.Model):
    """One lens of one review. `kpis` names KPI measures (impact.dashboards.models.Measure)
    the rating rests on; `claims` the claimed changes of the evidence log (listed with
    their confidence by `impact.reviews.evidence`)."""

    review = models.ForeignKey(LensReview, on_delete=models.CASCADE, related_name="ratings")
    lens = models.CharField(max_length=20, choices=Lens.choices)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)], choices=sorted(RATINGS.items())
    )
    commentary = models.TextField(blank=True)
    evidence = models.TextField(blank=True, help_text="What the rating rests on: documents, links, observations.")
    kpis = models.JSONField(default=list, blank=True, help_text="KPI measures the rating rests on.")
    claims = models.ManyToManyField(
        "impact.Claim",
        blank=True,
        related_name="lens_ratings",
        help_text="Claimed changes in the evidence log the rating rests on (with their confidence).",
    )

    class Meta:
        ordering = ["review", "lens"]
        constraints = [
            models.UniqueConstraint(fields=["review", "lens"], name="one_rating_per_lens"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=4),
                name="lens_rating_1_to_4",
            ),
        ]

    def __str__(self):
        return f"{self.get_lens_display()}: {self.rating or '–'}"


class ReviewComment(models.Model):
    """A steering-group member's (or coordinator's) comment on a review."""

    review = models.ForeignKey(LensReview, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment on {self.review} by {self.author}"
