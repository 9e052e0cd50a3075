"""Sign-in limits behind the TLS proxy: each client is counted by its own address (the
one the proxy appends to X-Forwarded-For), and an account's lock-out holds against the
address that failed, so nobody can lock another person, or everyone, out."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests import factories as f

PROXY = "172.18.0.1"  # what gunicorn sees for every request behind the proxy
ATTACKER = "203.0.113.9"
PERSON = "198.51.100.20"


@pytest.fixture
def behind_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def sign_in(client, email, password, *, client_address):
    # A client may send its own X-Forwarded-For; the proxy appends the address it saw.
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"10.0.0.1, {client_address}",
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_one_client_failing_behind_the_proxy_does_not_lock_out_the_others(behind_proxy, client):
    from django.test import Client

    f.UserFactory(email="person@school.example")
    attacker = Client()
    for n in range(12):
        sign_in(attacker, f"nobody{n}@school.example", "wrong-password", client_address=ATTACKER)
    response = sign_in(attacker, f"nobody{n}@school.example", "wrong-password", client_address=ATTACKER)
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode() or response.status_code == 429

    response = sign_in(client, "person@school.example", f.PASSWORD, client_address=PERSON)
    assert response.status_code == 302 and signed_in(client)


@pytest.mark.django_db
def test_failing_with_someone_elses_email_does_not_lock_them_out(behind_proxy, client):
    from django.test import Client

    f.UserFactory(email="person@school.example")
    attacker = Client()
    for _ in range(6):
        sign_in(attacker, "person@school.example", "wrong-password", client_address=ATTACKER)
    # The address that failed is locked out of the account, even with the right password...
    response = sign_in(attacker, "person@school.example", f.PASSWORD, client_address=ATTACKER)
    assert not signed_in(attacker)
    assert "Too many failed login attempts" in response.content.decode()
    # ...and the person, from their own address, signs in.
    response = sign_in(client, "person@school.example", f.PASSWORD, client_address=PERSON)
    assert response.status_code == 302 and signed_in(client)


@pytest.mark.django_db
def test_without_the_proxy_setting_a_forged_header_is_ignored(settings, client):
    """Clients reaching gunicorn directly (TRUSTED_PROXY_COUNT=0, the default) cannot
    escape the per-address count by sending X-Forwarded-For."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    f.UserFactory(email="person@school.example")
    for n in range(6):
        client.post(
            reverse("account_login"),
            {"login": "person@school.example", "password": "wrong-password"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    response = client.post(
        reverse("account_login"),
        {"login": "person@school.example", "password": f.PASSWORD},
        REMOTE_ADDR=ATTACKER,
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert not signed_in(client)
    assert "Too many failed login attempts" in response.content.decode()


def test_compose_trusts_one_proxy_by_default():
    compose = (Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text()
    assert "  TRUSTED_PROXY_COUNT: ${TRUSTED_PROXY_COUNT:-1}\n" in compose
