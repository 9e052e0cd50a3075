"""The admin's history pages (django-simple-history: the audit trail of academies,
events and bookings) under the strict Content Security Policy: no inline style is
refused, so the browser reports nothing (the `page` fixture fails on any CSP report)."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def test_history_pages_raise_no_csp_violation(page, world):
    academy = world.academy_a
    academy.name = "Academy A (renamed)"
    academy._history_user = world.coordinator
    academy.save()
    record = academy.history.latest()
    event = f.EventFactory(network=world.network)
    sign_in(page, world.coordinator)
    for url in (
        reverse("admin:trusts_academy_history", args=[academy.pk]),
        reverse("admin:trusts_academy_simple_history", args=[academy.pk, record.pk]),
        reverse("admin:events_event_history", args=[event.pk]),
    ):
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("#content").is_visible()
