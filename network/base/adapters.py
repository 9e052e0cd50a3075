"""django-allauth adapter: sign-up by invitation only, failed sign-ins counted per
account *and* address, and allauth's emails (password reset, verification) go through
the outbox like every other message."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip
from django.conf import settings

from network.base import outbox


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return settings.ACCOUNT_ALLOW_SIGNUP

    def _get_login_attempts_cache_key(self, request, **credentials):
        """allauth locks an account after 5 failed sign-ins, counted by its email alone:
        anyone who knows a person's email could keep them out by failing on purpose.
        Counting by email and address locks out the address that fails, not the person.
        (Guessing from many addresses meets the per-address limit on each, the password
        rules, and for coordinators and executives a second factor.)"""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{get_ip(request)}"

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
