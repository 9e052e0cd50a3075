"""Back office for users, networks, hubs, invitations and the outbox."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied

from network import outbox, services
from network.models import Hub, Invitation, Network, OutboxMessage, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "trusts"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["person", "trusts"]
    filter_horizontal = []
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password"]}),
        ("Role and scope", {"fields": ["role", "person", "trusts", "is_active"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser and obj is not None:
            fieldsets = [*fieldsets, ("Superuser only", {"fields": ["is_staff", "is_superuser", "groups"]})]
        return fieldsets

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.user_apply_role(user=obj)

    def has_change_permission(self, request, obj=None):
        # A coordinator must not be able to take over a superuser (by changing its email
        # or password), nor deactivate one.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        # Nobody sets another person's password but a superuser: people reset their own
        # from the sign-in page (an email proves who they are).
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


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
    list_display = ["name", "network", "kind", "region", "lead", "deputy_lead"]
    list_filter = ["network", "kind", HubRegionFilter]
    search_fields = ["name"]
    autocomplete_fields = ["lead", "deputy_lead", "academies"]
    list_select_related = ["network", "lead", "deputy_lead"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email"]
    readonly_fields = [
        "email",
        "role",
        "person",
        "trusts",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "user",
    ]
    list_select_related = ["invited_by"]

    def has_add_permission(self, request):
        return False  # invitations are sent from the "Invite someone" page, which emails the link


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject", "key"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send now (failed, pending or held messages)")
    def retry(self, request, queryset):
        ids = list(queryset.exclude(status=OutboxMessage.Status.SENT).values_list("pk", flat=True))
        OutboxMessage.objects.filter(pk__in=ids).update(status=OutboxMessage.Status.PENDING, attempts=0)
        sent = sum(1 for pk in ids if outbox.deliver(pk))
        messages.info(request, f"Sent {sent} of {len(ids)} messages.")


from network.membership import admin as membership_admin  # noqa: E402, F401  (register the membership year's admin)
