"""Surveys in the back office: read-only lists that link to the builder (where every
change goes through the services). Invitations show whether someone answered, never
what: their saved draft and any answers are not shown, and responses are not listed
here at all (the results pages show them, suppressed as the rules say)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from events.attendance.admin import ReadOnlyAdmin
from impact.surveys.models import Survey, SurveyInvitation


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["title", "network", "kind", "status", "anonymous", "builtin", "closes_at", "builder"]
    list_filter = ["network", "kind", "status", "anonymous", "builtin"]
    search_fields = ["title"]
    fields = ["title", "network", "kind", "status", "anonymous", "builtin", "follow_up_months", "pair", "closes_at"]

    @admin.display(description="Builder")
    def builder(self, obj):
        return format_html('<a href="{}">Questions and settings</a>', reverse("impact:survey_builder", args=[obj.pk]))


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnlyAdmin):
    list_display = ["survey", "person", "event", "invited_at", "reminded_at", "answered", "expires_at"]
    list_filter = ["survey", ("answered_at", admin.EmptyFieldListFilter)]
    search_fields = ["person__first_name", "person__last_name", "person__email", "event__title"]
    list_select_related = ["survey", "person", "event"]
    fields = [
        "survey",
        "person",
        "event",
        "trust",
        "created_at",
        "invited_at",
        "reminded_at",
        "expires_at",
        "answered_at",
    ]

    @admin.display(boolean=True, description="Answered")
    def answered(self, obj):
        return obj.answered_at is not None
