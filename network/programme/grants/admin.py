"""The grants' back office: rounds with their criteria; bids, reviews and reports to
read (decisions are made on the bid's page, through the services)."""

from django.contrib import admin

from network.programme.grants.models import (
    GrantBid,
    GrantBudgetLine,
    GrantCriterion,
    GrantReport,
    GrantReview,
    GrantRound,
)


class CriterionInline(admin.TabularInline):
    model = GrantCriterion
    extra = 1


@admin.register(GrantRound)
class GrantRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "budget", "max_per_bid", "opens_on", "closes_on"]
    list_filter = ["network"]
    search_fields = ["name"]
    inlines = [CriterionInline]


class BudgetLineInline(admin.TabularInline):
    model = GrantBudgetLine
    extra = 0


@admin.register(GrantBid)
class GrantBidAdmin(admin.ModelAdmin):
    list_display = ["title", "academy", "round", "status", "amount_requested", "amount_awarded", "endorsed_at"]
    list_filter = ["round", "status"]
    search_fields = ["title", "academy__name", "lead__last_name"]
    list_select_related = ["academy", "round"]
    autocomplete_fields = ["academy", "trust", "lead", "endorsed_by"]
    # Decisions and endorsements go through the services (the bid's page): read here.
    readonly_fields = [
        "status",
        "amount_awarded",
        "decided_at",
        "decided_by",
        "endorsed_by",
        "endorsed_at",
        "submitted_at",
    ]
    inlines = [BudgetLineInline]


@admin.register(GrantReview)
class GrantReviewAdmin(admin.ModelAdmin):
    list_display = ["bid", "reviewer", "weighted_score", "submitted_at"]
    list_filter = ["bid__round"]
    list_select_related = ["bid", "reviewer"]
    # Assignments go through `review_assign` (conflict of interest): never typed in here.
    readonly_fields = ["bid", "reviewer", "scores", "weighted_score", "submitted_at", "assigned_by"]

    def has_add_permission(self, request):
        return False


@admin.register(GrantReport)
class GrantReportAdmin(admin.ModelAdmin):
    list_display = ["bid", "kind", "submitted_at", "published_at"]
    list_filter = ["kind", "bid__round"]
    search_fields = ["bid__title", "what_changed"]
    list_select_related = ["bid"]
