from django.contrib import admin

from impact.dashboards.models import Objective


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ("year_label", "network", "measure", "target", "min_trusts", "set_by", "set_at")
    list_filter = ("network", "year_label", "measure")
    readonly_fields = ("set_by", "set_at")

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        super().save_model(request, obj, form, change)
