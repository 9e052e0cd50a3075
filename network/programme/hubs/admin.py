from django.contrib import admin

from network.programme.hubs.models import HubMembership, HubResource, MeetingNote


@admin.register(HubMembership)
class HubMembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "hub", "status", "requested_at", "decided_at"]
    list_filter = ["status", "hub"]
    search_fields = ["person__last_name", "hub__name"]
    autocomplete_fields = ["person"]
    list_select_related = ["person", "hub"]


@admin.register(HubResource)
class HubResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "hub", "file_name", "url", "added_by", "added_at"]
    list_filter = ["hub"]
    search_fields = ["title"]
    list_select_related = ["hub", "added_by"]
    readonly_fields = ["file_name", "file_size"]
    autocomplete_fields = ["added_by"]


@admin.register(MeetingNote)
class MeetingNoteAdmin(admin.ModelAdmin):
    list_display = ["hub", "event_id", "updated_at"]
    list_filter = ["hub"]
