"""The network programme's own data: networks and their hubs and clusters. The
membership year lives in `membership/`; both belong to the `network` app."""

from django.db import models


class Network(models.Model):
    """A subject network, e.g. the Secondary Science Network. One portal can host several."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    subject = models.CharField(max_length=100, help_text="e.g. Science")
    phase = models.CharField(
        max_length=20,
        choices=[("secondary", "Secondary"), ("primary", "Primary"), ("all", "All phases")],
        default="secondary",
    )
    description = models.TextField(blank=True)
    member_trusts = models.ManyToManyField("trusts.Trust", blank=True, related_name="networks")
    overlapping_bookings = models.CharField(
        "bookings that overlap in time",
        max_length=10,
        choices=[("warn", "Warn the person, and let them book"), ("refuse", "Refuse the second booking")],
        default="warn",
        help_text="When someone books an event whose times overlap another of their bookings (events.services.overlaps).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Hub(models.Model):
    """A cluster (local group of academies) or a curriculum hub (a subject specialism).
    Trust-internal hubs are for one trust's people (only they may join); cross-trust
    hubs for everyone in the network. Schools may propose a cluster; a coordinator
    approves it (until then only the proposer and the coordinators see it). Its
    members, resources and meeting notes are in `hubs/`."""

    class Kind(models.TextChoices):
        CLUSTER = "cluster", "Cluster"
        CURRICULUM = "curriculum", "Curriculum hub"

    class Scope(models.TextChoices):
        CROSS_TRUST = "cross_trust", "Cross-trust"
        TRUST = "trust", "Trust-internal"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="hubs")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CLUSTER)
    region = models.CharField(max_length=40, blank=True)
    lead = models.ForeignKey("trusts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="hubs_led")
    deputy_lead = models.ForeignKey(
        "trusts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="hubs_deputised"
    )
    academies = models.ManyToManyField("trusts.Academy", blank=True, related_name="hubs")
    purpose = models.TextField(blank=True, help_text="What the hub is for, shown on its page.")
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.CROSS_TRUST)
    trust = models.ForeignKey(
        "trusts.Trust",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="internal_hubs",
        help_text="For a trust-internal hub: the trust whose people may join.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    proposed_by = models.ForeignKey(
        "trusts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="hubs_proposed"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["network", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="hub_name_unique_in_network"),
            models.CheckConstraint(
                condition=models.Q(lead__isnull=True) | ~models.Q(lead=models.F("deputy_lead")),
                name="hub_lead_is_not_deputy",
            ),
            models.CheckConstraint(
                condition=models.Q(scope="cross_trust") | models.Q(trust__isnull=False),
                name="hub_trust_internal_names_trust",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED
