"""The demo's visits (network/demo/visits.py): around today, in every stage, with the
visitor login's assigned visits, a moderation visit, an extra visit on the invoice
lines and overdue actions; a second run adds none (the same-network and run-twice
checks of tests/network/test_seed_demo.py include visits)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.visits.coverage import current_year, visit_figures
from events.visits.models import Visit, VisitAction
from network.base.models import User
from network.programme.models import Network

pytestmark = pytest.mark.django_db


def test_seed_demo_brings_visits_to_life(client):
    call_command("seed_demo", stdout=StringIO())
    network = Network.objects.get()
    statuses = set(Visit.objects.values_list("status", flat=True))
    assert {"requested", "scheduled", "completed", "report_submitted", "report_agreed", "closed"} <= statuses
    assert len(Visit.objects.get(kind__code="moderation").report.strands) == 6  # every Framework strand rated
    extra = Visit.objects.get(kind__code="extra")
    assert extra.invoice_line.net_amount == 300
    today = timezone.localdate()
    assert VisitAction.objects.exclude(status="closed").filter(due_on__lt=today).exists()  # some overdue
    visitor = User.objects.get(email="visitor@demo.network")
    assert Visit.objects.filter(assignments__person=visitor.person, status="scheduled").count() >= 1
    client.force_login(visitor)
    assert "Visits assigned to you" in client.get(reverse("network:home")).content.decode()
    year = current_year(network)
    figures = visit_figures(network=network, starts_on=year.starts_on, ends_on=year.ends_on)
    assert figures["completed"] >= 30 and figures["trusts_visited"] >= 5

    before = Visit.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Visit.objects.count() == before
