"""Two-step sign-in for the demo's coordinator and trust executive logins.

The portal requires it for these roles (network/base/mfa.py), and the demo behaves exactly as
production does: after the password, these two logins are asked for a code. Their
authenticator secret is published here, like the demo password, so anyone trying the
demo can get the code: `make demo-code` (manage.py demo_code) prints it, or add the
secret to an authenticator app. Never use demo logins on a real portal.
"""

import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from network.base.mfa import mfa_required_for

# Base32, as authenticator apps take it. Public on purpose: it only opens demo logins.
DEMO_TOTP_SECRET = "DEMONETWORKDEMONETWORKDEMONETWRK"  # noqa: S105


def enrol(users) -> int:
    """Give each demo login that must use two-step sign-in the published authenticator
    secret and recovery codes, unless it has an authenticator already. Returns how many
    were enrolled (0 on a second run)."""
    enrolled = 0
    for user in users:
        if user is None or not mfa_required_for(user):
            continue
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            continue
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)
        enrolled += 1
    return enrolled


def current_code(now: float | None = None) -> tuple[str, int]:
    """The code an authenticator app with the demo secret shows now, and the seconds
    before it changes."""
    now = time.time() if now is None else now
    period = app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(now) // period)), period - int(now) % period
