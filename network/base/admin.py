"""Back office for users, invitations and the outbox."""

from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef

from network.base import outbox, services
from network.base.models import Invitation, OutboxMessage, User
from network.base.personal_data import personal_data_for
from network.base.privacy.export_admin import PersonalDataAdminMixin


@admin.register(User)
class UserAdmin(PersonalDataAdminMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "two_step", "last_login"]
    list_filter = ["role", "is_active", "trusts"]
    actions = ["reset_mfa"]
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

    def export_for(self, obj):
        return personal_data_for(obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.user_apply_role(user=obj)

    def get_queryset(self, request):
        second_step = Authenticator.objects.filter(user=OuterRef("pk")).exclude(type=Authenticator.Type.RECOVERY_CODES)
        return super().get_queryset(request).annotate(has_mfa=Exists(second_step))

    @admin.display(description="Two-step sign-in", boolean=True, ordering="has_mfa")
    def two_step(self, obj):
        return obj.has_mfa

    @admin.action(
        description="Reset two-step sign-in of the selected people (they set it up again)", permissions=["change"]
    )
    def reset_mfa(self, request, queryset):
        reset = 0
        for user in queryset:
            if user.is_superuser and not request.user.is_superuser:
                messages.warning(request, f"{user.email} was not reset: only a superuser resets a superuser.")
                continue
            services.user_mfa_reset(user=user, by=request.user)
            reset += 1
        if reset:
            messages.success(
                request,
                f"Two-step sign-in reset for {reset} {'person' if reset == 1 else 'people'}; each was emailed. "
                "The reset is recorded in their history.",
            )

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


# Authenticators hold secrets: nobody browses them. Coordinators see who has two-step
# sign-in in the user list and reset it with the action above.
if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


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
        # A message being sent is left to its worker (the sweep takes it over if that
        # worker died), so this button cannot send it a second time in parallel.
        ids = list(
            queryset.exclude(status__in=[OutboxMessage.Status.SENT, OutboxMessage.Status.SENDING]).values_list(
                "pk", flat=True
            )
        )
        OutboxMessage.objects.filter(pk__in=ids).update(status=OutboxMessage.Status.PENDING, attempts=0)
        sent = sum(1 for pk in ids if outbox.deliver(pk))
        messages.info(request, f"Sent {sent} of {len(ids)} messages.")
