"""Academy visits: requests, brokering, scheduling, reports with agreed actions.

A visit is one of three things the network exists to do (with webinars and national
events). Kinds are configured per network, each with a fee (default £0; an extra visit
£300 + VAT, which adds a line to the membership year's invoices when it is completed).
Every write goes through `events.visits.services`; these models hold data, constraints
and small properties only.

Lifecycle (the table is `events.visits.lifecycle.TRANSITIONS`; anything else is refused
with a message, never a 500):

    requested ──propose──▶ proposed ──schedule──▶ scheduled ──complete──▶ completed
        └─────────────schedule────────────────────────▲ │ reschedule (reason)
    completed ──submit report──▶ report submitted ──agree──▶ report agreed
                                        └─ask for changes─▶ completed (redraft)
    report agreed ──every action closed──▶ closed
    requested | proposed | scheduled ──cancel (reason)──▶ cancelled

Who sees a visit is the access door's (network/base/access.py): the host and visiting
academies' leaders, their trusts' executives, the people assigned to visit, coordinators.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone


class VisitKind(models.Model):
    """A kind of visit a network offers, with its fee. A kind with a fee above £0 adds
    an invoice line (at the membership year's VAT rate) when a visit of it is completed."""

    class Code(models.TextChoices):
        PEER = "peer", "Peer visit"
        CONSULTANT = "consultant", "Consultant / school-improvement visit"
        MODERATION = "moderation", "Moderation visit (Framework accreditation)"
        EXTRA = "extra", "Extra visit"

    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="visit_kinds")
    code = models.CharField(max_length=20, choices=Code.choices)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    fee_net = models.DecimalField(
        "fee (excluding VAT, £)",
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text="Above £0, a completed visit of this kind adds an invoice line for the host academy.",
    )
    is_active = models.BooleanField(default=True, help_text="Offered when someone requests a visit.")

    class Meta:
        ordering = ["network", "code"]
        constraints = [
            models.UniqueConstraint(fields=["network", "code"], name="one_visit_kind_per_code"),
            models.CheckConstraint(condition=models.Q(fee_net__gte=0), name="visit_kind_fee_not_negative"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_chargeable(self) -> bool:
        return self.fee_net > 0

    @property
    def uses_framework(self) -> bool:
        """Moderation visits rate the Framework's strands in their report."""
        return self.code == self.Code.MODERATION


class VisitPolicy(models.Model):
    """A network's rules for visits: the fairness caps and the coverage targets by
    support tier (visits a year; three terms a year, so Stabilise & Repair is termly)."""

    network = models.OneToOneField("network.Network", on_delete=models.CASCADE, related_name="visit_policy")
    host_cap_per_term = models.PositiveSmallIntegerField(
        "visits one academy hosts per term (at most)", default=2, validators=[MinValueValidator(1)]
    )
    visitor_cap_per_term = models.PositiveSmallIntegerField(
        "visits one person makes per term (at most)", default=3, validators=[MinValueValidator(1)]
    )
    target_stabilise = models.PositiveSmallIntegerField("visits a year: Stabilise & Repair", default=3)
    target_improve = models.PositiveSmallIntegerField("visits a year: Improve", default=2)
    target_sustain = models.PositiveSmallIntegerField("visits a year: Sustain", default=1)
    target_untiered = models.PositiveSmallIntegerField("visits a year: no tier recorded", default=1)
    report_due_days = models.PositiveSmallIntegerField(
        "remind the visitor if no report this many days after the visit", default=10
    )
    agreement_due_days = models.PositiveSmallIntegerField(
        "remind the host if the report is not agreed this many days after it was submitted", default=10
    )

    class Meta:
        verbose_name_plural = "visit policies"

    def __str__(self):
        return f"Visit policy of {self.network}"

    def target_for(self, tier: str) -> int:
        return {
            "stabilise": self.target_stabilise,
            "improve": self.target_improve,
            "sustain": self.target_sustain,
        }.get(tier or "", self.target_untiered)


class Visit(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        PROPOSED = "proposed", "Proposed"
        SCHEDULED = "scheduled", "Scheduled"
        COMPLETED = "completed", "Completed: report being written"
        REPORT_SUBMITTED = "report_submitted", "Report submitted"
        REPORT_AGREED = "report_agreed", "Report agreed: actions open"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    class Direction(models.TextChoices):
        HOST = "host", "Host a visit (visitors come to the academy)"
        SEE = "see", "See practice elsewhere (the academy's leaders visit)"

    # States in which the visit happened (figures, coverage, past reports).
    HAPPENED = (Status.COMPLETED, Status.REPORT_SUBMITTED, Status.REPORT_AGREED, Status.CLOSED)
    # States that hold a time in people's diaries (double-booking, caps).
    ON_THE_DIARY = (Status.SCHEDULED, *HAPPENED)
    OPEN_REQUEST = (Status.REQUESTED, Status.PROPOSED)

    network = models.ForeignKey("network.Network", on_delete=models.PROTECT, related_name="visits")
    kind = models.ForeignKey(VisitKind, on_delete=models.PROTECT, related_name="visits")
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HOST)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    host_academy = models.ForeignKey(
        "trusts.Academy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits_hosted",
        help_text="The academy visited (found by brokering when the request is to see practice).",
    )
    host_trust = models.ForeignKey(
        "trusts.Trust",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The host academy's trust when the host was set (figures credit it).",
    )
    visiting_academy = models.ForeignKey(
        "trusts.Academy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits_made",
        help_text="For peer visits: the academy whose leaders go.",
    )
    focus_areas = models.ManyToManyField("trusts.ExpertiseTag", blank=True, related_name="visits")
    preferred_weeks = models.CharField(max_length=200, blank=True, help_text="e.g. 'w/c 2 March or any week in May'.")
    notes = models.TextField(blank=True)
    annual_for = models.ForeignKey(
        "network.MembershipYear",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_visits",
        help_text="The membership year whose annual visit this is.",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    is_online = models.BooleanField(default=False)
    location = models.CharField(max_length=250, blank=True, help_text="Address or room, for visits in person.")
    joining_link = models.URLField(max_length=500, blank=True, help_text="For online visits; sent an hour before.")
    host_contact = models.ForeignKey(
        "trusts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="visits_hosting"
    )
    visitors = models.ManyToManyField(
        "trusts.Person", through="VisitVisitor", blank=True, related_name="visits_assigned"
    )
    scheduled_at = models.DateTimeField(null=True, blank=True, help_text="When it was last (re)scheduled.")
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    invoice_line = models.OneToOneField(
        "network.InvoiceLine", on_delete=models.SET_NULL, null=True, blank=True, related_name="visit"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="visit_status_start_idx"),
            models.Index(fields=["network", "starts_at"], name="visit_network_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True)
                | models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="visit_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["requested", "proposed", "cancelled"])
                | models.Q(starts_at__isnull=False),
                name="visit_on_the_diary_has_a_time",
            ),
            models.CheckConstraint(
                condition=models.Q(host_academy__isnull=True)
                | models.Q(visiting_academy__isnull=True)
                | ~models.Q(host_academy=models.F("visiting_academy")),
                name="visit_host_is_not_the_visitor",
            ),
            models.UniqueConstraint(
                fields=["annual_for", "host_academy"],
                condition=models.Q(annual_for__isnull=False),
                name="one_annual_visit_per_member_year",
            ),
        ]

    def __str__(self):
        where = self.host_academy.name if self.host_academy_id else "host to be found"
        return f"{self.kind.name}: {where}"

    @property
    def requester_academy_id(self) -> int | None:
        """The academy the request came for: the host when it asked to be visited, the
        visiting academy when it asked to see practice."""
        return self.host_academy_id if self.direction == self.Direction.HOST else self.visiting_academy_id

    @property
    def is_open_request(self) -> bool:
        return self.status in self.OPEN_REQUEST

    @property
    def has_happened(self) -> bool:
        return self.status in self.HAPPENED


class VisitVisitor(models.Model):
    """A person assigned to make a visit (a consultant, or a leader on a peer visit)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey("trusts.Person", on_delete=models.PROTECT, related_name="visit_assignments")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["visit", "pk"]
        constraints = [models.UniqueConstraint(fields=["visit", "person"], name="one_assignment_per_visitor")]

    def __str__(self):
        return f"{self.person} on {self.visit}"


class VisitReport(models.Model):
    """The visitor's report. Drafts are saved; the host agrees it or asks for changes
    (the conversation is the visit's log). An agreed report is impact evidence: the
    impact room reads agreed reports (`events.visits.selectors.agreed_reports`)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted to the host"
        CHANGES_REQUESTED = "changes_requested", "Changes asked for"
        AGREED = "agreed", "Agreed by the host"

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="report")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    seen = models.TextField("what was seen", blank=True)
    strengths = models.TextField(blank=True)
    development = models.TextField("areas for development", blank=True)
    strands = models.JSONField(
        default=dict, blank=True, help_text="Moderation visits: Framework strand → emerging/embedding/transforming."
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="agreed") | models.Q(agreed_at__isnull=False),
                name="visit_report_agreed_has_date",
            )
        ]

    def __str__(self):
        return f"Report: {self.visit}"


class VisitAction(models.Model):
    """An action agreed in a report, owned by someone at the host academy, tracked to
    closure. The visit closes when every action of its agreed report is closed."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey("trusts.Person", on_delete=models.PROTECT, related_name="visit_actions")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(blank=True, help_text="Progress, or how it was closed.")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="visit_action_status_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                name="visit_action_closed_has_date",
            )
        ]

    def __str__(self):
        return self.description[:80]

    def is_overdue(self, today=None) -> bool:
        return self.status != self.Status.CLOSED and self.due_on < (today or timezone.localdate())


class VisitLog(models.Model):
    """The visit's history and conversation: every move with who, when and why
    (cancel and reschedule reasons, the host's comments on the report)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.visit}: {self.action}"
