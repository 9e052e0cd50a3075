"""Personal data: export (right of access) and erasure (right to erasure).

Each room adds what it holds about a person through `EXPORTERS`/`ERASERS` hooks rather
than this module importing every room: rooms register in their AppConfig.ready()."""

from collections.abc import Callable

from django.db import transaction

from network.base.models import Invitation, OutboxMessage, User

EXPORTERS: list[Callable] = []  # (user, person) -> dict section
ERASERS: list[Callable] = []  # (person) -> None


def personal_data_for(user: User) -> dict:
    person = user.person
    data = {
        "account": {
            "email": user.email,
            "name": user.full_name,
            "role": user.get_role_display(),
            "joined": user.date_joined,
            "last_login": user.last_login,
        },
        "person": None,
    }
    if person:
        data["person"] = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "academy": str(person.academy) if person.academy else None,
            "job_role": person.get_job_role_display(),
            "designations": [d.name for d in person.designations.all()],
            "expertise": [t.name for t in person.expertise.all()],
            "expertise_summary": person.expertise_summary,
            "appears_in_directory": person.directory_consent,
        }
    for exporter in EXPORTERS:
        data.update(exporter(user, person))
    return data


@transaction.atomic
def person_erase(*, person, by: User | None) -> None:
    """Erase a person: their name and contact details are replaced, their login (if
    any) is closed, and rooms erase what they hold. Counts stay true (attendance is kept
    against an anonymous record) so the network's figures do not change."""
    for eraser in ERASERS:
        eraser(person)
    _erase_outbox(emails={person.email, *User.objects.filter(person=person).values_list("email", flat=True)})
    Invitation.objects.filter(person=person).delete()
    user = User.objects.filter(person=person).first()
    if user:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.filter(user=user).delete()
        user.email = f"erased-user-{user.pk}@erased.invalid"
        user.full_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        user.trusts.clear()
    # simple_history keeps old versions of the row: remove them, so the only version
    # left is the erased one written by the save below.
    person.history.all().delete()
    person.first_name = "Erased"
    person.last_name = f"person {person.pk}"
    person.email = f"erased-{person.pk}@erased.invalid"
    person.expertise_summary = ""
    person.directory_consent = False
    person.directory_consent_at = None
    person._history_user = by
    person._change_reason = "Personal data erased"
    person.save()
    person.designations.clear()
    person.expertise.clear()


def _erase_outbox(*, emails: set[str]) -> None:
    """Mail not yet sent to an erased person is never sent; what was sent keeps only that
    it was sent (the row's key keeps idempotence), not to whom or what it said."""
    messages = OutboxMessage.objects.filter(to__in=[e for e in emails if e])
    messages.exclude(status=OutboxMessage.Status.SENT).delete()
    messages.update(to="erased@erased.invalid", subject="[erased]", body_text="", body_html="")
