"""A new coordinator, in a real browser: signs in, is sent to the two-step sign-in page
(every page sends them there), sets up an authenticator app from its QR code page, sees
their recovery codes, and then reaches the portal. axe checks each page; the strict CSP
stays on (the page fixture fails on any violation)."""

import re

import pytest

from tests import factories as f
from tests.e2e.conftest import HOME_URL, axe

pytestmark = pytest.mark.e2e


def test_a_coordinator_sets_up_two_step_sign_in_before_anything_else(page, world):
    coordinator = f.coordinator(mfa=False, email="new.coordinator@network.example", full_name="Nia Evans")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(coordinator.email)
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/accounts/two-step-sign-in/"))
    assert page.get_by_role("heading", name="Two-step sign-in", level=1).is_visible()
    assert page.get_by_text("Before you go on, please set up two-step sign-in.").is_visible()
    axe(page)

    page.goto("/admin/")  # any page: sent back
    page.wait_for_url(re.compile(r"/accounts/two-step-sign-in/\?next=%2Fadmin%2F"))

    page.get_by_role("link", name="Set up an authenticator app").click()
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    axe(page)
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    axe(page)
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(f.totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    axe(page)

    page.goto("/")
    page.wait_for_url(HOME_URL)
    assert page.get_by_role("button", name="Nia Evans").is_visible()
    page.goto("/admin/")
    assert page.get_by_role("heading", name="Run the network").is_visible()
