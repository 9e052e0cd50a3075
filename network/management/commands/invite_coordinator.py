"""Bootstrap a new installation: invite the first coordinator without a superuser."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from network.base import services
from network.base.models import Role


class Command(BaseCommand):
    help = "Invite a network coordinator by email and print the one-time link (also emailed)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        try:
            with transaction.atomic():
                invitation, token = services.invitation_create(email=email, role=Role.COORDINATOR, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        link = settings.PORTAL_BASE_URL + reverse("network:invitation_accept", args=[token])
        self.stdout.write(f"Invitation for {invitation.email} (valid until {invitation.expires_at:%d/%m/%Y}):\n{link}")
