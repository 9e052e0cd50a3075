"""Records kept about personal data itself: each erasure (what was done, which emails
had already gone), the one-way fingerprints that stop an erased identity coming back,
and what the retention sweep removed. Imported from the bottom of `network.models`, so
Django sees these models as the network app's. Writes: `network.erasure` and
`network.retention`."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ErasureRecord(models.Model):
    """That a person's personal data was erased, by whom and when, with what was done
    (`summary`: what was removed or kept anonymous, how many) and the emails that had
    already been sent, which erasure cannot recall (`emails_already_sent`: key, when, to
    whom: the person or someone else). It names nobody: `person` is the anonymised row."""

    person = models.ForeignKey("trusts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    login_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="The closed login's number, if any.")
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    erased_at = models.DateTimeField(default=timezone.now)
    request_reference = models.CharField(
        max_length=200, blank=True, help_text="How the request was made, e.g. 'email of 03/03/2026'."
    )
    summary = models.JSONField(default=dict)
    emails_already_sent = models.JSONField(default=list)

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self):
        return f"Erasure {self.pk} on {timezone.localtime(self.erased_at):%d/%m/%Y}"


class ErasedIdentity(models.Model):
    """A one-way fingerprint (keyed HMAC-SHA256) of an erased person's normalised email
    address, or of their name at their academy. The identity cannot be read back from
    it, but the same email (or name at the same academy) arriving again through an
    import, an invitation or the demo matches, and is refused with the reason. Deleting
    a fingerprint (a person who asks to rejoin) lifts the refusal."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Email address"
        NAME_AT_ACADEMY = "name_at_academy", "Name at an academy"

    fingerprint = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    record = models.ForeignKey(ErasureRecord, on_delete=models.CASCADE, related_name="identities")

    class Meta:
        verbose_name_plural = "erased identities"
        ordering = ["-record__erased_at"]

    def __str__(self):
        return f"{self.get_kind_display()} erased on {timezone.localtime(self.record.erased_at):%d/%m/%Y}"


class RetentionRemoval(models.Model):
    """What one run of the retention sweep removed under one rule (network/base/privacy/retention.py):
    only runs that removed something are logged."""

    ran_at = models.DateTimeField(default=timezone.now, db_index=True)
    rule = models.CharField(max_length=60)
    what = models.CharField(max_length=200)
    count = models.PositiveIntegerField()
    cutoff = models.DateTimeField(help_text="Data from before this moment was past its retention period.")

    class Meta:
        ordering = ["-ran_at", "rule"]
        verbose_name = "retention removal"

    def __str__(self):
        return f"{self.rule}: {self.count} {self.what}"
