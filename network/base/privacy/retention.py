"""How long personal data is kept, and the daily sweep that removes what is older.

One registry, `RULES`, is both the configuration the sweep applies and the source of the
public privacy page (what is kept, why, for how long, who sees it). Periods are settings
from the environment (`RETENTION_<KEY>_DAYS`, see network/settings.py). Each room
registers its own rules from its AppConfig.ready(), so this platform module never
imports a room; a rule names its model by label.

Adding a rule is one line with the helpers below, e.g. the survey free text (the impact
room registers it when surveys land; the setting RETENTION_SURVEY_FREE_TEXT_DAYS already
exists):

    retention.register(retention.blank_fields(
        "survey_free_text", "impact.SurveyResponse", fields=["comment"], date_field="submitted_at",
        what="What you wrote in answer to a survey", why="...", who_sees="...",
        removal="the text is removed; the ratings stay, without it", order=60))

The sweep (`retention_sweep`, Celery beat daily at 03:10) is idempotent: it removes what
is past its period, so a second run, or a run after one killed half-way, removes only
what is left. Every removal is logged in `RetentionRemoval` (Admin → Retention log).
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    """One kind of personal data. With a `setting`, it is kept that many days (counted
    from `counted_from`) and `apply(cutoff)` removes what is older, returning
    {what was removed: how many}. Without one, it is kept as long as `period_text` says
    (the privacy page shows it; nothing is swept)."""

    key: str
    what: str
    why: str
    who_sees: str
    setting: str = ""
    counted_from: str = ""
    removal: str = ""
    apply: Callable[[datetime.datetime], dict[str, int]] | None = None
    period_text: str = ""
    order: int = 50

    @property
    def days(self) -> int | None:
        return getattr(settings, self.setting) if self.setting else None

    def period(self) -> str:
        """For people: "6 years after the event", "90 days after it was sent"."""
        if self.days is None:
            return self.period_text
        return f"{describe_days(self.days)} {self.counted_from}".strip()


def describe_days(days: int) -> str:
    if days % 365 == 0:
        years = days // 365
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


RULES: dict[str, Rule] = {}


def register(*rules: Rule) -> None:
    for rule in rules:
        RULES[rule.key] = rule


def rules() -> list[Rule]:
    return sorted(RULES.values(), key=lambda r: (r.order, r.key))


# -- One-line rules ------------------------------------------------------------------------


def blank_fields(key: str, model: str, *, fields: list[str], date_field: str, where: Q | None = None, **texts) -> Rule:
    """Empty text `fields` of rows matching `where` whose `date_field` is older than the
    period."""

    def apply(cutoff):
        rows = apps.get_model(model).objects.filter(where or Q(), **{f"{date_field}__lt": cutoff})
        not_blank = Q()
        for name in fields:
            not_blank |= ~Q(**{name: ""})
        n = rows.filter(not_blank).update(**dict.fromkeys(fields, ""))
        return {f"{apps.get_model(model)._meta.verbose_name_plural} emptied": n}

    return Rule(key=key, setting=f"RETENTION_{key.upper()}_DAYS", apply=apply, **texts)


def delete_rows(key: str, model: str, *, date_field: str, where: Q | None = None, **texts) -> Rule:
    """Delete rows matching `where` whose `date_field` is older than the period."""

    def apply(cutoff):
        n, _ = apps.get_model(model).objects.filter(where or Q(), **{f"{date_field}__lt": cutoff}).delete()
        return {f"{apps.get_model(model)._meta.verbose_name_plural} deleted": n}

    return Rule(key=key, setting=f"RETENTION_{key.upper()}_DAYS", apply=apply, **texts)


# -- The sweep -----------------------------------------------------------------------------


def retention_sweep(*, now: datetime.datetime | None = None) -> dict[str, dict[str, int]]:
    """Apply every rule with a period; log what was removed. One transaction per rule,
    so a rule that fails (logged) does not stop the others, and what one rule removed is
    never half-logged. Returns {rule: {what: how many}} of what was removed now."""
    from network.base.privacy.models import RetentionRemoval

    now = now or timezone.now()
    removed: dict[str, dict[str, int]] = {}
    for rule in rules():
        if rule.apply is None:
            continue
        cutoff = now - datetime.timedelta(days=rule.days)
        try:
            with transaction.atomic():
                counts = {what: n for what, n in rule.apply(cutoff).items() if n}
                RetentionRemoval.objects.bulk_create(
                    RetentionRemoval(rule=rule.key, what=what, count=n, cutoff=cutoff, ran_at=now)
                    for what, n in counts.items()
                )
        except Exception:
            logger.exception("Retention rule %s failed; the next run tries again", rule.key)
            continue
        if counts:
            removed[rule.key] = counts
            logger.info("Retention %s (older than %s): %s", rule.key, f"{cutoff:%d/%m/%Y}", counts)
    return removed


# -- The platform's own rules ---------------------------------------------------------------

PLATFORM_RULES = [
    Rule(
        key="account",
        what="Your login: email address, name, role, the trusts you see, when you last signed in",
        why="To let you sign in and show you what your role allows",
        who_sees="You; the network's coordinators",
        period_text="While you have a login; closed and erased when you or the network ask",
        order=10,
    ),
    blank_fields(
        "outbox_bodies",
        "network.OutboxMessage",
        fields=["body_text", "body_html"],
        date_field="created_at",
        # Not what is still to be sent: only what was sent, given up or held.
        where=Q(status__in=["sent", "failed", "held"]),
        what="The text of emails the portal sent you (confirmations, reminders, invitations)",
        why="To show what was sent if something went wrong, and to resend it",
        who_sees="The network's coordinators",
        counted_from="after it was written",
        removal="the text is removed; that an email was sent, to which address and when, is kept",
        order=70,
    ),
    delete_rows(
        "unanswered_invitations",
        "network.Invitation",
        date_field="created_at",
        where=Q(accepted_at__isnull=True),
        what="Invitations to the portal that were never accepted (email address, role)",
        why="To know who was invited and by whom",
        who_sees="The network's coordinators",
        counted_from="after it was sent",
        removal="the invitation is deleted",
        order=80,
    ),
]


def delete_import_files(cutoff) -> dict[str, int]:
    """Uploaded import files (People spreadsheets hold names and emails) are deleted;
    the job and its report stay."""
    from network.base.imports.models import ImportJob

    deleted = 0
    for job in ImportJob.objects.filter(created_at__lt=cutoff).exclude(file="").exclude(status="running"):
        name = job.file.name
        # A check and its import share one file: delete it once no job needs it.
        if not ImportJob.objects.filter(file=name, created_at__gte=cutoff).exists():
            job.file.storage.delete(name)
        ImportJob.objects.filter(pk=job.pk).update(file="")
        deleted += 1
    return {"uploaded import files deleted": deleted}


PLATFORM_RULES.append(
    Rule(
        key="import_files",
        setting="RETENTION_IMPORT_FILES_DAYS",
        apply=delete_import_files,
        what="Spreadsheets uploaded to import people, trusts or academies",
        why="To check an import's report against the file, and to import a checked file",
        who_sees="The network's coordinators",
        counted_from="after the upload",
        removal="the file is deleted; the import's report stays",
        order=90,
    )
)

register(*PLATFORM_RULES)
