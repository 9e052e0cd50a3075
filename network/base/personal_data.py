"""Personal data: export (right of access) and erasure (right to erasure).

**Export.** What the portal holds about someone is a list of *sections*, each a small
table ("Emails sent to you", "Your CPD bookings"...). Every room declares its own in a
`personal_data.py` beside its models (`SECTIONS`, registered from its AppConfig.ready()),
so this platform module never imports a room. A section names the *links* it covers:
`"events.Booking.person"` (a model's field pointing at a person or a login) and
`"trusts.Person.directory_consent_at"` (a field of the person or the login themselves).
`tests/network/test_personal_data_export.py` lists every such link in every model,
historical ones included, and fails when one is in no section and not in `NOT_EXPORTED`
with a reason: a new model with a person in it cannot be forgotten.

**Erasure** is `network.base.privacy.erasure.person_erase`; rooms add their part through its `ERASERS`.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from network.base.models import Invitation, OutboxMessage, User


@dataclass(frozen=True)
class Section:
    """One table of the export. `rows(user, person)` returns dicts (snake_case keys, the
    same keys in every row); either argument may be None (a login without a person, a
    person without a login). `single` sections have one row, shown as a list of fields.
    `links` are the model fields this section covers, as "app.Model.field"; a callable
    returns them (for sections that cover a family of models)."""

    key: str
    title: str
    rows: Callable
    links: tuple[str, ...] | Callable = ()
    description: str = ""
    single: bool = False
    order: int = 50  # where it appears in the export (lower first)

    def covered_links(self) -> set[str]:
        return set(self.links() if callable(self.links) else self.links)


SECTIONS: dict[str, Section] = {}
# "app.Model.field" -> why it is not in the export (it holds nothing about the person,
# or only a secret that must never leave the server).
NOT_EXPORTED: dict[str, str] = {}


def register(sections: Iterable[Section] = (), not_exported: dict[str, str] | None = None) -> None:
    """Add a room's sections (idempotent: AppConfig.ready() may run twice in tests)."""
    for section in sections:
        SECTIONS[section.key] = section
    NOT_EXPORTED.update(not_exported or {})


def covered_links() -> set[str]:
    links = set(NOT_EXPORTED)
    for section in SECTIONS.values():
        links |= section.covered_links()
    return links


@dataclass
class Export:
    """What `personal_data_for` returns: the sections with their rows, for the HTML page
    and the JSON download alike."""

    subject: str
    produced_at: datetime.datetime
    sections: list[tuple[Section, list[dict]]] = field(default_factory=list)

    def as_json(self) -> dict:
        data = {"produced_at": self.produced_at, "about": self.subject}
        for section, rows in self.sections:
            data[section.key] = (rows[0] if rows else None) if section.single else rows
        return data


def personal_data_for(user: User | None = None, *, person=None) -> Export:
    """Everything the portal holds about a login and/or a person. Give the login (the
    person is then theirs), or a person (their login, if any, is found)."""
    if user is not None and person is None:
        person = user.person
    if user is None and person is not None:
        user = User.objects.filter(person=person).first()
    subject = (person.full_name if person else "") or (user.full_name or user.email if user else "")
    export = Export(subject=subject, produced_at=timezone.localtime())
    for section in sorted(SECTIONS.values(), key=lambda s: s.order):
        rows = section.rows(user, person)
        if rows or section.single:
            export.sections.append((section, rows))
    return export


def local(moment):
    """A stored time as the reader reads it (UK time), or None."""
    return timezone.localtime(moment) if moment else None


def emails_of(user: User | None, person) -> set[str]:
    return {e.lower() for e in (getattr(user, "email", ""), getattr(person, "email", "")) if e}


# -- The platform's own sections ----------------------------------------------------------


def _account(user, person):
    if user is None:
        return []
    addresses = [
        f"{a.email} ({'verified' if a.verified else 'not verified'}{', primary' if a.primary else ''})"
        for a in user.emailaddress_set.all()
    ]
    return [
        {
            "email": user.email,
            "name": user.full_name,
            "role": user.get_role_display(),
            "trusts_you_see": [str(t) for t in user.trusts.all()],
            "admin_groups": [g.name for g in user.groups.all()],
            "admin_permissions": [p.codename for p in user.user_permissions.all()],
            "is_active": user.is_active,
            "can_use_the_admin": user.is_staff,
            "superuser": user.is_superuser,
            "joined": local(user.date_joined),
            "last_login": local(user.last_login),
            "linked_person_record": str(user.person) if user.person_id else None,
            "email_addresses": addresses,
        }
    ]


def _emails(user, person):
    addresses = emails_of(user, person)
    if not addresses:
        return []
    to_them = Q(pk__in=[])
    for address in addresses:  # stored as typed: match whatever the case
        to_them |= Q(to__iexact=address)
    messages = OutboxMessage.objects.filter(to_them).order_by("created_at")
    return [
        {
            "to": m.to,
            "subject": m.subject,
            "status": m.get_status_display(),
            "written": local(m.created_at),
            "sent": local(m.sent_at),
            "text": m.body_text,
        }
        for m in messages
    ]


def _invitations(user, person):
    query = Invitation.objects.none()
    if person is not None:
        query |= Invitation.objects.filter(person=person)
    if user is not None:
        query |= Invitation.objects.filter(user=user) | Invitation.objects.filter(email__iexact=user.email)
    return [
        {
            "email": i.email,
            "role": i.get_role_display(),
            "invited_by": str(i.invited_by) if i.invited_by_id else None,
            "sent": local(i.created_at),
            "expires": local(i.expires_at),
            "accepted": local(i.accepted_at),
        }
        for i in query.distinct().select_related("invited_by").order_by("created_at")
    ]


def _invitations_sent(user, person):
    if user is None:
        return []
    return [
        {"to": i.email, "role": i.get_role_display(), "sent": local(i.created_at), "accepted": local(i.accepted_at)}
        for i in Invitation.objects.filter(invited_by=user).order_by("created_at")
    ]


def _admin_actions(user, person):
    if user is None:
        return []
    from django.contrib.admin.models import LogEntry

    return [
        {
            "when": local(e.action_time),
            "what": str(e.content_type.name) if e.content_type_id else "",
            "object": e.object_repr,
            "action": {1: "added", 2: "changed", 3: "deleted"}.get(e.action_flag, ""),
            "details": e.get_change_message(),
        }
        for e in LogEntry.objects.filter(user=user).select_related("content_type").order_by("action_time")
    ]


def _erasures_done(user, person):
    if user is None:
        return []
    ErasureRecord = apps.get_model("network", "ErasureRecord")  # by label: privacy builds on this module

    return [
        {"erasure": str(r), "request": r.request_reference, "when": local(r.erased_at)}
        for r in ErasureRecord.objects.filter(erased_by=user).order_by("erased_at")
    ]


def _imports_run(user, person):
    if user is None:
        return []
    ImportJob = apps.get_model("network", "ImportJob")

    return [
        {"file": j.original_name, "kind": j.kind, "check_only": j.dry_run, "status": j.get_status_display(),
         "when": local(j.created_at)}
        for j in ImportJob.objects.filter(created_by=user).order_by("created_at")
    ]  # fmt: skip


def historical_models() -> list:
    """Every model simple-history keeps versions of (their historical twins)."""
    return [m for m in apps.get_models() if hasattr(m, "history_user") and m.__name__.startswith("Historical")]


def _history_links() -> set[str]:
    return {f"{m._meta.label}.history_user" for m in historical_models()}


def _changes_made(user, person):
    """Every version any audited model keeps with this login as its author."""
    if user is None:
        return []
    rows = []
    types = {"+": "created", "~": "changed", "-": "deleted"}
    for model in historical_models():
        what = str(model.instance_type._meta.verbose_name)
        # The record's number, not its name: one query per model however many versions,
        # and other people's names are theirs, not this export's.
        versions = model.objects.filter(history_user=user).values_list(
            "history_date", "id", "history_type", "history_change_reason"
        )
        rows += [
            {
                "when": local(when),
                "what": what,
                "record": f"#{pk}",
                "change": types.get(kind, kind),
                "reason": reason or "",
            }
            for when, pk, kind, reason in versions
        ]
    return sorted(rows, key=lambda row: row["when"])


def _two_step(user, person):
    """How the login signs in with a second step: the kind and dates of each
    authenticator, never its secret (which must not leave the server)."""
    if user is None or not apps.is_installed("allauth.mfa"):
        return []
    Authenticator = apps.get_model("mfa", "Authenticator")
    return [
        {"kind": a.get_type_display(), "added": local(a.created_at), "last_used": local(a.last_used_at)}
        for a in Authenticator.objects.filter(user=user).order_by("created_at")
    ]


SECTIONS_PLATFORM = [
    Section(
        key="two_step_sign_in",
        order=15,
        title="Two-step sign-in",
        description="The ways you confirm it is you after your password (their secrets are never shown).",
        rows=_two_step,
        links=("mfa.Authenticator.user",),
    ),
    Section(
        key="account",
        order=10,
        title="Your login",
        description="The account you sign in with, and what it lets you see.",
        rows=_account,
        single=True,
        links=(
            "network.User.email",
            "network.User.full_name",
            "network.User.role",
            "network.User.person",
            "network.User.trusts",
            "network.User.groups",
            "network.User.user_permissions",
            "network.User.is_active",
            "network.User.is_staff",
            "network.User.is_superuser",
            "network.User.date_joined",
            "network.User.last_login",
            "account.EmailAddress.user",
        ),
    ),
    Section(
        key="emails",
        order=40,
        title="Emails sent to you",
        description="Every email the portal wrote to your address, with what it said. After the "
        "retention period only the fact that it was sent is kept (see the privacy page).",
        rows=_emails,
    ),
    Section(
        key="invitations",
        order=45,
        title="Invitations to the portal",
        rows=_invitations,
        links=("network.Invitation.person", "network.Invitation.user"),
    ),
    Section(
        key="invitations_sent",
        order=80,
        title="Invitations you sent",
        rows=_invitations_sent,
        links=("network.Invitation.invited_by",),
    ),
    Section(
        key="admin_actions",
        order=90,
        title="What you did in the admin",
        rows=_admin_actions,
        links=("admin.LogEntry.user",),
    ),
    Section(
        key="imports_run",
        order=91,
        title="Files you imported",
        rows=_imports_run,
        links=("network.ImportJob.created_by",),
    ),
    Section(
        key="erasures_done",
        order=92,
        title="Erasures you carried out",
        rows=_erasures_done,
        links=("network.ErasureRecord.erased_by",),
    ),
    Section(
        key="changes_made",
        order=95,
        title="Changes you made (audit trail)",
        description="Every recorded version of a trust, academy, person, event, booking, attendance "
        "or membership that names you as the person who made the change.",
        rows=_changes_made,
        links=_history_links,
    ),
]

NOT_EXPORTED_PLATFORM = {
    "network.User.password": "a one-way hash of your password: it cannot be read, by you or anyone",
    "network.User.id": "an internal number",
    "network.ErasureRecord.person": "points at the anonymous row left after an erasure; it names nobody",
}


register(SECTIONS_PLATFORM, NOT_EXPORTED_PLATFORM)
