"""Writes of network roles: the review reminder sweep. Roles themselves are set up and
changed by coordinators in the admin (the back office), which calls nothing special:
a role is plain data until its review falls due."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from network.base import outbox
from network.base.models import Role, User
from network.programme.roles.models import NetworkRole

REMIND_DAYS_BEFORE = 14


def role_review_reminders(*, today: datetime.date | None = None) -> int:
    """Remind the holder and the coordinators of each role whose review falls due within
    two weeks (or is overdue): once per role and review date (a new date is reminded
    again). Safe to run twice, and by two workers: the role's row is locked and the
    outbox keys are unique. Returns how many roles were reminded now."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    due = NetworkRole.objects.filter(review_on__lte=horizon).exclude(review_reminded_for=F("review_on"))
    coordinators = list(User.objects.filter(role=Role.COORDINATOR, is_active=True).values_list("email", flat=True))
    reminded = 0
    for role_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            role = (
                NetworkRole.objects.select_for_update(of=("self",))
                .select_related("holder", "hub")
                .filter(pk=role_id)
                .first()
            )
            if role is None or role.review_reminded_for == role.review_on:
                continue
            link = settings.PORTAL_BASE_URL + reverse("admin:network_networkrole_change", args=[role.pk])
            recipients = set(coordinators) | ({role.holder.email} if role.holder and role.holder.email else set())
            for email in sorted(recipients):
                outbox.enqueue(
                    key=f"role:{role.pk}:review:{role.review_on:%Y-%m-%d}:{email.lower()}",
                    to=email,
                    template="network/roles/email/review_due",
                    context={"role": role, "link": link, "overdue": role.review_on < today},
                )
            role.review_reminded_for = role.review_on
            role.save(update_fields=["review_reminded_for"])
            reminded += 1
    return reminded
