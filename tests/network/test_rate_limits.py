"""The portal's own rate limits (network/base/ratelimit.py) on invitations and bookings, and
allauth's on password reset: over the limit the answer is "too many attempts" (429) and
nothing is written or sent; a cache that fails lets the request through."""

import logging
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Booking
from network.base import services
from network.base.models import Invitation, OutboxMessage, Role
from network.base.ratelimit import Rate
from tests import factories as f


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """The limits count per fixed window (a minute here): a test whose requests straddle
    a minute's end (a busy CI machine) would count them in two windows. Our limiter's
    clock is held mid-minute; allauth's own is not touched."""
    import types

    from network.base import ratelimit

    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_800_000_030.0))


def test_rates_are_written_like_allauths():
    assert Rate.parse("20/m/user") == Rate(20, 60, "user")
    assert Rate.parse("5/15m/ip") == Rate(5, 900, "ip")
    assert Rate.parse("200/d/key") == Rate(200, 86400, "key")
    with pytest.raises(ValueError):
        Rate.parse("5/w/user")


@pytest.mark.django_db
def test_invitations_are_limited_per_coordinator(client, world, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "invitation_create": "2/m/user"}
    client.force_login(world.coordinator)
    for n in range(2):
        response = client.post(
            reverse("network:invitation_create"), {"email": f"v{n}@school.example", "role": Role.VISITOR}
        )
        assert response.status_code == 302
    response = client.post(reverse("network:invitation_create"), {"email": "v3@school.example", "role": Role.VISITOR})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert Invitation.objects.count() == 2
    # Reading the page is not limited.
    assert client.get(reverse("network:invitation_create")).status_code == 200


@pytest.mark.django_db
def test_accepting_an_invitation_is_limited_per_address(client, world, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "invitation_accept": "3/m/ip"}
    _, token = services.invitation_create(email="v@school.example", role=Role.VISITOR, by=world.coordinator)
    url = reverse("network:invitation_accept", args=[token])
    mismatched = {"full_name": "V", "password1": "Pr4ctical-w0rk!", "password2": "different"}
    for _ in range(3):
        assert client.post(url, mismatched).status_code == 200
    assert client.post(url, mismatched).status_code == 429


@pytest.mark.django_db
def test_booking_is_limited_per_person(client, world, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "booking_create": "2/m/user"}
    client.force_login(world.leader_a)
    # A day apart: events at the same time would stop at the overlap warning, not the limit.
    events = [
        f.EventFactory(network=world.network, starts_at=timezone.now() + timedelta(days=21 + i)) for i in range(3)
    ]
    for event in events[:2]:
        assert client.post(reverse("events:event_book", args=[event.pk])).status_code == 302
    assert client.post(reverse("events:event_book", args=[events[2].pk])).status_code == 429
    assert Booking.objects.filter(person=world.person_a).count() == 2


@pytest.mark.django_db
def test_password_reset_emails_to_one_address_are_limited(client, django_capture_on_commit_callbacks):
    f.UserFactory(email="forgetful@school.example")
    for _ in range(7):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("account_reset_password"), {"email": "forgetful@school.example"})
    assert OutboxMessage.objects.filter(to="forgetful@school.example").count() == 5


@pytest.mark.django_db
def test_a_failing_cache_lets_the_request_through(client, world, settings, caplog):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "booking_create": "1/m/user"}
    client.force_login(world.leader_a)
    event = f.EventFactory(network=world.network)
    with (
        mock.patch("network.base.ratelimit.cache.add", side_effect=ConnectionError("cache down")),
        caplog.at_level(logging.WARNING, logger="network.base.ratelimit"),
    ):
        assert client.post(reverse("events:event_book", args=[event.pk])).status_code == 302
    assert Booking.objects.filter(person=world.person_a, event=event).exists()
    assert any("not counted" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_answering_a_survey_by_link_is_limited_per_link(client, world, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "survey_answer": "2/m/key"}
    survey = f.SurveyFactory(network=world.network)
    url = reverse("impact:answer_by_link", args=[f.invitation(survey, world.person_a).token])
    statuses = [client.post(url, {}).status_code for _ in range(3)]
    assert 429 not in statuses[:2]
    assert statuses[2] == 429
    assert client.get(url).status_code != 429  # reading the survey is not limited
