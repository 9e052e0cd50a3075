"""The platform's data: logins and roles, invitations and the email outbox.

Every room stands on these (see docs/architecture.md). Platform modules refer to other
rooms' models by label only ("trusts.Person"), never by import, so the platform sits
below every room and the arrows stay one-way. The models belong to the `network` app
(Django finds them through `network/models.py`), so moving them here changed no table.
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

    def with_role(self, role: str):
        """Active logins holding `role`, in a stable order (who receives a role's emails)."""
        return self.filter(role=role, is_active=True).order_by("pk")

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
        SENDING = "sending", "Being sent (claimed by a worker)"
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
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker claimed it for sending (see network.base.outbox.deliver)."
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_pending_idx")]

    def __str__(self):
        return f"{self.subject} → {self.to}"
