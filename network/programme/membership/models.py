"""The membership year: policies, years, memberships, applications with evidence and
steering-group decisions, invoice lines, and the annual review's runs and proposals.

Lifecycle of a membership (one row per academy per network year):

    invited ──accept──▶ active ──(year ends)──▶ next year's row (renewal invitation)
    applied ──coordinator/steering decision──▶ active | declined
    under review (referred to the steering group) ──decision──▶ active | not renewed | declined
    invited, never accepted by the start of the year ──▶ lapsed
    active ──academy leaves──▶ left

Nobody is removed mid-year: a grade 3 or 4 inspection (or a report card that counts as
one) marks an active membership
`at_risk` and it runs to the end of the year; the annual review then proposes "not
eligible" for the next year. If the review had already invited the academy to renew,
that invitation is marked too and the academy cannot accept it itself: the coordinators
decide. Rows are never deleted, so the history per academy stays.
"""

import datetime
import os
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

MONTH = [MinValueValidator(1), MaxValueValidator(12)]
DAY = [MinValueValidator(1), MaxValueValidator(28)]  # no 29-31, so every year has the date
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Treatment(models.TextChoices):
    """What the review does when the data cannot decide."""

    REFER = "refer", "Refer to the steering group"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"


class UngradedTreatment(models.TextChoices):
    REFER = "refer", "Refer to the steering group"
    PREVIOUS_GRADE = "previous_grade", "Use the latest inspection before it with a grade or a report card"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"


class FallbackMeasure(models.TextChoices):
    """What the review judges a year on when the DfE published no Progress 8 for it."""

    NONE = "none", "None: such years are left out"
    ATTAINMENT8 = "attainment8", "The Attainment 8 national percentile"


class PerformanceRule(models.TextChoices):
    YEARS_AT_OR_ABOVE = "years", "At or above the percentile in enough of the years"
    AVERAGE = "average", "Average percentile over the years at or above the percentile"


class MembershipPolicy(models.Model):
    """A network's membership year and eligibility rules, edited in the admin. The
    defaults are the Leading Edge rules: grade 1, or grade 2 with Progress 8 at or above
    the 75th percentile nationally in 2 of the last 3 years. A report card counts as a
    grade 4 with urgent improvement in any area or safeguarding not met, is referred with
    an area that needs attention, and otherwise counts as a grade 2; years without
    Progress 8 are left out unless the policy chooses a fallback measure
    (network/membership/eligibility.py and report_card_rules.py say how each is read)."""

    network = models.OneToOneField("network.Network", on_delete=models.CASCADE, related_name="membership_policy")
    year_start_month = models.PositiveSmallIntegerField(default=4, validators=MONTH)
    year_start_day = models.PositiveSmallIntegerField(default=1, validators=DAY)
    review_month = models.PositiveSmallIntegerField(
        default=3, validators=MONTH, help_text="The annual review runs on this date within the year (e.g. 1 March)."
    )
    review_day = models.PositiveSmallIntegerField(default=1, validators=DAY)
    review_automatically = models.BooleanField(
        default=True, help_text="Run the review by itself on the review date (otherwise only on demand)."
    )
    prerequisite_network = models.ForeignKey(
        "network.Network",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependent_policies",
        help_text="Only active members of this network (in the same year) may join.",
    )
    fee_net = models.DecimalField(
        "fee per year (excluding VAT)", max_digits=8, decimal_places=2, default=Decimal("1600.00")
    )
    vat_rate = models.DecimalField("VAT rate (%)", max_digits=5, decimal_places=2, default=Decimal("20.00"))
    growth_target_percent = models.DecimalField(
        "growth target (% a year)", max_digits=5, decimal_places=2, default=Decimal("20.00")
    )
    grade1_eligible = models.BooleanField("grade 1 (Outstanding) is eligible on its own", default=True)
    percentile_threshold = models.DecimalField(
        "percentile threshold",
        max_digits=5,
        decimal_places=2,
        default=Decimal("75.00"),
        validators=PERCENT,
        help_text="The national percentile of Progress 8 (or of the fallback measure, in years without Progress 8).",
    )
    performance_years = models.PositiveSmallIntegerField(
        "years of performance considered", default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    performance_rule = models.CharField(
        max_length=10, choices=PerformanceRule.choices, default=PerformanceRule.YEARS_AT_OR_ABOVE
    )
    years_required = models.PositiveSmallIntegerField(
        "years at or above required",
        default=2,
        validators=[MinValueValidator(1)],
        help_text="For the 'enough of the years' rule, e.g. 2 (of the last 3).",
    )
    ungraded_treatment = models.CharField(
        "latest inspection has no single-word judgement",
        max_length=20,
        choices=UngradedTreatment.choices,
        default=UngradedTreatment.REFER,
    )
    no_inspection_treatment = models.CharField(
        "no inspection on record", max_length=20, choices=Treatment.choices, default=Treatment.REFER
    )
    no_performance_treatment = models.CharField(
        "grade 2 (or a report card that meets the policy) without performance data",
        max_length=20,
        choices=Treatment.choices,
        default=Treatment.REFER,
    )
    fallback_measure = models.CharField(
        "measure for years without Progress 8",
        max_length=20,
        choices=FallbackMeasure.choices,
        default=FallbackMeasure.NONE,
        help_text="The DfE published no Progress 8 for 2024-25 and 2025-26. Every review outcome says which measure "
        "and which years it used.",
    )
    report_card_strong_areas = models.PositiveSmallIntegerField(
        "report card: areas at strong standard or better required",
        default=0,
        validators=[MaxValueValidator(8)],
        help_text="0: a report card with every area at expected standard or better (and safeguarding met) meets "
        "the policy.",
    )
    report_card_shortfall_treatment = models.CharField(
        "report card with an area that needs attention (or too few strong areas)",
        max_length=20,
        choices=Treatment.choices,
        default=Treatment.REFER,
        help_text="Urgent improvement in any area, or safeguarding not met, always counts as a grade 4 did.",
    )
    report_card_needs_performance = models.BooleanField(
        "a report card that meets the policy also needs the performance rule, as grade 2 does",
        default=True,
        help_text="Untick to make such a report card eligible on its own, as grade 1 is.",
    )

    class Meta:
        verbose_name_plural = "membership policies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(years_required__gte=1, years_required__lte=models.F("performance_years")),
                name="policy_years_required_within_years",
            ),
            models.CheckConstraint(
                condition=~models.Q(prerequisite_network=models.F("network")), name="policy_prerequisite_not_itself"
            ),
        ]

    def __str__(self):
        return f"Membership policy of {self.network}"

    def year_containing(self, day: datetime.date) -> tuple[str, datetime.date, datetime.date]:
        """(label, starts_on, ends_on) of the membership year that contains `day`."""
        start_year = day.year if (day.month, day.day) >= (self.year_start_month, self.year_start_day) else day.year - 1
        return self.year_from_start(start_year)

    def year_from_start(self, start_year: int) -> tuple[str, datetime.date, datetime.date]:
        starts_on = datetime.date(start_year, self.year_start_month, self.year_start_day)
        ends_on = datetime.date(start_year + 1, self.year_start_month, self.year_start_day) - datetime.timedelta(days=1)
        return year_label(start_year), starts_on, ends_on

    def review_date(self, starts_on: datetime.date) -> datetime.date:
        """The review date inside the year that starts on `starts_on`."""
        candidate = datetime.date(starts_on.year, self.review_month, self.review_day)
        return (
            candidate
            if candidate >= starts_on
            else datetime.date(starts_on.year + 1, self.review_month, self.review_day)
        )


def year_label(start_year: int) -> str:
    """2025 → "2025-26", the way schools and the DfE write academic years."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def year_start(label: str) -> int:
    """ "2025-26" → 2025. Raises ValueError for anything else."""
    first, _, second = label.partition("-")
    if not (len(first) == 4 and first.isdigit() and len(second) == 2 and second.isdigit()):
        raise ValueError(f"'{label}' is not a year like 2025-26")
    if (int(first) + 1) % 100 != int(second):
        raise ValueError(f"'{label}' is not a year like 2025-26 (the second part must be the next year)")
    # 9999-00 is well formed, but its end (1 April 10000) is not a date Python can hold.
    if not 1990 <= int(first) <= 2200:
        raise ValueError(f"'{label}' is outside the years the portal keeps (1990-91 to 2200-01)")
    return int(first)


class MembershipYear(models.Model):
    """One network's membership year, e.g. 2025-26 from 1 April 2025 to 31 March 2026.
    The fee is copied from the policy when the year is created, so a later change of
    policy does not rewrite last year's invoices."""

    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="membership_years")
    label = models.CharField(max_length=7, help_text="e.g. 2025-26")
    starts_on = models.DateField()
    ends_on = models.DateField()
    review_on = models.DateField(help_text="When the annual review for this year runs.")
    fee_net = models.DecimalField("fee (excluding VAT)", max_digits=8, decimal_places=2)
    vat_rate = models.DecimalField("VAT rate (%)", max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["network", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["network", "label"], name="one_membership_year_per_label"),
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="membership_year_dates"),
        ]

    def __str__(self):
        return f"{self.network} {self.label}"

    @property
    def next_label(self) -> str:
        return year_label(year_start(self.label) + 1)


class Membership(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        APPLIED = "applied", "Applied"
        UNDER_REVIEW = "under_review", "Under review (steering group)"
        ACTIVE = "active", "Active"
        LAPSED = "lapsed", "Lapsed (invitation not accepted)"
        NOT_RENEWED = "not_renewed", "Not renewed"
        DECLINED = "declined", "Application declined"
        LEFT = "left", "Left"

    class Source(models.TextChoices):
        INVITATION = "invitation", "Invited by a coordinator"
        APPLICATION = "application", "Applied"
        REVIEW = "review", "Annual review"

    year = models.ForeignKey(MembershipYear, on_delete=models.PROTECT, related_name="memberships")
    academy = models.ForeignKey("trusts.Academy", on_delete=models.PROTECT, related_name="memberships")
    trust = models.ForeignKey(
        "trusts.Trust",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="The trust the academy belonged to when the membership began.",
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    at_risk = models.BooleanField(default=False)
    at_risk_since = models.DateField(null=True, blank=True)
    at_risk_reason = models.TextField(blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    left_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "academy__name"]
        constraints = [models.UniqueConstraint(fields=["year", "academy"], name="one_membership_per_academy_year")]
        indexes = [models.Index(fields=["year", "status"], name="membership_year_status_idx")]

    def __str__(self):
        return f"{self.academy} – {self.year.label}: {self.get_status_display()}"


def evidence_path(instance, filename):
    # A random folder per file: names stay readable for the person who downloads them,
    # and nobody can guess another academy's evidence (it is never served directly).
    base, ext = os.path.splitext(os.path.basename(filename))
    return f"membership/evidence/{uuid.uuid4().hex}/{base[:80]}{ext[:10].lower()}"


class MembershipApplication(models.Model):
    """An application with evidence, or a referral from the annual review. Referred
    applications go to the steering group, whose decision keeps who, when and why."""

    class Source(models.TextChoices):
        APPLICATION = "application", "Application by the academy"
        REVIEW = "review", "Referred by the annual review"

    class Decision(models.TextChoices):
        PENDING = "pending", "Awaiting decision"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="application")
    source = models.CharField(max_length=20, choices=Source.choices)
    evidence_text = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    meets_criteria = models.BooleanField(help_text="Whether the academy met the criteria by data when it applied.")
    assessment = models.JSONField(default=dict, blank=True, help_text="The outcome, reasons and data used.")
    referred_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="pending")
                | (models.Q(decided_at__isnull=False) & ~models.Q(decision_reason="")),
                name="application_decision_has_reason",
            )
        ]

    def __str__(self):
        return f"Application: {self.membership}"

    @property
    def is_referred(self):
        return self.referred_at is not None


class ApplicationEvidence(models.Model):
    application = models.ForeignKey(MembershipApplication, on_delete=models.CASCADE, related_name="evidence_files")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    name = models.CharField(max_length=200, help_text="The file's name as uploaded.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "application evidence"

    def __str__(self):
        return self.name


class InvoiceLine(models.Model):
    """A charge finance will invoice: the year's fee (once per membership) or an extra
    (e.g. an extra visit). No payments are taken here; finance exports these as CSV."""

    class Kind(models.TextChoices):
        FEE = "fee", "Membership fee"
        EXTRA = "extra", "Extra charge"

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="invoice_lines")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EXTRA)
    description = models.CharField(max_length=200)
    net_amount = models.DecimalField("net amount (£)", max_digits=8, decimal_places=2)
    vat_rate = models.DecimalField("VAT rate (%)", max_digits=5, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"], condition=models.Q(kind="fee"), name="one_fee_line_per_membership"
            ),
            models.CheckConstraint(condition=models.Q(net_amount__gte=0), name="invoice_line_not_negative"),
        ]

    def __str__(self):
        return f"{self.description}: £{self.net_amount}"

    @property
    def vat_amount(self) -> Decimal:
        return (self.net_amount * self.vat_rate / 100).quantize(Decimal("0.01"))

    @property
    def gross_amount(self) -> Decimal:
        return self.net_amount + self.vat_amount


class ReviewRun(models.Model):
    """One annual review of one network's year. The unique (network, year) pair is the
    idempotence key: whichever worker inserts it first runs the review; everyone else
    finds it and does nothing, so the review runs exactly once."""

    class Trigger(models.TextChoices):
        SWEEP = "sweep", "Scheduled sweep"
        COMMAND = "command", "Command line"
        PAGE = "page", "Coordinator page"

    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="review_runs")
    year = models.ForeignKey(MembershipYear, on_delete=models.PROTECT, related_name="review_runs")
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    data_as_of = models.DateField(help_text="The review looked at the data known on this day.")

    class Meta:
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["network", "year"], name="one_review_per_network_year")]

    def __str__(self):
        return f"Review of {self.year}"


class Outcome(models.TextChoices):
    RENEW = "renew", "Renew"
    AT_RISK = "at_risk", "Renew, at risk"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    REFER = "refer", "Refer to steering group"
    INVITE = "invite", "Invite"


class ReviewProposal(models.Model):
    """The review's proposal for one academy, with the reasons and the data it used. A
    proposal does nothing until a coordinator confirms it, possibly overriding the
    outcome (an override needs a reason)."""

    run = models.ForeignKey(ReviewRun, on_delete=models.CASCADE, related_name="proposals")
    academy = models.ForeignKey("trusts.Academy", on_delete=models.PROTECT, related_name="review_proposals")
    trust = models.ForeignKey(
        "trusts.Trust", on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="At the review."
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_proposals",
        help_text="The membership reviewed (empty for an academy proposed for invitation).",
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reasons = models.JSONField(default=list)
    evidence = models.JSONField(default=dict, help_text="The inspection and Progress 8 data the review used.")
    override_outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    next_membership = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["run", "academy__name"]
        constraints = [
            models.UniqueConstraint(fields=["run", "academy"], name="one_proposal_per_academy_per_run"),
            models.CheckConstraint(
                condition=models.Q(override_outcome="") | ~models.Q(override_reason=""),
                name="proposal_override_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.academy}: {self.get_outcome_display()}"

    @property
    def final_outcome(self) -> str:
        return self.override_outcome or self.outcome

    def get_final_outcome_display(self) -> str:
        return Outcome(self.final_outcome).label

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None
