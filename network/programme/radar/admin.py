from django.contrib import admin

from network.programme.radar.models import RadarIssue


@admin.register(RadarIssue)
class RadarIssueAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "status", "sent_at", "recipient_count"]
    list_filter = ["network", "status"]
    # Composing and sending are pages (preview, send once): read here.
    readonly_fields = ["status", "send_requested_at", "sent_at", "sent_by", "recipient_count"]
