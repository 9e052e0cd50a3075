"""Back office for the membership year: the policy per network (the eligibility rules
are configured here), years, memberships with invoice lines, applications, reviews.
Decisions are taken on the coordinator pages (which record who, when and why); the
admin shows them read-only."""

from django.contrib import admin, messages

from network.programme.membership import review
from network.programme.membership.models import (
    ApplicationEvidence,
    InvoiceLine,
    Membership,
    MembershipApplication,
    MembershipPolicy,
    MembershipYear,
    ReviewProposal,
    ReviewRun,
)


@admin.register(MembershipPolicy)
class MembershipPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "network",
        "percentile_threshold",
        "performance_rule",
        "years_required",
        "performance_years",
        "fee_net",
    ]
    autocomplete_fields = ["network", "prerequisite_network"]
    fieldsets = [
        (None, {"fields": ["network", "prerequisite_network"]}),
        (
            "Membership year",
            {"fields": ["year_start_month", "year_start_day", "review_month", "review_day", "review_automatically"]},
        ),
        ("Fees and growth", {"fields": ["fee_net", "vat_rate", "growth_target_percent"]}),
        (
            "Eligibility",
            {
                "fields": [
                    "grade1_eligible",
                    "percentile_threshold",
                    "performance_rule",
                    "performance_years",
                    "years_required",
                    "fallback_measure",
                    "ungraded_treatment",
                    "no_inspection_treatment",
                    "no_performance_treatment",
                ]
            },
        ),
        (
            "Report cards (Ofsted inspections from November 2025)",
            {
                "description": "Urgent improvement in any area, or safeguarding not met, counts as a grade 4 did "
                "(not eligible; a member is flagged at risk). A card that cannot be read in full is referred.",
                "fields": [
                    "report_card_strong_areas",
                    "report_card_shortfall_treatment",
                    "report_card_needs_performance",
                ],
            },
        ),
    ]


@admin.register(MembershipYear)
class MembershipYearAdmin(admin.ModelAdmin):
    list_display = ["network", "label", "starts_on", "ends_on", "review_on", "fee_net", "vat_rate"]
    list_filter = ["network"]
    search_fields = ["label", "network__name"]


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    fields = ["kind", "description", "net_amount", "vat_rate", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]

    def has_change_permission(self, request, obj=None):
        return False  # lines already sent to finance are not rewritten; add a new one


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["academy", "year", "status", "at_risk", "trust", "created_at"]
    list_filter = ["year__network", "year__label", "status", "at_risk", "source"]
    search_fields = ["academy__name", "academy__urn", "trust__name"]
    list_select_related = ["academy", "year__network", "trust"]
    autocomplete_fields = ["academy", "trust"]
    readonly_fields = ["invited_at", "invited_by", "accepted_at", "accepted_by", "created_at"]
    inlines = [InvoiceLineInline]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for line in instances:
            if isinstance(line, InvoiceLine) and not line.pk:
                line.created_by = request.user
        formset.save()


class EvidenceInline(admin.TabularInline):
    model = ApplicationEvidence
    extra = 0
    readonly_fields = ["file", "name", "uploaded_by", "uploaded_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin):
    list_display = ["membership", "source", "meets_criteria", "referred_at", "decision", "decided_by", "decided_at"]
    list_filter = ["source", "decision", "meets_criteria"]
    search_fields = ["membership__academy__name", "membership__academy__urn"]
    list_select_related = ["membership__academy", "membership__year__network", "decided_by"]
    readonly_fields = [
        "membership",
        "source",
        "submitted_by",
        "submitted_at",
        "meets_criteria",
        "assessment",
        "referred_at",
        "decision",
        "decided_by",
        "decided_at",
        "decision_reason",
    ]
    inlines = [EvidenceInline]

    def has_add_permission(self, request):
        return False  # academies apply on the portal; the review refers


class ProposalInline(admin.TabularInline):
    model = ReviewProposal
    extra = 0
    fields = ["academy", "outcome", "override_outcome", "override_reason", "confirmed_at", "confirmed_by"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReviewRun)
class ReviewRunAdmin(admin.ModelAdmin):
    list_display = ["year", "network", "trigger", "started_by", "started_at", "data_as_of"]
    list_filter = ["network", "trigger"]
    readonly_fields = ["network", "year", "trigger", "started_by", "started_at", "data_as_of"]
    inlines = [ProposalInline]
    actions = ["run_due_reviews"]

    def has_add_permission(self, request):
        return False  # a review is started on the coordinator page or by the sweep (once)

    @admin.action(description="Run any review that is due now (the daily sweep)")
    def run_due_reviews(self, request, queryset):
        runs = review.review_sweep()
        messages.info(request, f"{len(runs)} review{'s' if len(runs) != 1 else ''} ran.")


@admin.register(ReviewProposal)
class ReviewProposalAdmin(admin.ModelAdmin):
    list_display = ["academy", "run", "outcome", "override_outcome", "confirmed_at"]
    list_filter = ["run__network", "run__year__label", "outcome", "override_outcome"]
    search_fields = ["academy__name", "academy__urn"]
    list_select_related = ["academy", "run__year__network"]
    readonly_fields = [f.name for f in ReviewProposal._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(InvoiceLine)
class InvoiceLineAdmin(admin.ModelAdmin):
    list_display = ["membership", "kind", "description", "net_amount", "vat_rate", "created_at"]
    list_filter = ["kind", "membership__year__network", "membership__year__label"]
    search_fields = ["membership__academy__name", "description"]
    list_select_related = ["membership__academy", "membership__year__network"]
    autocomplete_fields = ["membership"]
    readonly_fields = ["created_at", "created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
