"""Erasure (UK GDPR right to erasure), and keeping an erased identity from coming back.

`person_erase` replaces a person's name and contact details, closes their login and ends
its sessions, deletes mail not yet sent to them (or about them), empties what was sent,
and writes an `ErasureRecord` naming the emails that had already gone. Rooms add their
part through `ERASERS` (registered in their AppConfig.ready()); counts stay true, because
bookings and attendance stay against the anonymous person.

An erased identity must not return through the demo, the People import or an
invitation: erasure keeps one-way fingerprints (`ErasedIdentity`: a keyed HMAC of the
normalised email address, and of the name at the academy), and those paths ask
`erased_identity(...)` first and refuse with `refusal_reason(...)`. The key is
ERASURE_FINGERPRINT_KEY (default: derived from SECRET_KEY); keep it for ever, or erased
people stop being recognised.
"""

import hashlib
import hmac
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from network.base.models import Invitation, OutboxMessage, User
from network.base.privacy.models import ErasedIdentity, ErasureRecord

logger = logging.getLogger(__name__)

ERASED_DOMAIN = "erased.invalid"


@dataclass
class Erasure:
    """What one erasure did, filled in by the platform and the rooms' erasers."""

    person: object
    user: User | None
    summary: dict[str, int] = field(default_factory=dict)
    # Outbox keys starting with one of these are emails *about* the person, wherever
    # they were sent (an approval request names them to their head of science).
    outbox_key_prefixes: set[str] = field(default_factory=set)

    def note(self, what: str, n: int) -> None:
        if n:
            self.summary[what] = self.summary.get(what, 0) + n


# (person, erasure: Erasure) -> None. A room's part of erasing someone.
ERASERS: list[Callable] = []


def register(*erasers: Callable) -> None:
    """A room adds its part of erasing someone (from its AppConfig.ready). Registering
    the same function again (ready() can run twice) keeps one."""
    for eraser in erasers:
        if eraser not in ERASERS:
            ERASERS.append(eraser)


# -- Fingerprints ------------------------------------------------------------------------


def _key() -> bytes:
    configured = getattr(settings, "ERASURE_FINGERPRINT_KEY", "")
    if configured:
        return configured.encode()
    return hashlib.sha256(f"erasure-fingerprint:{settings.SECRET_KEY}".encode()).digest()


def _normal(text: str) -> str:
    """Case, accents and spacing do not make a different identity."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def fingerprint(kind: str, value: str) -> str:
    return hmac.new(_key(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def email_fingerprint(email: str) -> str:
    return fingerprint(ErasedIdentity.Kind.EMAIL, _normal(email))


def name_at_academy_fingerprint(first_name: str, last_name: str, academy_urn) -> str:
    return fingerprint(ErasedIdentity.Kind.NAME_AT_ACADEMY, f"{_normal(first_name)} {_normal(last_name)}@{academy_urn}")


def erased_identity(*, email: str = "", first_name: str = "", last_name: str = "", academy=None):
    """The ErasedIdentity this email (or this name at this academy) matches, or None."""
    prints = []
    if email:
        prints.append(email_fingerprint(email))
    if first_name and last_name and academy is not None:
        prints.append(name_at_academy_fingerprint(first_name, last_name, academy.urn))
    if not prints:
        return None
    return ErasedIdentity.objects.filter(fingerprint__in=prints).select_related("record").first()


def refusal_reason(identity: ErasedIdentity) -> str:
    what = "this email address" if identity.kind == ErasedIdentity.Kind.EMAIL else "this name at this academy"
    when = timezone.localtime(identity.record.erased_at)
    return (
        f"The personal data of the person with {what} was erased on {when:%d/%m/%Y} at their request, "
        "so they cannot be added again. If they have asked to rejoin, a coordinator can lift this "
        "(Admin → Erased identities)."
    )


def erased_emails(emails) -> set[str]:
    """Which of `emails` belong to erased identities (one query)."""
    by_print = {email_fingerprint(e): e for e in emails if e}
    found = ErasedIdentity.objects.filter(fingerprint__in=list(by_print)).values_list("fingerprint", flat=True)
    return {by_print[p] for p in found}


def erased_person_ids():
    """Person rows that were erased (kept anonymous for the counts)."""
    return ErasureRecord.objects.filter(person__isnull=False).values("person_id")


# -- Erasing ---------------------------------------------------------------------------------


def end_sessions(user_id: int) -> int:
    """Delete the login's sessions (they hold who was signed in). Only a database session
    store can be searched; others expire on their own (the closed login cannot use them)."""
    if not settings.SESSION_ENGINE.endswith(("sessions.backends.db", "sessions.backends.cached_db")):
        logger.warning(
            "Sessions of erased login %s left to expire: %s cannot be searched", user_id, settings.SESSION_ENGINE
        )
        return 0
    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


def _close_login(user: User, erasure: Erasure) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).delete()
    # allauth's MFA and user sessions, where installed, hold the login's secrets and devices.
    for label, model in (("mfa", "Authenticator"), ("usersessions", "UserSession")):
        if apps.is_installed(f"allauth.{label}"):
            erasure.note(f"{label} records deleted", apps.get_model(label, model).objects.filter(user=user).delete()[0])
    user.email = f"erased-user-{user.pk}@{ERASED_DOMAIN}"
    user.full_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.trusts.clear()
    erasure.note("logins closed", 1)
    erasure.note("signed-in sessions ended", end_sessions(user.pk))


def _erase_outbox(erasure: Erasure, addresses: set[str]) -> list[dict]:
    """Mail not yet sent to (or about) the person is never sent; what was sent keeps
    only that it was sent (the key keeps idempotence). Returns the emails already gone,
    for the record: key, when, and whether to them or to someone else."""
    to_them = Q(pk__in=[])
    for address in addresses:  # addresses are stored as typed: match whatever the case
        to_them |= Q(to__iexact=address)
    about = to_them
    for prefix in erasure.outbox_key_prefixes:
        about |= Q(key__startswith=prefix)
    messages = OutboxMessage.objects.filter(about)
    erasure.note("emails not yet sent, deleted", messages.exclude(status=OutboxMessage.Status.SENT).delete()[0])
    sent = [
        {"key": m.key, "sent_at": timezone.localtime(m.sent_at).isoformat() if m.sent_at else None,
         "to": "them" if m.to.lower() in addresses else "someone else"}
        for m in messages.order_by("sent_at")
    ]  # fmt: skip
    # Emptied first: changing `to` takes the rows out of `messages`.
    messages.update(subject="[erased]", body_text="", body_html="")
    messages.filter(to_them).update(to=f"erased@{ERASED_DOMAIN}")
    erasure.note("sent emails emptied", len(sent))
    return sent


@transaction.atomic
def person_erase(*, person, by: User | None, request_reference: str = "") -> ErasureRecord:
    """Erase a person: their name and contact details are replaced, their login (if
    any) is closed and its sessions ended, mail to or about them is deleted or emptied,
    and rooms erase what they hold. Counts stay true (bookings and attendance are kept
    against the anonymous person) so the network's figures do not change. One-way
    fingerprints of their email address(es) and of their name at their academy are kept
    so they are not added again by an import, an invitation or the demo. Returns the
    record of the erasure."""
    user = User.objects.filter(person=person).first()
    erasure = Erasure(person=person, user=user)
    addresses = {person.email.lower()}
    if user:
        addresses |= {user.email.lower(), *(e.lower() for e in user.emailaddress_set.values_list("email", flat=True))}
    addresses = {a for a in addresses if a and not a.endswith("@" + ERASED_DOMAIN)}
    identities = {email_fingerprint(a): ErasedIdentity.Kind.EMAIL for a in addresses}
    if person.academy_id and person.first_name != "Erased":
        identities[name_at_academy_fingerprint(person.first_name, person.last_name, person.academy.urn)] = (
            ErasedIdentity.Kind.NAME_AT_ACADEMY
        )

    for eraser in ERASERS:
        eraser(person, erasure)
    emails_sent = _erase_outbox(erasure, addresses)
    erasure.note(
        "invitations deleted", Invitation.objects.filter(Q(person=person) | Q(email__in=addresses)).delete()[0]
    )
    if user:
        _close_login(user, erasure)
    # simple_history keeps old versions of the row: remove them, so the only version
    # left is the erased one written by the save below.
    erasure.note("earlier versions of their details deleted", person.history.all().delete()[0])
    person.first_name = "Erased"
    person.last_name = f"person {person.pk}"
    person.email = f"erased-{person.pk}@{ERASED_DOMAIN}"
    person.expertise_summary = ""
    person.directory_consent = False
    person.directory_consent_at = None
    person._history_user = by
    person._change_reason = "Personal data erased"
    person.save()
    person.designations.clear()
    person.expertise.clear()

    record = ErasureRecord.objects.create(
        person=person,
        login_id=user.pk if user else None,
        erased_by=by,
        request_reference=request_reference,
        summary=erasure.summary,
        emails_already_sent=emails_sent,
    )
    existing = set(
        ErasedIdentity.objects.filter(fingerprint__in=list(identities)).values_list("fingerprint", flat=True)
    )
    ErasedIdentity.objects.bulk_create(
        ErasedIdentity(fingerprint=p, kind=kind, record=record) for p, kind in identities.items() if p not in existing
    )
    return record


def erasure_preview(people) -> dict[str, int]:
    """What erasing `people` would do, in totals, for the confirmation page. Rows that
    point at them in any room are kept (against the anonymous person), so the
    network's counts stay true: they are counted by model, found by introspection."""
    ids = [p.pk for p in people]
    emails = [p.email for p in people]
    preview = {
        "people whose name, email, expertise and directory entry are replaced": len(ids),
        "logins closed (they can no longer sign in; their sessions end)": User.objects.filter(
            person_id__in=ids, is_active=True
        ).count(),
        "emails not yet sent to them, deleted": OutboxMessage.objects.filter(to__in=emails)
        .exclude(status=OutboxMessage.Status.SENT)
        .count(),
        "emails already sent to them, emptied (listed in the record of the erasure)": OutboxMessage.objects.filter(
            to__in=emails, status=OutboxMessage.Status.SENT
        ).count(),
        "invitations deleted": Invitation.objects.filter(Q(person_id__in=ids) | Q(email__in=emails)).count(),
    }
    person_model = apps.get_model("trusts", "Person")
    for model in apps.get_models():
        if model.__name__.startswith("Historical") or model in (User, ErasureRecord):
            continue
        for f in model._meta.get_fields():
            if f.many_to_one and f.concrete and f.related_model is person_model:
                n = model.objects.filter(**{f"{f.name}__in": ids}).count()
                if n:
                    what = f"{model._meta.verbose_name_plural} kept without their name ({f.verbose_name})"
                    preview[what] = preview.get(what, 0) + n
    return preview
