"""Two-step sign-in (allauth's MFA: an authenticator app's codes, recovery codes, and a
security key or passkey where the browser has WebAuthn).

Coordinators and trust executives see other people's personal data and trusts' figures,
so for them it is required: until they have set up an authenticator app or a security
key, every page but allauth's own (where they set it up, or sign out) and the page that
explains why sends them to that page. Anyone else may turn it on from their account.
"""

from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from network.base import changes
from network.base.rules import has

# Kinds that count as a second step; recovery codes are only the way back in.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def mfa_required_for(user) -> bool:
    """Whether `user` must use two-step sign-in: the rule `network.must_use_two_step_sign_in`
    (network/base/rules.py) answers."""
    return has(user, "network.must_use_two_step_sign_in")


ENROLLED_KEY = "network:mfa:enrolled:{}"
ENROLLED_LIFETIME = 10 * 60


def mfa_enrolled(user) -> bool:
    """Whether `user` has an authenticator app or a security key, remembered on the user
    object for the request and, once true, in the shared cache: the middleware asks on
    every page a coordinator or trust executive opens, and the query was a fifth of the
    cheapest such page (speed, issue 14). Any save or delete of the user's authenticators
    forgets it (`forget_enrolment`), a coordinator's reset included; a "no" is never
    remembered, so setting one up counts at once."""
    if not hasattr(user, "_mfa_enrolled"):
        user._mfa_enrolled = _enrolled(user)
    return user._mfa_enrolled


def _enrolled(user) -> bool:
    # Only a cache every process shares may answer (`changes.shared`): a worker's own
    # memory would not hear a reset made in another worker.
    remember = changes.shared()
    key = ENROLLED_KEY.format(user.pk)
    if remember and cache.get(key):
        return True
    enrolled = Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()
    if enrolled and remember:
        cache.set(key, True, ENROLLED_LIFETIME)
    return enrolled


def forget_enrolment(sender, instance, **kwargs):
    """An authenticator was added, changed or removed: ask the database next time. Now,
    and again once the change commits (a request reading before the commit may have
    remembered the old answer in between)."""
    key = ENROLLED_KEY.format(instance.user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def connect():
    post_save.connect(forget_enrolment, sender=Authenticator, dispatch_uid="network.mfa.forget_enrolment.save")
    post_delete.connect(forget_enrolment, sender=Authenticator, dispatch_uid="network.mfa.forget_enrolment.delete")


# Pages a person without a second step may still open: the one explaining why, and the
# load balancer's probe. allauth's own pages (set it up, sign out) are open too.
EXEMPT_URL_NAMES = {"network:mfa_required", "network:healthz"}


def _exempt(request, view_func) -> bool:
    match = request.resolver_match
    return getattr(view_func, "__module__", "").startswith("allauth.") or (
        match is not None and match.view_name in EXEMPT_URL_NAMES
    )


class MFARequiredMiddleware:
    """Send a coordinator or trust executive without a second step to the page that
    sets it up, from every page (the admin's too) but allauth's own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not mfa_required_for(user) or _exempt(request, view_func) or mfa_enrolled(user):
            return None
        target = reverse("network:mfa_required")
        if request.htmx:  # the whole page goes there, not a fragment swapped into it
            return HttpResponseClientRedirect(target)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


@login_required
def mfa_required(request):
    """Why two-step sign-in is asked for, and the ways to set it up."""
    user = request.user
    next_url = request.GET.get("next", "")
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        next_url = ""
    context = {
        "required": mfa_required_for(user),
        "enrolled": mfa_enrolled(user),
        "next_url": next_url or reverse("network:home"),
    }
    return render(request, "network/mfa_required.html", context)
