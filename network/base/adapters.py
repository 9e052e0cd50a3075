"""django-allauth adapter: sign-up by invitation only, and allauth's emails (password
reset, verification) go through the outbox like every other message."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from network.base import outbox


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return settings.ACCOUNT_ALLOW_SIGNUP

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        # Each reset or verification email is distinct, so the key is unique per send.
        outbox.enqueue_rendered(
            key=f"allauth:{template_prefix}:{uuid.uuid4()}",
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
        )
