"""Trusts, academies and the people in them: the floor every other room stands on.

Academies are keyed by URN and keep their history: which trust they belonged to and
when, inspections and Progress 8 by year, and support-tier changes. `Academy.trust` is
the *current* trust, kept in step with `AcademyTrustMembership` by
`trusts.services.academy_move_trust`, so that scoping a page is one indexed filter.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords


class Region(models.TextChoices):
    NORTH_EAST = "North East", "North East"
    NORTH_WEST = "North West", "North West"
    YORKSHIRE = "Yorkshire and the Humber", "Yorkshire and the Humber"
    EAST_MIDLANDS = "East Midlands", "East Midlands"
    WEST_MIDLANDS = "West Midlands", "West Midlands"
    EAST = "East of England", "East of England"
    LONDON = "London", "London"
    SOUTH_EAST = "South East", "South East"
    SOUTH_WEST = "South West", "South West"


class Trust(models.Model):
    name = models.CharField(max_length=200)
    gias_uid = models.CharField(
        "GIAS group UID",
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text="The trust's group UID in Get Information About Schools (e.g. 4321).",
    )
    companies_house_number = models.CharField(max_length=12, blank=True)
    region = models.CharField(max_length=40, choices=Region.choices, blank=True)
    ceo_name = models.CharField("CEO name", max_length=200, blank=True)
    ceo_email = models.EmailField("CEO email", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Phase(models.TextChoices):
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    MIDDLE_SECONDARY = "middle_secondary", "Middle deemed secondary"
    SIXTEEN_PLUS = "sixteen_plus", "16 plus"
    PRIMARY = "primary", "Primary"
    MIDDLE_PRIMARY = "middle_primary", "Middle deemed primary"
    NURSERY = "nursery", "Nursery"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class CommunityType(models.TextChoices):
    INNER_CITY = "inner_city", "Inner-city"
    URBAN = "urban", "Urban"
    COASTAL = "coastal", "Coastal"
    RURAL = "rural", "Rural"


class SupportTier(models.TextChoices):
    SUSTAIN = "sustain", "Sustain"
    IMPROVE = "improve", "Improve"
    STABILISE = "stabilise", "Stabilise & Repair"


class Academy(models.Model):
    urn = models.PositiveIntegerField("URN", unique=True, help_text="Unique reference number from GIAS.")
    name = models.CharField(max_length=200)
    trust = models.ForeignKey(
        Trust,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="academies",
        help_text="Current trust. Moves are recorded with dates in the trust history.",
    )
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.SECONDARY)
    local_authority = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=40, choices=Region.choices, blank=True)
    urban_rural = models.CharField(
        "urban/rural classification",
        max_length=100,
        blank=True,
        help_text="As GIAS publishes it, e.g. 'Urban major conurbation'.",
    )
    community_type = models.CharField(max_length=20, choices=CommunityType.choices, blank=True)
    pupils_on_roll = models.PositiveIntegerField(null=True, blank=True)
    percent_fsm = models.DecimalField("% FSM", max_digits=5, decimal_places=2, null=True, blank=True)
    has_sixth_form = models.BooleanField(default=False)
    is_open = models.BooleanField(default=True)
    support_tier = models.CharField(max_length=20, choices=SupportTier.choices, blank=True)
    support_tier_set_on = models.DateField(null=True, blank=True)
    support_tier_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "academies"
        # Every list of academies reads in name order, a page of 25 or 50 at a time: read
        # in the index's order, a page stops at its 25th row instead of sorting all 1,250
        # names (with the language's collation) on every page (speed, issue 14).
        indexes = [models.Index(fields=["name"], name="academy_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent_fsm__isnull=True) | models.Q(percent_fsm__gte=0, percent_fsm__lte=100),
                name="academy_percent_fsm_0_100",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.urn})"


class AcademyTrustMembership(models.Model):
    """Which trust an academy belonged to, and when. `left_on` empty = still there."""

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="trust_history")
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="academy_history")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["academy", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["academy"],
                condition=models.Q(left_on__isnull=True),
                name="one_current_trust_per_academy",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("joined_on")),
                name="trust_membership_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.academy} in {self.trust} from {self.joined_on:%d/%m/%Y}"


class Inspection(models.Model):
    """An Ofsted inspection. Graded (1-4) or, since September 2024, without a single-word
    judgement: `grade` is then empty and `report_card` holds the area outcomes (from
    November 2025 a report card: see trusts/report_cards.py). Ofsted's inspection number,
    when a file gives it, identifies the inspection across files; one inspection per
    academy per day either way."""

    class Grade(models.IntegerChoices):
        OUTSTANDING = 1, "Outstanding"
        GOOD = 2, "Good"
        REQUIRES_IMPROVEMENT = 3, "Requires improvement"
        INADEQUATE = 4, "Inadequate"

    class Source(models.TextChoices):
        OFSTED_MI = "ofsted_mi", "Ofsted management information"
        GIAS = "gias", "GIAS"
        MANUAL = "manual", "Entered by a coordinator"

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="inspections")
    inspection_date = models.DateField()
    inspection_number = models.CharField(
        "Ofsted inspection number", max_length=20, blank=True, help_text="As Ofsted publishes it, e.g. 10287340."
    )
    grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    outcome_text = models.CharField(max_length=200, blank=True, help_text="The published outcome, e.g. 'Not judged'.")
    report_card = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        ordering = ["academy", "-inspection_date"]
        constraints = [
            models.UniqueConstraint(fields=["academy", "inspection_date"], name="one_inspection_per_day"),
            models.UniqueConstraint(
                fields=["inspection_number"],
                condition=~models.Q(inspection_number=""),
                name="one_inspection_per_number",
            ),
            models.CheckConstraint(
                condition=models.Q(grade__isnull=True) | models.Q(grade__gte=1, grade__lte=4),
                name="inspection_grade_1_to_4",
            ),
        ]

    def __str__(self):
        outcome = self.get_grade_display() if self.grade else (self.outcome_text or "Ungraded")
        return f"{self.academy.name}: {outcome} ({self.inspection_date:%d/%m/%Y})"

    @property
    def is_graded(self):
        return self.grade is not None

    @property
    def outcome_display(self) -> str:
        """The outcome as a person reads it: the grade, the report card's areas, or the
        published text; never a judgement the data does not hold."""
        from trusts import report_cards

        if self.grade:
            return f"{self.grade} – {self.get_grade_display()}"
        if report_cards.is_report_card(self.report_card):
            areas = "; ".join(f"{a}: {self.report_card[a]}" for a in report_cards.ordered_areas(self.report_card))
            return f"Report card – {areas}"
        return self.outcome_text or "No single-word judgement"


class PerformanceResult(models.Model):
    """KS4 Progress 8 and Attainment 8 for one academic year. Each measure's percentile
    is computed from the national file on import (never typed in); `suppressed` and
    `attainment8_suppressed` keep the DfE's code when there is no score (SUPP, NE,
    LOWCOV, …). The DfE published no Progress 8 for 2024-25 and 2025-26: those years
    have Attainment 8 only, which a membership policy may use instead."""

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="performance")
    academic_year = models.CharField(max_length=7, help_text="e.g. 2024-25")
    progress8 = models.DecimalField("Progress 8", max_digits=5, decimal_places=2, null=True, blank=True)
    percentile = models.DecimalField("Progress 8 percentile", max_digits=5, decimal_places=2, null=True, blank=True)
    suppressed = models.CharField("Progress 8 suppression code", max_length=20, blank=True)
    attainment8 = models.DecimalField("Attainment 8", max_digits=5, decimal_places=2, null=True, blank=True)
    attainment8_percentile = models.DecimalField(
        "Attainment 8 percentile", max_digits=5, decimal_places=2, null=True, blank=True
    )
    attainment8_suppressed = models.CharField("Attainment 8 suppression code", max_length=20, blank=True)

    class Meta:
        ordering = ["academy", "-academic_year"]
        constraints = [
            models.UniqueConstraint(fields=["academy", "academic_year"], name="one_result_per_year"),
        ]

    def __str__(self):
        return f"{self.academy.name} {self.academic_year}: {self.progress8}"


class JobRole(models.TextChoices):
    HEAD_OF_SCIENCE = "head_of_science", "Head of science"
    SUBJECT_LEAD = "subject_lead", "Subject lead"
    TRUST_SCIENCE_LEAD = "trust_science_lead", "Trust science lead"
    TEACHER = "teacher", "Teacher"
    ECT = "ect", "Early career teacher (ECT)"
    TRAINEE = "trainee", "Trainee teacher"
    TECHNICIAN = "technician", "Science technician"
    SENIOR_LEADER = "senior_leader", "Senior leader"
    HEADTEACHER = "headteacher", "Headteacher"
    CEO = "ceo", "Chief executive (CEO)"
    OTHER = "other", "Other"


class Designation(models.Model):
    """A recognised standing: SLE, Lead Practitioner, award winner, …"""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ExpertiseTag(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Person(models.Model):
    """Someone in the network. May or may not have a login (`network.User.person`)."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField()
    academy = models.ForeignKey(Academy, on_delete=models.SET_NULL, null=True, blank=True, related_name="people")
    trust = models.ForeignKey(
        Trust,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        help_text="For trust-wide roles (CEO, trust science lead). Filled from the academy otherwise.",
    )
    job_role = models.CharField(max_length=30, choices=JobRole.choices, default=JobRole.TEACHER)
    designations = models.ManyToManyField(Designation, blank=True, related_name="people")
    expertise = models.ManyToManyField(ExpertiseTag, blank=True, related_name="people")
    expertise_summary = models.TextField(blank=True, help_text="A sentence or two on what they can help with.")
    directory_consent = models.BooleanField(
        "appears in the expertise directory",
        default=False,
        help_text="Only people who have agreed appear in the directory.",
    )
    directory_consent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        # Every list of people is in name order (the admin's 50 a page, the directory):
        # read from the index instead of sorting 8,000 people per page (speed, issue 14).
        indexes = [models.Index(fields=["last_name", "first_name"], name="person_name_idx")]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="person_email_unique_ci"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"
