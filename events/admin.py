"""The coordinators' back office for events. Bookings change state only through the
services (actions below), so capacity, waitlists and emails keep their rules; the
booking history is the audit trail (who did what, when)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.shortcuts import render
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from events.models import Booking, Event, Session
from events.services import booking as bookings
from events.services import event_admin, waitlist
from network.base.rules import NotAllowed
from trusts.models import JobRole, Phase


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["title", "starts_at", "ends_at", "room", "capacity"]


class EventAdminForm(forms.ModelForm):
    joining_link = forms.URLField(
        max_length=500, required=False, assume_scheme="https", help_text=Event._meta.get_field("joining_link").help_text
    )
    audience_roles = forms.MultipleChoiceField(
        choices=JobRole.choices, required=False, widget=forms.CheckboxSelectMultiple, help_text="None ticked: everyone."
    )
    audience_phases = forms.MultipleChoiceField(
        choices=Phase.choices, required=False, widget=forms.CheckboxSelectMultiple, help_text="None ticked: all phases."
    )

    class Meta:
        model = Event
        fields = ["joining_link", "audience_roles", "audience_phases"]  # the admin's fieldsets add the rest


class DuplicateForm(forms.Form):
    shift_days = forms.IntegerField(
        label="Move by (days)", initial=91, min_value=1, help_text="e.g. 91 for the same weekday next term."
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Sent to everyone booked, e.g. 'The speaker is unwell.'"
    )


class UpcomingFirstChangeList(ChangeList):
    """Upcoming events first, soonest at the top (what a coordinator runs next), then past
    ones, latest first. A column header still sorts by its column."""

    def get_ordering(self, request, queryset):
        if ORDER_VAR in self.params:
            return super().get_ordering(request, queryset)
        return ["is_past", "upcoming_start", "-past_start", "-pk"]

    def get_ordering_field_columns(self):
        # No column header claims the default order: it is none of theirs.
        return super().get_ordering_field_columns() if ORDER_VAR in self.params else {}


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    form = EventAdminForm
    inlines = [SessionInline]
    # What a coordinator checks at a glance fits a 1366 px laptop beside the admin's menu
    # and filters: the network is a filter (most portals run one), not a column.
    list_display = ["title", "when", "kind", "hub", "places", "waitlisted", "status"]
    list_filter = ["kind", "network", "hub", "status", "needs_approval", ("starts_at", admin.DateFieldListFilter)]
    search_fields = ["title", "description", "venue", "series"]
    date_hierarchy = "starts_at"
    list_select_related = ["network", "hub"]
    autocomplete_fields = ["hub", "duplicated_from"]
    readonly_fields = ["status", "cancelled_at", "cancelled_reason", "created_by", "created_at", "updated_at"]
    actions = ["duplicate", "cancel_events"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "description", "network", "hub", "series"]}),
        ("When and where", {"fields": ["starts_at", "ends_at", "is_online", "venue", "joining_link"]}),
        (
            "Booking",
            {
                "fields": [
                    "capacity",
                    "per_trust_cap",
                    "booking_opens_at",
                    "booking_closes_at",
                    "cancel_until_hours",
                    "needs_approval",
                ]
            },
        ),
        ("Audience and CPD", {"fields": ["audience_roles", "audience_phases", "cpd_hours"]}),
        (
            "Record",
            {
                "fields": ["status", "cancelled_at", "cancelled_reason", "duplicated_from", "created_by", "created_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_queryset(self, request):
        now = timezone.now()
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed_count=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDS_PLACE)),
                waitlisted_count=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED)),
                is_past=Case(When(ends_at__lte=now, then=Value(1)), default=Value(0), output_field=IntegerField()),
                upcoming_start=Case(When(ends_at__gt=now, then=F("starts_at"))),
                past_start=Case(When(ends_at__lte=now, then=F("starts_at"))),
            )
        )

    def get_changelist(self, request, **kwargs):
        return UpcomingFirstChangeList

    @admin.display(description="When", ordering="starts_at")
    def when(self, obj):
        # The day and date stay together; the time may wrap below them.
        return timezone.localtime(obj.starts_at).strftime("%a\u00a0%d/%m/%Y %H:%M")

    @admin.display(description="Places taken", ordering="confirmed_count")
    def places(self, obj):
        return f"{obj.confirmed_count} of {obj.capacity}"

    @admin.display(description="Waitlisted", ordering="waitlisted_count")
    def waitlisted(self, obj):
        return obj.waitlisted_count

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # More places (or a higher cap) may let the waitlist in.
        if change:
            waitlist.waitlist_promote(event=form.instance, by=request.user)

    @admin.action(description="Duplicate (next in a series)")
    def duplicate(self, request, queryset):
        form = DuplicateForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for event in queryset:
                copy = event_admin.event_duplicate(
                    event=event, by=request.user, shift_days=form.cleaned_data["shift_days"]
                )
                self.message_user(request, f"Created “{copy}”.", messages.SUCCESS)
            return None
        return render(
            request,
            "admin/events/event/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": "Duplicate events",
                "events": queryset,
                "form": form,
                "action": "duplicate",
                "opts": self.model._meta,
            },
        )

    @admin.action(description="Cancel event (tells everyone booked)")
    def cancel_events(self, request, queryset):
        form = CancelForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for event in queryset:
                event_admin.event_cancel(event=event, by=request.user, reason=form.cleaned_data["reason"])
                self.message_user(request, f"Cancelled “{event}”; everyone booked has been told.", messages.SUCCESS)
            return None
        return render(
            request,
            "admin/events/event/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": "Cancel events",
                "events": queryset,
                "form": form,
                "action": "cancel_events",
                "opts": self.model._meta,
            },
        )


@admin.register(Booking)
class BookingAdmin(SimpleHistoryAdmin):
    """Bookings are made on the portal (or on behalf) so the rules hold; here a
    coordinator reads them, their history (the audit trail) and cancels or decides."""

    list_display = ["person", "event", "session", "status", "trust_at_booking", "booked_by", "created_at"]
    list_filter = ["status", "event__kind", "trust_at_booking", ("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["person__first_name", "person__last_name", "person__email", "event__title"]
    list_select_related = ["person", "event", "session", "trust_at_booking", "booked_by"]
    date_hierarchy = "created_at"
    actions = ["cancel_bookings", "approve_bookings", "decline_bookings"]
    history_list_display = ["status", "status_reason"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Booking._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _apply(self, request, queryset, service, done):
        ok = 0
        for booking in queryset.select_related("event", "person"):
            try:
                service(booking=booking, by=request.user)
                ok += 1
            except (ValidationError, NotAllowed) as error:
                self.message_user(
                    request, f"{booking}: {' '.join(getattr(error, 'messages', [str(error)]))}", messages.WARNING
                )
        if ok:
            self.message_user(request, f"{done} {ok} booking{'s' if ok != 1 else ''}.", messages.SUCCESS)

    @admin.action(description="Cancel (frees the place for the waitlist)")
    def cancel_bookings(self, request, queryset):
        self._apply(request, queryset, bookings.booking_cancel, "Cancelled")

    @admin.action(description="Approve requests")
    def approve_bookings(self, request, queryset):
        self._apply(request, queryset, bookings.booking_approve, "Approved")

    @admin.action(description="Decline requests")
    def decline_bookings(self, request, queryset):
        self._apply(request, queryset, bookings.booking_decline, "Declined")


# Attendance and calendar feeds (read-only) live in their own module.
from events.attendance import admin as attendance_admin  # noqa: E402, F401

# Academy visits: kinds, policy and visits (actions call the services).
from events.visits import admin as visits_admin  # noqa: E402, F401
