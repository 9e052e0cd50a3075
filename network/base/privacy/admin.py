"""Back office for the records about personal data: erasures, erased identities (a
coordinator lifts a refusal by deleting one, when the person asks to rejoin) and the
retention sweep's log. All read-only: they are written by network.base.privacy.erasure and
network.base.privacy.retention only."""

from django.contrib import admin
from django.utils import timezone

from network.base.privacy.models import ErasedIdentity, ErasureRecord, RetentionRemoval


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ErasedIdentityInline(admin.TabularInline):
    model = ErasedIdentity
    fields = ["kind", "fingerprint"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "erased_at", "erased_by", "request_reference"]
    list_select_related = ["erased_by"]
    date_hierarchy = "erased_at"
    fields = ["erased_at", "erased_by", "request_reference", "person", "login_id", "what_was_done", "emails_gone"]
    readonly_fields = fields
    inlines = [ErasedIdentityInline]

    def has_delete_permission(self, request, obj=None):
        return False  # the proof that the erasure happened

    @admin.display(description="What was done")
    def what_was_done(self, obj):
        return "; ".join(f"{what}: {n}" for what, n in obj.summary.items()) or "–"

    @admin.display(description="Emails already sent (cannot be recalled)")
    def emails_gone(self, obj):
        return (
            "; ".join(f"{e['key']} sent {e['sent_at'] or '?'} to {e['to']}" for e in obj.emails_already_sent) or "none"
        )


@admin.register(ErasedIdentity)
class ErasedIdentityAdmin(ReadOnlyAdmin):
    """Delete one to let an erased person be added again (only if they ask to rejoin)."""

    list_display = ["kind", "erased_on", "record"]
    list_filter = ["kind"]
    list_select_related = ["record"]

    @admin.display(description="Erased on", ordering="record__erased_at")
    def erased_on(self, obj):
        return f"{timezone.localtime(obj.record.erased_at):%d/%m/%Y}"


@admin.register(RetentionRemoval)
class RetentionRemovalAdmin(ReadOnlyAdmin):
    list_display = ["ran_at", "rule", "what", "count", "cutoff"]
    list_filter = ["rule"]
    date_hierarchy = "ran_at"

    def has_delete_permission(self, request, obj=None):
        return False
