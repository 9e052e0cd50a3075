"""The coordinators' back office for visits: kinds and fees, the policy (caps, tier
targets), and visits with their visitors, actions and history. Visits are read here and
moved by actions that call the services (so the table of transitions, the caps and the
double-booking check hold); they are requested and scheduled on the portal's pages."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone

from events.visits.coverage import current_year
from events.visits.models import Visit, VisitAction, VisitKind, VisitLog, VisitPolicy, VisitVisitor
from events.visits.services import requests, scheduling
from network.base.rules import NotAllowed


@admin.register(VisitKind)
class VisitKindAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "network", "fee_net", "is_active")
    list_filter = ("network", "is_active")
    list_editable = ("fee_net", "is_active")


@admin.register(VisitPolicy)
class VisitPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "network",
        "host_cap_per_term",
        "visitor_cap_per_term",
        "target_stabilise",
        "target_improve",
        "target_sustain",
    )
    actions = ["create_annual_visits"]

    @admin.action(description="Create this membership year's annual visit for every active member")
    def create_annual_visits(self, request, queryset):
        for policy in queryset.select_related("network"):
            year = current_year(policy.network)
            if year is None:
                self.message_user(request, f"{policy.network} has no membership year yet.", messages.WARNING)
                continue
            created = requests.visits_create_annual(year=year, by=request.user)
            self.message_user(request, f"{policy.network} {year.label}: {created} annual visit requests created.")


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VisitorInline(_ReadOnlyInline):
    model = VisitVisitor
    fields = ("person", "assigned_at")


class ActionInline(_ReadOnlyInline):
    model = VisitAction
    fields = ("description", "owner", "due_on", "status", "closed_at")


class LogInline(_ReadOnlyInline):
    model = VisitLog
    fields = ("at", "by", "action", "from_status", "to_status", "text")


class CancelForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Reason (the people involved read it)")


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "host_academy", "visiting_academy", "status", "starts_at", "requested_at")
    list_filter = ("status", "kind__code", "network", "direction")
    search_fields = ("host_academy__name", "host_academy__urn", "visiting_academy__name", "assignments__person__email")
    date_hierarchy = "requested_at"
    list_select_related = ("kind", "host_academy", "visiting_academy")
    inlines = [VisitorInline, ActionInline, LogInline]
    actions = ["complete_visits", "cancel_visits"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Visit._meta.fields]

    def has_add_permission(self, request):
        return False  # requests are made on the portal's "Request a visit" page

    def _apply(self, request, queryset, call, done):
        ok = 0
        for visit in queryset.select_related("kind", "host_academy", "visiting_academy"):
            try:
                call(visit)
                ok += 1
            except (ValidationError, NotAllowed) as error:
                self.message_user(
                    request, f"{visit}: {' '.join(getattr(error, 'messages', [str(error)]))}", messages.WARNING
                )
        if ok:
            self.message_user(request, f"{done} {ok} visit{'s' if ok != 1 else ''}.", messages.SUCCESS)

    @admin.action(description="Mark as completed (adds the invoice line of a chargeable kind)")
    def complete_visits(self, request, queryset):
        self._apply(request, queryset, lambda v: scheduling.visit_complete(visit=v, by=request.user), "Completed")

    @admin.action(description="Cancel (asks for a reason; tells the people involved)")
    def cancel_visits(self, request, queryset):
        form = CancelForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._apply(
                request, queryset, lambda v: requests.visit_cancel(visit=v, reason=reason, by=request.user), "Cancelled"
            )
            return None
        return render(
            request,
            "admin/events/visit/action_form.html",
            {
                "title": "Cancel the selected visits",
                "visits": queryset,
                "form": form,
                "action": "cancel_visits",
                "today": timezone.localdate(),
                **self.admin_site.each_context(request),
            },
        )
