"""django-allauth's pages speak the portal's sentence case (network/locale/en_GB)."""

import re

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_sign_in_and_password_reset_pages_use_sentence_case(client):
    sign_in = client.get(reverse("account_login")).content.decode()
    reset = client.get(reverse("account_reset_password")).content.decode()
    assert re.search(r"<h1[^>]*>\s*Sign in\s*</h1>", sign_in)
    assert "Keep me signed in on this device" in sign_in and "Remember Me" not in sign_in
    assert "Forgotten your password?" in sign_in and "Sign In" not in sign_in
    assert "Reset your password" in reset and "Email me a reset link" in reset and "Reset My Password" not in reset
