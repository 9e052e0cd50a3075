from django.contrib import admin

from network.programme.connections.models import ConnectionRequest, ProgrammePreference


@admin.register(ConnectionRequest)
class ConnectionRequestAdmin(admin.ModelAdmin):
    list_display = ["asker", "recipient", "topic", "status", "created_at", "responded_at"]
    list_filter = ["status"]
    search_fields = ["topic", "asker__last_name", "recipient__last_name"]
    list_select_related = ["asker", "recipient"]
    readonly_fields = ["asker", "recipient", "status", "responded_at", "shared_phone"]


@admin.register(ProgrammePreference)
class ProgrammePreferenceAdmin(admin.ModelAdmin):
    list_display = ["person", "requests_paused", "radar_opt_out"]
    autocomplete_fields = ["person"]
