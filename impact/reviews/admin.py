from django.contrib import admin

from impact.reviews.models import LensRating, LensReview, ReviewComment


class LensRatingInline(admin.TabularInline):
    model = LensRating
    extra = 0
    fields = ("lens", "rating", "commentary", "evidence", "kpis")


@admin.register(LensReview)
class LensReviewAdmin(admin.ModelAdmin):
    list_display = ("year_label", "network", "hub", "updated_at")
    list_filter = ("network", "year_label")
    inlines = [LensRatingInline]


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ("review", "author", "created_at")
    readonly_fields = ("review", "author", "created_at")
