"""Users and roles, networks and hubs, invitations and the outbox.

The `network` package is two things (see docs/architecture.md): the *platform* every
room stands on (User, access, outbox) and the *programme* (networks, hubs, later the
membership year). Platform modules refer to other rooms' models by label only, never by
import, so the arrows between rooms stay one-way.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Network coordinator"
    TRUST_EXECUTIVE = "trust_executive", "Trust executive"
    LEADER = "leader", "Science leader"
    VISITOR = "visitor", "Visitor / consultant"
    STEERING = "steering", "Steering group member"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("role", Role.COORDINATOR)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. Email is the username. What a user may see follows from `role` alone,
    through `network.access`; `trusts` matters for trust executives, `person` (and its
    academy) for science leaders."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.LEADER)
    person = models.OneToOneField(
        "trusts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="user"
    )
    trusts = models.ManyToManyField(
        "trusts.Trust",
        blank=True,
        related_name="executives",
        help_text="For trust executives: the trusts whose dashboards they see.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can log in to the admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    @property
    def is_coordinator(self):
        return self.is_active and (self.role == Role.COORDINATOR or self.is_superuser)

    @property
    def is_trust_executive(self):
        return self.is_active and self.role == Role.TRUST_EXECUTIVE

    @property
    def is_leader(self):
        return self.is_active and self.role == Role.LEADER


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
        help_text="When someone books an event whose times overlap another of their bookings (events.overlaps).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Hub(models.Model):
    """A cluster (local group of academies) or a curriculum hub (a subject specialism)."""

    class Kind(models.TextChoices):
        CLUSTER = "cluster", "Cluster"
        CURRICULUM = "curriculum", "Curriculum hub"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="hubs")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CLUSTER)
    region = models.CharField(max_length=40, blank=True)
    lead = models.ForeignKey("trusts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="hubs_led")
    deputy_lead = models.ForeignKey(
        "trusts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="hubs_deputised"
    )
    academies = models.ManyToManyField("trusts.Academy", blank=True, related_name="hubs")

    class Meta:
        ordering = ["network", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="hub_name_unique_in_network"),
            models.CheckConstraint(
                condition=models.Q(lead__isnull=True) | ~models.Q(lead=models.F("deputy_lead")),
                name="hub_lead_is_not_deputy",
            ),
        ]

    def __str__(self):
        return self.name


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A coordinator's invitation to set a password. Only the token's digest is stored,
    so a database leak does not leak working links."""

    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    person = models.ForeignKey("trusts.Person", on_delete=models.CASCADE, null=True, blank=True)
    trusts = models.ManyToManyField("trusts.Trust", blank=True)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _token_digest(token)

    @classmethod
    def digest(cls, token: str) -> str:
        return _token_digest(token)

    @property
    def is_usable(self):
        return self.accepted_at is None and self.expires_at > timezone.now()


class OutboxMessage(models.Model):
    """An email written in the same transaction as the change that causes it, sent by a
    task after commit, or by the sweep if the broker was down. `key` makes sending
    idempotent: the same (thing, kind) is never queued twice."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"
        HELD = "held", "Held (written, never sent)"

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_pending_idx")]

    def __str__(self):
        return f"{self.subject} → {self.to}"


# The membership year lives in its own module to keep this file small; its models are
# part of this app (imported here so Django registers them).
from network.membership.models import (  # noqa: E402, F401
    ApplicationEvidence,
    InvoiceLine,
    Membership,
    MembershipApplication,
    MembershipPolicy,
    MembershipYear,
    ReviewProposal,
    ReviewRun,
)
