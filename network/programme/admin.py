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
    list_display = ["name", "subject", "phase", "overlapping_bookings"]
    search_fields = ["name", "subject"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["member_trusts"]


class HubRegionFilter(admin.SimpleListFilter):
    """Hub regions as recorded. Curriculum hubs have none, and Django's own filter would
    list that blank as a link with no text (no name for a screen reader: WCAG 2.4.4)."""

    title = "region"
    parameter_name = "region"
    NONE = "-"

    def lookups(self, request, model_admin):
        regions = Hub.objects.order_by("region").values_list("region", flat=True).distinct()
        return [(region or self.NONE, region or "No region") for region in regions]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(region="" if self.value() == self.NONE else self.value())


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "kind", "region", "lead", "deputy_lead", "scope", "status"]
    list_filter = ["network", "kind", HubRegionFilter, "scope", "status"]
    search_fields = ["name"]
    autocomplete_fields = ["lead", "deputy_lead", "academies"]
    list_select_related = ["network", "lead", "deputy_lead"]
