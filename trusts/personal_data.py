"""What the trusts room holds about a person, for the export (network/base/personal_data.py):
their person record with every earlier version of it, and the support tiers a login set."""

from django.db.models import Q

from network.base.personal_data import Section, local
from trusts.models import Academy, Trust

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "academy",
    "trust",
    "job_role",
    "designations",
    "expertise",
    "expertise_summary",
    "directory_consent",
    "directory_consent_at",
    "created_at",
    "updated_at",
)


def _person(user, person):
    if person is None:
        return []
    return [
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "academy": str(person.academy) if person.academy_id else None,
            "trust": str(person.trust) if person.trust_id else None,
            "job_role": person.get_job_role_display(),
            "designations": [d.name for d in person.designations.all()],
            "expertise": [t.name for t in person.expertise.all()],
            "expertise_summary": person.expertise_summary,
            "appears_in_directory": person.directory_consent,
            "directory_consent_given": local(person.directory_consent_at),
            "record_created": local(person.created_at),
            "record_updated": local(person.updated_at),
        }
    ]


def _person_history(user, person):
    """Each saved version of the person record (simple-history), oldest first."""
    if person is None:
        return []
    versions = person.history.select_related("history_user", "academy").order_by("history_date")
    return [
        {
            "when": local(v.history_date),
            "change": v.get_history_type_display(),
            "by": str(v.history_user) if v.history_user_id else None,
            "reason": v.history_change_reason or "",
            "name": f"{v.first_name} {v.last_name}",
            "email": v.email,
            "academy": str(v.academy) if v.academy_id else None,
            "job_role": v.get_job_role_display(),
            "expertise_summary": v.expertise_summary,
            "appears_in_directory": v.directory_consent,
            "directory_consent_given": local(v.directory_consent_at),
        }
        for v in versions
    ]


def _support_tiers_set(user, person):
    if user is None:
        return []
    history = Academy.history.filter(support_tier_set_by=user).values("id")
    academies = Academy.objects.filter(Q(support_tier_set_by=user) | Q(pk__in=history)).order_by("name")
    return [
        {"academy": str(a), "support_tier": a.get_support_tier_display(), "set_on": a.support_tier_set_on}
        for a in academies
    ]


def _trusts_led(user, person):
    """A trust's CEO is named on the trust (from GIAS or typed in), matched by email."""
    if person is None:
        return []
    return [
        {"trust": t.name, "ceo_name": t.ceo_name, "ceo_email": t.ceo_email}
        for t in Trust.objects.filter(ceo_email__iexact=person.email)
    ]


def erase_trust_contact(person, erasure) -> None:
    """A trust names its chief executive: an erased CEO's name and email go from the
    trust and from its history."""
    if not person.email:
        return
    erasure.note(
        "trusts no longer naming them as CEO",
        Trust.objects.filter(ceo_email__iexact=person.email).update(ceo_name="", ceo_email=""),
    )
    Trust.history.filter(ceo_email__iexact=person.email).update(ceo_name="", ceo_email="")


SECTIONS = [
    Section(
        key="person",
        order=20,
        title="Your details in the network",
        description="Your entry in the network's records (with or without a login).",
        rows=_person,
        single=True,
        links=tuple(f"trusts.Person.{name}" for name in PERSON_FIELDS),
    ),
    Section(
        key="person_history",
        order=30,
        title="Earlier versions of your details",
        description="The audit trail keeps each version of your entry: who changed it and when.",
        rows=_person_history,
        links=("trusts.Person.history",),
    ),
    Section(
        key="trusts_led",
        order=25,
        title="Trusts that name you as chief executive",
        rows=_trusts_led,
    ),
    Section(
        key="support_tiers_set",
        order=85,
        title="Support tiers you set",
        rows=_support_tiers_set,
        links=("trusts.Academy.support_tier_set_by", "trusts.HistoricalAcademy.support_tier_set_by"),
    ),
]

NOT_EXPORTED = {"trusts.Person.id": "an internal number"}
