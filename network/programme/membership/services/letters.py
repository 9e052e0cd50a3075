"""Letters about a membership: who at an academy hears, and the emails, once each (outbox keys)."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from network.base import outbox
from network.base.models import Role, User
from network.programme.membership.models import Membership
from trusts.models import Academy, JobRole

# Who at an academy hears about its membership: the people who run science there and
# the head. If nobody is recorded, the trust's CEO.
CONTACT_ROLES = (JobRole.HEAD_OF_SCIENCE, JobRole.SUBJECT_LEAD, JobRole.HEADTEACHER)


def academy_contacts(academy: Academy) -> list[str]:
    """Email addresses for letters to an academy (uses `academy.people` if prefetched)."""
    emails = sorted({p.email.lower() for p in academy.people.all() if p.job_role in CONTACT_ROLES and p.email})
    if not emails and academy.trust_id and academy.trust.ceo_email:
        emails = [academy.trust.ceo_email.lower()]
    return emails


def membership_link(membership: Membership) -> str:
    return settings.PORTAL_BASE_URL + reverse("network:membership_academy", args=[membership.academy.urn])


def send_letter(*, membership: Membership, kind: str, template: str, context: dict) -> int:
    """Queue one letter to each of the academy's contacts, once per (membership, kind).
    Returns how many recipients there were."""
    recipients = academy_contacts(membership.academy)
    for email in recipients:
        outbox.enqueue(
            key=f"membership:{membership.pk}:{kind}:{email}",
            to=email,
            template=f"network/membership/email/{template}",
            context={"membership": membership, "link": membership_link(membership), **context},
        )
    return len(recipients)


def notify_users(*, users: Iterable[User], key: str, template: str, context: dict) -> int:
    n = 0
    for user in users:
        outbox.enqueue(
            key=f"{key}:{user.pk}", to=user.email, template=f"network/membership/email/{template}", context=context
        )
        n += 1
    return n


def coordinators():
    return User.objects.with_role(Role.COORDINATOR)


def steering_group():
    return User.objects.with_role(Role.STEERING)
