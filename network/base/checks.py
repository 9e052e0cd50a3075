"""System checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_secret_key_is_not_the_dev_key(app_configs, **kwargs):
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        return [
            Warning(
                "SECRET_KEY is the development key from settings.py.",
                hint="Set SECRET_KEY in the environment to a long random value.",
                id="network.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_email_is_really_sent(app_configs, **kwargs):
    if "console" in settings.EMAIL_BACKEND or "locmem" in settings.EMAIL_BACKEND:
        return [
            Warning(
                "Email is printed to the console, not sent.",
                hint="Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587.",
                id="network.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_client_address_comes_from_the_proxy(app_configs, **kwargs):
    if not settings.ALLAUTH_TRUSTED_PROXY_COUNT and not settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER:
        return [
            Warning(
                "Sign-in limits per address will count every client as the TLS proxy's address.",
                hint="Behind the TLS proxy set TRUSTED_PROXY_COUNT=1 (docker-compose.yml does), or "
                "TRUSTED_CLIENT_IP_HEADER to the header your proxy sets (e.g. X-Real-IP).",
                id="network.W003",
            )
        ]
    return []
