from django.contrib import admin

from network.programme.roles.models import NetworkRole


@admin.register(NetworkRole)
class NetworkRoleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "network", "holder", "deputy", "review_on", "hours_per_term"]
    list_filter = ["network", "kind", "hub"]
    search_fields = ["title", "holder__last_name", "deputy__last_name", "hub__name"]
    autocomplete_fields = ["holder", "deputy", "hub", "trust"]
    list_select_related = ["hub", "holder", "deputy", "network"]
    readonly_fields = ["review_reminded_for"]
