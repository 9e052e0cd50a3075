"""`{% status_badge %}` (events/templatetags/badges.py) writes what the status badge's
include wrote, for every status, and nothing for anything else."""

import pytest
from django.template import engines

from events.models import Booking

# templates/events/includes/status_badge.html before it became a tag.
REFERENCE = engines["django"].from_string(
    '{% if status == "confirmed" %}<span class="badge text-bg-success">Confirmed</span>{% elif status == "waitlisted" %}<span class="badge text-bg-warning">On the waitlist</span>{% elif status == "offered" %}<span class="badge text-bg-info">Place offered – please confirm</span>{% elif status == "pending_approval" %}<span class="badge text-bg-secondary">Awaiting approval</span>{% elif status == "cancelled" %}<span class="badge text-bg-light">Cancelled</span>{% elif status == "declined" %}<span class="badge text-bg-light">Not approved</span>{% endif %}'
)  # fmt: skip
TAG = engines["django"].from_string("{% load badges %}{% status_badge status %}")


@pytest.mark.parametrize("status", [*Booking.Status.values, *Booking.Status, "", None, "attended"])
def test_the_tag_writes_the_includes_badge(status):
    assert TAG.render({"status": status}) == REFERENCE.render({"status": status})
