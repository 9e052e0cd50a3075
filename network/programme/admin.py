"""Back office for networks and hubs; the membership year's admin is in membership/."""

from django.contrib import admin

from network.programme.membership import admin as membership_admin  # noqa: F401  (registers its models)
from network.programme.models import Hub, Network


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "subject", "phase"]
    search_fields = ["name", "subject"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["member_trusts"]


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "kind", "region", "lead", "deputy_lead"]
    list_filter = ["network", "kind", "region"]
    search_fields = ["name"]
    autocomplete_fields = ["lead", "deputy_lead", "academies"]
    list_select_related = ["network", "lead", "deputy_lead"]
