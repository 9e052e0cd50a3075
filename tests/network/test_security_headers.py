"""Headers of network/base/security.py: pages to a signed-in person and downloads are never
stored by a browser or proxy; no page may ask for a camera, a microphone, location,
payment or USB; static files keep their own caching."""

import pytest
from django.urls import reverse

from tests.events import cpd_helpers as cpd


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_signed_in_pages_and_personal_downloads_are_not_stored(client, world):
    client.force_login(world.leader_a)
    for url in (
        reverse("network:home"),
        reverse("network:my_data"),
        reverse("events:my_cpd_csv"),
        reverse("events:my_bookings"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url
    client.force_login(world.coordinator)
    certificate = reverse("events:certificate_download", kwargs=cpd.b_certificate(world))
    assert no_store(client.get(certificate))


@pytest.mark.django_db
def test_public_pages_are_not_stored_either(client):
    assert no_store(client.get(reverse("account_login")))
    assert no_store(client.get(reverse("events:certificate_verify_form")))


@pytest.mark.django_db
def test_every_page_refuses_devices_it_does_not_use(client):
    policy = client.get(reverse("account_login"))["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert "publickey-credentials" not in policy  # security keys keep working


@pytest.mark.django_db
def test_static_files_keep_their_caching(client, world):
    client.force_login(world.leader_a)
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert not no_store(response)
