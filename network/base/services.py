"""Writes for users, roles and invitations. Keyword-only, one transaction each, emails
through the outbox (HackSoft's styleguide)."""

from collections.abc import Iterable
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from network.base import outbox
from network.base.mfa import mfa_required_for
from network.base.models import Invitation, Role, User
from network.base.privacy.erasure import erased_identity, refusal_reason

COORDINATOR_GROUP = "Network coordinators"


def user_apply_role(*, user: User) -> None:
    """Coordinators work in the admin through the coordinators group, never as
    superusers; every other role has no admin access at all."""
    group, _ = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    if user.role == Role.COORDINATOR:
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(group)
    else:
        if user.is_staff and not user.is_superuser:
            user.is_staff = False
            user.save(update_fields=["is_staff"])
        user.groups.remove(group)


@transaction.atomic
def invitation_create(
    *, email: str, role: str, by: User | None, person=None, trusts: Iterable = ()
) -> tuple[Invitation, str]:
    """Invite someone to the portal. Rules: one account per email, so an address that
    already has an account is refused; a science leader must be a Person at an academy;
    a trust executive must be given at least one trust. The email carries a one-time
    link valid for INVITATION_VALID_DAYS days; only its digest is stored."""
    email = email.strip().lower()
    trusts = list(trusts)
    erased = erased_identity(email=email)
    if erased is not None:
        # An erased person never comes back by invitation (network.base.privacy.erasure).
        raise ValidationError({"email": refusal_reason(erased)})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": "This person already has an account. They can reset their password from the sign-in page."}
        )
    if person is not None and User.objects.filter(person=person).exists():
        # One login per person, whatever email the login uses.
        raise ValidationError({"email": f"{person.full_name} already has an account."})
    if role == Role.LEADER and (person is None or person.academy_id is None):
        raise ValidationError({"person": "A science leader must be linked to a person at an academy."})
    if role == Role.TRUST_EXECUTIVE and not trusts:
        raise ValidationError({"trusts": "Choose the trust (or trusts) this executive will see."})
    token, digest = Invitation.new_token()
    invitation = Invitation.objects.create(
        email=email,
        role=role,
        person=person,
        token_digest=digest,
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.trusts.set(trusts)
    outbox.enqueue(
        key=f"invitation:{invitation.pk}",
        to=email,
        template="network/email/invitation",
        context={
            "invitation": invitation,
            "role": invitation.get_role_display(),
            "invited_by": by,
            "link": settings.PORTAL_BASE_URL + reverse("network:invitation_accept", args=[token]),
            "expires_at": invitation.expires_at,
        },
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    invitation = Invitation.objects.filter(token_digest=Invitation.digest(token)).first()
    return invitation if invitation and invitation.is_usable else None


@transaction.atomic
def invitation_accept(*, token: str, password: str, full_name: str = "") -> User:
    """Turn a usable invitation into an account with a verified email address (the link
    proves the address). The invitation cannot be used twice: the row is locked."""
    invitation = Invitation.objects.select_for_update().filter(token_digest=Invitation.digest(token)).first()
    if invitation is None or not invitation.is_usable:
        raise ValidationError("This invitation link has expired or has already been used.")
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError("An account already exists for this email address. Please sign in.")
    if invitation.person_id and User.objects.filter(person_id=invitation.person_id).exists():
        raise ValidationError("This person already has an account. Please sign in, or reset the password.")
    user = User(email=invitation.email, role=invitation.role, person=invitation.person, full_name=full_name)
    if not full_name and invitation.person:
        user.full_name = invitation.person.full_name
    validate_password(password, user)
    user.set_password(password)
    user.save()
    user.trusts.set(invitation.trusts.all())
    user_apply_role(user=user)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    return user


@transaction.atomic
def user_mfa_reset(*, user: User, by: User) -> int:
    """Turn off a person's two-step sign-in (they lost their phone and their recovery
    codes): every authenticator app, security key and recovery code of theirs is deleted.
    Recorded in the admin's history of the user (who, when) and emailed to the person,
    so a reset they did not ask for does not go unnoticed. A coordinator or executive is
    asked to set it up again at their next request (network/base/mfa.py). Returns how many
    authenticators were removed."""
    removed, _ = Authenticator.objects.filter(user=user).delete()
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message=f"Reset two-step sign-in ({removed} authenticator{'s' if removed != 1 else ''} removed).",
        single_object=True,
    )
    now = timezone.now()
    outbox.enqueue(
        key=f"mfa-reset:{user.pk}:{now.timestamp()}",
        to=user.email,
        template="network/email/mfa_reset",
        context={"by": by, "reset_at": timezone.localtime(now), "required": mfa_required_for(user)},
    )
    return removed
