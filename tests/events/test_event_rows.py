"""The event list's rows are written in Python (events/event_rows.py). They must be the
markup the template wrote, character for character: the template's row, kept here as
the reference, is rendered for every kind of row and compared."""

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from events import event_rows
from events.models import Booking, Event
from events.templatetags.badges import BADGES
from network.programme.models import Hub
from tests import factories as f

# templates/events/event_list.html's row before it moved to Python (the status badge's
# include then, its tag now: tests/events/test_badges.py holds the two equal).
REFERENCE = engines["django"].from_string(
    """{% load events_tags badges %}{% for e in events %}    <tr>
      <td class="stack-small">{{ e.starts_at|date:"D d/m/Y H:i" }}</td>
      <td class="stack-title"><a href="{% url 'events:event_detail' e.pk %}">{{ e.title }}</a>{% if e.hub %}<br><span class="small text-body-secondary">{{ e.hub.name }}</span>{% endif %}{% if e.needs_approval %} <span class="badge text-bg-light">Needs approval</span>{% endif %}</td>
      <td class="stack-inline">{{ e.get_kind_display }}</td>
      <td class="stack-inline">{% if e.is_online %}Online{% else %}{{ e.venue|default:"To be confirmed" }}{% endif %}</td>
      <td class="text-sm-end stack-inline" data-label="CPD hours">{{ e.cpd_hours|hours }}</td>
      <td class="text-sm-end stack-inline" data-label="Places left">{% if e.places_left %}{{ e.places_left }}{% if e.per_trust_cap is not None and e.my_trust_taken is not None and e.my_trust_taken >= e.per_trust_cap %} (none for your trust){% endif %}{% else %}<span class="badge text-bg-warning">Full – waitlist</span>{% endif %}</td>
      {% if user.person_id %}{% if e.my_status %}<td class="stack-inline" data-label="My booking">{% status_badge e.my_status %}</td>{% else %}<td class="d-none d-sm-table-cell">–</td>{% endif %}{% endif %}
    </tr>
{% endfor %}"""
)  # fmt: skip


def _events(hub) -> list[Event]:
    """Unsaved events, one for each combination that changes a row."""
    london_summer = timezone.make_aware(datetime.datetime(2026, 7, 1, 9, 5))
    london_winter = timezone.make_aware(datetime.datetime(2026, 12, 24, 18, 30))
    events = []
    combos = itertools.product(
        (None, hub),  # hub
        (True, False),  # needs approval
        ((True, ""), (False, ""), (False, "Brookcroft & <Hall>")),  # online, venue
        ((0, None, None), (12, None, None), (12, 2, 2), (12, 2, 1), (12, 2, None), (1234, None, None)),
        (None, *Booking.Status.values),  # my status
    )
    for n, (hub_, approval, (online, venue), (left, cap, taken), status) in enumerate(combos):
        event = Event(
            pk=n + 1, title=f"Practical <physics> & {n}", kind=Event.Kind.values[n % len(Event.Kind.values)],
            hub=hub_, needs_approval=approval, is_online=online, venue=venue, per_trust_cap=cap,
            starts_at=london_summer if n % 2 else london_winter, cpd_hours=(1.5, 2, 0.75, None)[n % 4],
        )  # fmt: skip
        event.places_left, event.my_trust_taken, event.my_status = left, taken, status
        events.append(event)
    return events


@pytest.mark.parametrize("person_id", [None, 7])
def test_the_rows_are_the_templates(person_id):
    events = _events(Hub(pk=1, name="North & <West> hub"))
    user = SimpleNamespace(person_id=person_id)
    expected = REFERENCE.render({"events": events, "user": user})
    written = "".join(f"    {event.row}\n" for event in event_rows.with_rows(user, events))
    assert written == expected


def test_every_booking_status_has_a_badge():
    assert set(BADGES) == set(Booking.Status.values)


@pytest.mark.django_db
def test_the_event_list_shows_the_rows(client, world):
    event = f.EventFactory(network=world.network, title="Forces & <motion>", capacity=1)
    f.BookingFactory(event=event, person=world.person_a, status=Booking.Status.CONFIRMED)
    client.force_login(world.leader_a)
    html = client.get(reverse("events:event_list")).content.decode()
    row = html[html.index(f'href="{reverse("events:event_detail", args=[event.pk])}"') :].split("</tr>")[0]
    assert "Forces &amp; &lt;motion&gt;" in row
    assert "Full – waitlist" in row  # its one place is taken
    assert '<span class="badge text-bg-success">Confirmed</span>' in row
