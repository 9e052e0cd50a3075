"""Network roles: who does what, who stands in, and when the arrangement is reviewed.

Role clarity is the first pitfall trust-wide networks report; the standing advice is a
deputy for every role and nothing resting on one person. The succession risks are
computed (`roles/succession.py`), never stored, so they are always current.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone


class NetworkRole(models.Model):
    class Kind(models.TextChoices):
        NETWORK_LEAD = "network_lead", "Network lead"
        HUB_LEAD = "hub_lead", "Hub lead"
        HUB_DEPUTY = "hub_deputy", "Hub deputy"
        TRUST_SCIENCE_LEAD = "trust_science_lead", "Trust science lead"
        STEERING = "steering", "Steering group member"
        VISIT_CONSULTANT = "visit_consultant", "Visit consultant"
        MENTOR = "mentor", "Mentor"
        OTHER = "other", "Other"

    # Roles that lead something: three or more on one person is a succession risk.
    LEAD_KINDS = (Kind.NETWORK_LEAD, Kind.HUB_LEAD, Kind.TRUST_SCIENCE_LEAD)
    # A deputy is expected for these; the others (a member, a consultant) stand alone.
    NEEDS_DEPUTY = (Kind.NETWORK_LEAD, Kind.HUB_LEAD, Kind.TRUST_SCIENCE_LEAD)

    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200, blank=True, help_text="Empty: the kind of role, e.g. 'Hub lead'.")
    responsibilities = models.TextField(help_text="What the role does, in a few lines.")
    hub = models.ForeignKey(
        "network.Hub", on_delete=models.CASCADE, null=True, blank=True, related_name="roles", help_text="For hub roles."
    )
    trust = models.ForeignKey(
        "trusts.Trust",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_roles",
        help_text="For trust roles (e.g. trust science lead).",
    )
    holder = models.ForeignKey(
        "trusts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="roles_held"
    )
    deputy = models.ForeignKey(
        "trusts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="roles_deputised"
    )
    starts_on = models.DateField(default=timezone.localdate)
    review_on = models.DateField(help_text="When the arrangement is next reviewed.")
    hours_per_term = models.DecimalField(
        "time allocated (hours a term)",
        max_digits=5,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    review_reminded_for = models.DateField(
        null=True, blank=True, help_text="The review date whose reminder was sent (a new date is reminded again)."
    )

    class Meta:
        ordering = ["network", "kind", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(holder__isnull=True) | ~models.Q(holder=models.F("deputy")),
                name="role_holder_is_not_deputy",
            ),
            models.CheckConstraint(
                condition=models.Q(review_on__gte=models.F("starts_on")), name="role_review_after_start"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        base = self.title or self.get_kind_display()
        if self.hub_id and not self.title:
            return f"{base}, {self.hub.name}"
        return base
