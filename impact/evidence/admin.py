"""The evidence log in the back office: search and read; recording goes through the
evidence pages (and their services), so who recorded what is always kept."""

from django.contrib import admin

from impact.evidence.models import Claim, EvidenceItem


class EvidenceItemInline(admin.TabularInline):
    model = EvidenceItem
    extra = 0
    fields = ["source_type", "observed_on", "summary", "attachment_name", "recorded_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["statement", "academy", "initiative_kind", "initiative_label", "guskey_level", "recorded_by"]
    list_filter = ["initiative_kind", "guskey_level"]
    search_fields = ["statement", "academy__name", "initiative_label"]
    list_select_related = ["academy", "recorded_by"]
    readonly_fields = ["recorded_by", "created_at"]
    inlines = [EvidenceItemInline]

    def has_add_permission(self, request):
        return False
