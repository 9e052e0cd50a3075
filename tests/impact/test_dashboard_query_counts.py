"""Each dashboard and the report cost a fixed number of queries, whatever the size of
the network: 1 trust or 10, and ten times the bookings."""

import pytest
from django.urls import reverse

from events.models import Attendance
from tests import factories as f
from tests.conftest import count_queries
from tests.impact import dashboard_helpers as dh

pytestmark = pytest.mark.django_db


def pages(network, trust, hub):
    return [
        reverse("impact:trust_dashboard", args=[trust.pk]),
        reverse("impact:trust_dashboard", args=[trust.pk]) + f"?hub={hub.pk}&kind=academic",
        reverse("impact:trust_dashboard", args=[trust.pk]) + "?download=academies",
        reverse("impact:network_dashboard", args=[network.slug]),
        reverse("impact:report", args=[network.slug]),
        reverse("impact:report_download", args=[network.slug, "json"]),
        reverse("impact:objectives", args=[network.slug]),
    ]


def ten_times_the_bookings(network, trust, events):
    people = list(f.PersonFactory._meta.model.objects.filter(academy__trust=trust))
    more = dh.webinars(network, 9 * len(events))
    for person in people:
        for event in more:
            booking = f.BookingFactory(event=event, person=person)
            Attendance.objects.create(booking=booking, attended=True, source="register")


def test_query_counts_do_not_grow_with_trusts_or_bookings(client):
    network = f.NetworkFactory()
    hub = f.HubFactory(network=network)
    events = dh.webinars(network, 2)
    trust = dh.grow_trust(network, people=3, events=events, hub=hub)
    coordinator = f.coordinator()
    executive = f.trust_executive(trust)

    def counts():
        result = {}
        for user in (coordinator, executive):
            client.force_login(user)
            # A user's first page also asks for their second step and the menu's rules
            # (then kept in the shared cache and the session): count the pages after it.
            client.get(reverse("network:home"))
            for url in pages(network, trust, hub):
                if user is executive and "trusts" not in url:
                    continue
                result[(user.email, url)] = count_queries(client, url)
        return result

    one_trust = counts()
    dh.grow_network(network, trusts=9, people=3, events=events, hub=hub)
    ten_trusts = counts()
    assert ten_trusts == one_trust
    ten_times_the_bookings(network, trust, events)
    assert counts() == one_trust
