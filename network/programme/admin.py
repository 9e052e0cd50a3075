"""Back office for networks and hubs; the membership year's admin is in membership/."""

from django.contrib import admin

from network.programme.membership import admin as membership_admin  # noqa: F401  (registers its models)
from network.programme.models import Hub, Network

# isort: split
# -- The network programme: grants, roles, hubs, connections, the radar (issue 13) -----
from network.programme.connections import admin as connections_admin  # noqa: F401
from network.programme.grants import admin as grants_admin  # noqa: F401
from network.programme.hubs import admin as hubs_admin  # noqa: F401
from network.programme.radar import admin as radar_admin  # noqa: F401
from network.programme.roles import admin as roles_admin  # noqa: F401

# -- end of the network programme (issue 13) --------------------------------------------


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "subject", "phase"]
    search_fields = ["name", "subject"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["member_trusts"]


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "kind", "region", "lead", "deputy_lead", "scope", "status"]
    list_filter = ["network", "kind", "region", "scope", "status"]
    search_fields = ["name"]
    autocomplete_fields = ["lead", "deputy_lead", "academies"]
    list_select_related = ["network", "lead", "deputy_lead"]
