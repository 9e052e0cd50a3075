"""The network's objectives: a target per measure per year, set by coordinators. The
value is never typed in: `impact.dashboards.kpis` computes it from the records."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone


class Measure(models.TextChoices):
    ONLINE_CPD_LEADERS = "online_cpd_leaders", "Leaders who joined online CPD"
    VISITS = "visits", "Academy visits delivered"
    CONFERENCE = "conference", "Leaders at the national conference"
    MEMBERSHIP_GROWTH = "membership_growth", "Membership growth on last year (%)"
    NEVER_ENGAGED = "never_engaged", "Academies never engaged (%)"
    ACADEMIES_REACHED = "academies_reached", "Academies reached"
    CPD_HOURS = "cpd_hours", "CPD hours"


# Measures whose target is a ceiling ("at most"); every other target is a floor.
AT_MOST = {Measure.NEVER_ENGAGED}
# Measures that can also be held to "from at least N trusts".
WITH_TRUSTS = {Measure.ONLINE_CPD_LEADERS, Measure.VISITS, Measure.CONFERENCE}


class Objective(models.Model):
    """A network objective for one membership year, e.g. "visits ≥ 35 across ≥ 5
    trusts". One per measure per network per year."""

    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="objectives")
    year_label = models.CharField("membership year", max_length=7, help_text="e.g. 2025-26 (1 April – 31 March)")
    measure = models.CharField(max_length=30, choices=Measure.choices)
    target = models.DecimalField(max_digits=8, decimal_places=1, validators=[MinValueValidator(0)])
    min_trusts = models.PositiveSmallIntegerField(
        "from at least this many trusts",
        null=True,
        blank=True,
        help_text="Only for leaders in online CPD, visits and the conference; empty: any number of trusts.",
    )
    note = models.CharField(max_length=250, blank=True, help_text="Why this target, or where it comes from.")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network", "-year_label", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["network", "year_label", "measure"], name="one_objective_per_measure_year"),
            models.CheckConstraint(condition=models.Q(target__gte=0), name="objective_target_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_measure_display()} {self.comparison} {self.target} ({self.year_label})"

    @property
    def at_most(self) -> bool:
        return self.measure in AT_MOST

    @property
    def comparison(self) -> str:
        return "≤" if self.at_most else "≥"
