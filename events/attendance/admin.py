"""Attendance and calendar feeds in the back office: read-only. Attendance changes only
through the register (events.attendance.services), so its rules hold and every change has a
who and a why; here coordinators search it and read its history (the audit trail)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from events.models import Attendance, CalendarFeed


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["person", "event", "attended", "minutes_attended", "source", "marked_by", "marked_at", "register"]
    list_filter = ["attended", "source", "booking__event__kind"]
    search_fields = [
        "booking__person__first_name",
        "booking__person__last_name",
        "booking__person__email",
        "booking__event__title",
        "verification_code",
    ]
    list_select_related = ["booking__person", "booking__event", "marked_by"]
    date_hierarchy = "marked_at"
    fields = [
        "booking",
        "attended",
        "minutes_attended",
        "source",
        "marked_by",
        "marked_at",
        "overridden_by",
        "override_reason",
        "overridden_at",
        "verification_code",
    ]
    readonly_fields = fields

    @admin.display(description="person", ordering="booking__person__last_name")
    def person(self, obj):
        return obj.booking.person

    @admin.display(description="event", ordering="booking__event__starts_at")
    def event(self, obj):
        return obj.booking.event

    @admin.display(description="register")
    def register(self, obj):
        return format_html(
            '<a href="{}">Open the register</a>', reverse("events:event_register", args=[obj.booking.event_id])
        )


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ["person", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["person__first_name", "person__last_name", "person__email"]
    list_select_related = ["person"]
    fields = ["person", "created_at", "created_by", "last_used_at", "revoked_at"]  # never the digest
    readonly_fields = fields
