"""The coordinator's back office for trusts, academies and people."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from network.base.imports.admin import SpreadsheetAdminMixin
from network.base.personal_data import personal_data_for
from network.base.privacy.erasure import erased_identity, refusal_reason
from network.base.privacy.export_admin import PersonalDataAdminMixin
from trusts import services
from trusts.models import (
    Academy,
    AcademyTrustMembership,
    Designation,
    ExpertiseTag,
    Inspection,
    PerformanceResult,
    Person,
    SupportTier,
    Trust,
)
from trusts.resources import AcademyResource, PersonResource, TrustResource
from trusts.signals import announce_inspection

# The confirmation page lists this many people by name, then "and N more".
ERASE_LIST_LIMIT = 200


class ShownColumnsChangeList(ChangeList):
    """A change list whose page of rows loads only the columns its admin's
    `list_columns` names (what `list_display` and the row's checkbox read): every
    column of the academy and its trust, 50 rows, cost more to load than the cells they
    fill (speed, issue 14). Only the page shown: actions and exports read whole rows
    through `get_queryset`, as before."""

    def get_results(self, request):
        if self.model_admin.list_columns:
            self.queryset = self.queryset.only(*self.model_admin.list_columns)
        super().get_results(request)


class HistoryImportExportAdmin(SpreadsheetAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    # Rows written a column at a time (network/templatetags/admin_rows.py); django-import-export's
    # change list extends it, keeping its Import and Export buttons.
    change_list_template = "admin/quick_change_list.html"
    list_columns: tuple = ()  # empty: every column (`ShownColumnsChangeList`)

    def get_changelist(self, request, **kwargs):
        return ShownColumnsChangeList

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        """Django's checkbox, written directly: the stock one renders a form widget
        through the template engine for every row, a sixth of the changelist's cost at
        50 rows (speed, issue 14). Same markup, same escaping."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            f"Select this object for an action - {obj}",
        )


class AcademyInline(admin.TabularInline):
    model = Academy
    fields = ["urn", "name", "region", "community_type", "pupils_on_roll", "support_tier"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Trust)
class TrustAdmin(HistoryImportExportAdmin):
    resource_classes = [TrustResource]
    list_display = ["name", "gias_uid", "region", "ceo_name", "academy_count"]
    list_filter = ["region"]
    search_fields = ["name", "gias_uid", "companies_house_number"]
    inlines = [AcademyInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_academies=Count("academies"))

    @admin.display(description="Academies", ordering="n_academies")
    def academy_count(self, obj):
        return obj.n_academies


class TrustMembershipInline(admin.TabularInline):
    model = AcademyTrustMembership
    extra = 0
    autocomplete_fields = ["trust"]


class InspectionInline(admin.TabularInline):
    model = Inspection
    extra = 0
    fields = ["inspection_date", "inspection_number", "grade", "outcome_text", "report_card", "source"]


class PerformanceInline(admin.TabularInline):
    model = PerformanceResult
    extra = 0


def _set_tier(tier):
    def action(modeladmin, request, queryset):
        for academy in queryset:
            services.academy_set_support_tier(academy=academy, tier=tier, by=request.user)
        messages.success(request, f"{queryset.count()} academies set to {SupportTier(tier).label}.")

    action.__name__ = f"set_tier_{tier}"
    action.short_description = f"Set support tier: {SupportTier(tier).label}"
    return action


class GiasUploadForm(forms.Form):
    file = forms.FileField(
        label="GIAS establishment file (CSV)",
        help_text="An establishment export from Get Information About Schools, as downloaded.",
    )
    as_of = forms.DateField(
        label="Trust moves take effect on (dd/mm/yyyy)",
        required=False,
        input_formats=["%d/%m/%Y"],
        help_text="Leave blank for today. An academy that changed trust leaves its old trust the day before.",
    )


class TrustNameFilter(admin.RelatedFieldListFilter):
    """Django's filter by a trust, listing each trust's id and name alone: Django builds
    a whole trust (a dozen columns) for each of a hundred names, on every page of the
    change list (speed, issue 14). The names are those `Trust.__str__` gives."""

    def field_choices(self, field, request, model_admin):
        trusts = field.remote_field.model._default_manager.all()
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            trusts = trusts.order_by(*ordering)
        return list(trusts.values_list("pk", "name"))


@admin.register(Academy)
class AcademyAdmin(HistoryImportExportAdmin):
    resource_classes = [AcademyResource]
    # Extends django-import-export's change list, keeping its Import/Export buttons.
    import_export_change_list_template = "admin/trusts/academy/change_list.html"
    list_display = [
        "name",
        "urn",
        "trust",
        "region",
        "community_type",
        "phase",
        "pupils_on_roll",
        "percent_fsm",
        "support_tier",
        "is_open",
    ]
    list_filter = [
        ("trust", TrustNameFilter),
        *("region", "community_type", "phase", "support_tier", "is_open", "has_sixth_form"),
    ]
    search_fields = ["name", "=urn", "local_authority"]
    list_select_related = ["trust"]
    # The columns above, the trust's name (its str) and the URN the checkbox names.
    list_columns = (*(name for name in list_display if name != "trust"), "trust__name")
    # Speed (issue 14): no second COUNT(*) of the whole table under a filtered list, and
    # 50 rows a page (each row renders ten cells; 100 rows doubled the page's cost).
    show_full_result_count = False
    list_per_page = 50
    autocomplete_fields = ["trust"]
    readonly_fields = ["support_tier_set_on", "support_tier_set_by", "created_at", "updated_at"]
    inlines = [TrustMembershipInline, InspectionInline, PerformanceInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Inspection:
            # Inspections typed in by hand are announced like imported ones.
            for inspection, _changed in [*((o, None) for o in formset.new_objects), *formset.changed_objects]:
                announce_inspection(inspection)

    actions = [_set_tier(t) for t in SupportTier.values]

    def save_model(self, request, obj, form, change):
        if "support_tier" in form.changed_data:
            obj.support_tier_set_by = request.user
            obj.support_tier_set_on = timezone.localdate()
        super().save_model(request, obj, form, change)
        if "trust" in form.changed_data:
            # The trust column and the dated history must agree: record the move.
            services.academy_move_trust(academy=obj, trust=obj.trust, on=timezone.localdate(), by=request.user)

    def get_urls(self):
        return [
            path("import-gias/", self.admin_site.admin_view(self.import_gias_view), name="trusts_academy_import_gias"),
            *super().get_urls(),
        ]

    def import_gias_view(self, request):
        """Upload a GIAS export: it is checked at once (a GIAS file, not too large) and
        imported by a worker, the same importer as `manage.py import_gias`; the job's
        page shows the progress and then the report."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        from network.base.imports.admin import job_url
        from network.base.imports.jobs import import_job_create

        form = GiasUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            as_of = form.cleaned_data["as_of"]
            try:
                job = import_job_create(
                    kind="gias",
                    target="trusts.Academy",
                    upload=form.cleaned_data["file"],
                    options={"as_of": as_of.isoformat() if as_of else None},
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return redirect(job_url(job))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import academies from GIAS",
            "form": form,
            "max_mb": settings.IMPORT_UPLOAD_MAX_MB,
        }
        return TemplateResponse(request, "admin/trusts/academy/import_gias.html", context)


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["academy", "inspection_date", "inspection_number", "grade", "outcome_text", "source"]
    list_filter = ["grade", "source", "academy__trust"]
    search_fields = ["academy__name", "=academy__urn", "=inspection_number"]
    autocomplete_fields = ["academy"]
    list_select_related = ["academy"]
    date_hierarchy = "inspection_date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or {"grade", "inspection_date", "outcome_text"} & set(form.changed_data):
            announce_inspection(obj)


@admin.register(PerformanceResult)
class PerformanceResultAdmin(admin.ModelAdmin):
    list_display = [
        "academy",
        "academic_year",
        "progress8",
        "percentile",
        "suppressed",
        "attainment8",
        "attainment8_percentile",
    ]
    list_filter = ["academic_year", "academy__trust"]
    search_fields = ["academy__name", "=academy__urn"]
    autocomplete_fields = ["academy"]
    list_select_related = ["academy"]


class PersonAdminForm(forms.ModelForm):
    """A person whose data was erased is not added again by hand either (network.base.privacy.erasure).
    The admin gives it its model and fields."""

    def clean(self):
        data = super().clean()
        changed = self.instance.pk is None or {"email", "first_name", "last_name", "academy"} & set(self.changed_data)
        if changed:
            erased = erased_identity(
                email=data.get("email") or "",
                first_name=data.get("first_name") or "",
                last_name=data.get("last_name") or "",
                academy=data.get("academy"),
            )
            if erased is not None:
                self.add_error("email", refusal_reason(erased))
        return data


@admin.register(Person)
class PersonAdmin(PersonalDataAdminMixin, HistoryImportExportAdmin):
    form = PersonAdminForm
    resource_classes = [PersonResource]
    list_display = ["full_name", "email", "job_role", "academy", "trust", "directory_consent"]
    list_filter = [
        *("job_role", "directory_consent", "designations", "expertise"),
        ("academy__trust", TrustNameFilter),
        "academy__region",
    ]
    search_fields = ["first_name", "last_name", "email", "academy__name"]
    autocomplete_fields = ["academy", "trust", "designations", "expertise"]
    list_select_related = ["academy", "trust"]
    show_full_result_count = False  # Speed (issue 14): see AcademyAdmin
    list_per_page = 50
    actions = ["invite_as_leaders", "erase_personal_data"]

    def export_for(self, obj):
        return personal_data_for(person=obj)

    @admin.action(description="Invite the selected people to the portal as science leaders", permissions=["change"])
    def invite_as_leaders(self, request, queryset):
        # network is the programme above this room: imported here, at the moment of use.
        from django.core.exceptions import ValidationError

        from network.base.models import Role
        from network.base.services import invitation_create

        invited, skipped = 0, []
        for person in queryset.select_related("academy"):
            if person.academy_id is None:
                skipped.append(f"{person.full_name} (not at an academy)")
                continue
            try:
                invitation_create(email=person.email, role=Role.LEADER, by=request.user, person=person)
            except ValidationError as error:
                skipped.append(f"{person.full_name} ({' '.join(error.messages)})")
                continue
            invited += 1
        messages.success(request, f"Invited {invited} {'person' if invited == 1 else 'people'}.")
        if skipped:
            messages.warning(request, "Not invited: " + "; ".join(skipped) + ".")

    @admin.action(description="Erase personal data of the selected people (cannot be undone)", permissions=["delete"])
    def erase_personal_data(self, request, queryset):
        """First a confirmation page saying what will happen (as Django's delete does),
        then, when confirmed, the erasure (network.base.privacy.erasure.person_erase) of each."""
        from django.contrib.admin import helpers

        from network.base.privacy.erasure import erasure_preview, person_erase

        if request.POST.get("post") == "yes":
            reference = request.POST.get("request_reference", "").strip()[:200]
            count = 0
            for person in queryset.select_related("academy"):
                person_erase(person=person, by=request.user, request_reference=reference)
                count += 1
            messages.success(request, f"Erased the personal data of {count} {'person' if count == 1 else 'people'}.")
            return None
        people = list(queryset.select_related("academy")[: ERASE_LIST_LIMIT + 1])
        count = queryset.count()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Erase personal data: are you sure?",
            "count": count,
            "preview": erasure_preview(queryset),
            "shown": people[:ERASE_LIST_LIMIT],
            "more": max(0, count - ERASE_LIST_LIMIT),
            "select_across": request.POST.get("select_across") == "1",
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            # Posting back to the list as filtered now, so "select all" erases the same people.
            "form_action": request.get_full_path(),
        }
        return TemplateResponse(request, "admin/trusts/person/erase_confirmation.html", context)


@admin.register(Designation)
class DesignationAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(ExpertiseTag)
class ExpertiseTagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
