"""Keep the coordinators' group permissions in step with the models after every migrate,
so a new model is manageable by coordinators without a manual step."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver

COORDINATOR_APPS = ("trusts", "network", "events", "impact")
# Coordinators manage people's roles but never grant admin rights to themselves.
WITHHELD = {"network.add_user", "network.delete_user", "auth.change_group"}


@receiver(post_migrate)
def sync_coordinator_group(sender, apps=None, **kwargs):
    # Each app's permissions are created by auth's own post_migrate receiver for that app
    # (connected earlier), so sync after each of our rooms: the last one sees them all.
    if sender.label not in COORDINATOR_APPS:
        return
    from django.contrib.auth.models import Group, Permission

    from network.base.services import COORDINATOR_GROUP

    group, _ = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    perms = [
        p
        for p in Permission.objects.filter(content_type__app_label__in=COORDINATOR_APPS).select_related("content_type")
        if f"{p.content_type.app_label}.{p.codename}" not in WITHHELD
    ]
    group.permissions.set(perms)
