"""The leader's past bookings and CPD record rows are written in Python
(events/booking_rows.py). They must be the markup the templates wrote, character for
character: the templates' rows, kept here as the reference, are rendered for every kind
of row and compared."""

import datetime
import itertools

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from events import booking_rows
from events.models import Attendance, Booking, Event, Session
from network.base.models import User
from tests import factories as f
from trusts.models import Academy, Person, Trust

DJANGO = engines["django"]
# templates/events/my_bookings.html's past row before it moved to Python.
PAST = DJANGO.from_string(
    """{% load events_tags badges %}{% for b in rows %}  {% with a=b.attendance %}
  <tr>
    <td data-label="Date">{{ b.event.starts_at|date:"d/m/Y" }}</td>
    <td class="stack-title"><a href="{% url 'events:event_detail' b.event_id %}">{{ b.event.title }}</a></td>
    <td class="stack-inline" data-label="Attendance">{% if b.status == "confirmed" and a %}{% if a.attended %}<span class="badge text-bg-success">Attended</span>{% else %}<span class="badge text-bg-secondary">Absent</span>{% endif %}{% elif b.status == "confirmed" %}<span class="badge text-bg-light border">Not recorded yet</span>{% else %}{% status_badge b.status %}{% endif %}</td>
    <td class="text-end stack-inline" data-label="CPD hours">{% if b.status != "confirmed" or a and not a.attended %}–{% else %}{{ b.event.cpd_hours|hours }}{% endif %}</td>
  </tr>
  {% endwith %}
{% endfor %}"""
)  # fmt: skip
# templates/events/attendance/cpd_record.html's row before it moved to Python.
CPD = DJANGO.from_string(
    """{% load events_tags %}{% for a in rows %}  <tr>
    <td data-label="Date">{{ a.booking.event.starts_at|date:"d/m/Y" }}</td>
    <td class="stack-title">{{ a.booking.event.title }}{% if a.booking.session %}<br><span class="small">{{ a.booking.session.title }}</span>{% endif %}</td>
    <td class="stack-inline" data-label="Kind">{{ a.booking.event.get_kind_display }}</td>
    <td class="text-end stack-inline" data-label="CPD hours">{{ a.booking.event.cpd_hours|hours }}</td>
    <td data-label="Certificate"><a href="{% url 'events:certificate_download' a.booking_id %}">Download (PDF)<span class="visually-hidden"> for {{ a.booking.event.title }}</span></a></td>
  </tr>
{% endfor %}"""
)  # fmt: skip
# templates/events/event_detail.html's "Who is booked" row before it moved to Python.
BOOKED = DJANGO.from_string(
    """{% load badges %}{% for b in rows %}  <tr>
    <td data-label="Person">{{ b.person.full_name }}<br><span class="small text-break">{{ b.person.email }}</span></td>
    <td data-label="Academy or trust">{% if b.academy_at_booking %}{{ b.academy_at_booking.name }}{% endif %}{% if b.trust_at_booking %}<br><span class="small">{{ b.trust_at_booking.name }}</span>{% endif %}</td>
    <td data-label="Status">{% status_badge b.status %}</td>
    {% if page.sessions %}<td data-label="Session">{{ b.session.title|default:"–" }}</td>{% endif %}
    <td data-label="Booked">{{ b.created_at|date:"d/m/Y H:i" }}{% if b.booked_by and b.booked_by.person_id != b.person_id %}<br><span class="small">by {{ b.booked_by }}</span>{% endif %}</td>
  </tr>
{% endfor %}"""
)  # fmt: skip

# Late evening in summer: the UK date is the next day's in UTC terms, or the day before.
MOMENTS = (
    timezone.make_aware(datetime.datetime(2026, 6, 30, 23, 30)),
    datetime.datetime(2026, 1, 15, 23, 59, tzinfo=datetime.UTC),
    datetime.datetime(2026, 7, 15, 23, 30, tzinfo=datetime.UTC),
)


def _event(n: int) -> Event:
    return Event(
        pk=n + 1, title=f"Titration & <safety> {n}", kind=Event.Kind.values[n % len(Event.Kind.values)],
        starts_at=MOMENTS[n % len(MOMENTS)], cpd_hours=(1.5, 2, 0.75, None)[n % 4],
    )  # fmt: skip


def _rendered(rows) -> str:
    return "".join(f"  {row.row}\n" for row in rows)


def test_past_booking_rows_are_the_templates():
    bookings = []
    for n, (status, attended) in enumerate(itertools.product(Booking.Status.values, (None, True, False))):
        booking = Booking(pk=n + 1, status=status, event=_event(n))
        if attended is None:
            booking._state.fields_cache["attendance"] = None  # as select_related leaves a booking with none
        else:
            booking.attendance = Attendance(pk=n + 1, booking=booking, attended=attended)
        bookings.append(booking)
    expected = PAST.render({"rows": bookings})
    written = "".join(f"  {b.row}\n  \n" for b in booking_rows.with_past_rows(bookings))
    # The template's `{% with %}` lines leave their indentation: compare without it.
    assert written.replace("  \n", "") == expected.replace("  \n", "")
    assert written.count("<tr>") == len(bookings) == expected.count("<tr>")


def test_cpd_rows_are_the_templates():
    attendances = []
    for n, session in enumerate((None, "Workshop B & <C>", None, "Plenary")):
        event = _event(n)
        booking = Booking(pk=n + 10, event=event)
        if session:
            booking.session = Session(pk=n + 1, title=session, event=event)
        attendances.append(Attendance(pk=n + 1, booking=booking, attended=True))
    assert _rendered(booking_rows.with_cpd_rows(attendances)) == CPD.render({"rows": attendances})


@pytest.mark.django_db
def test_the_pages_show_the_rows(client, world):
    event = f.EventFactory(
        network=world.network, title="Forces & <motion>", starts_at=timezone.now() - datetime.timedelta(days=3)
    )
    booking = f.BookingFactory(event=event, person=world.person_a, status=Booking.Status.CONFIRMED)
    Attendance.objects.create(booking=booking, attended=True)
    client.force_login(world.leader_a)
    past = client.get(reverse("events:my_bookings")).content.decode()
    assert "Forces &amp; &lt;motion&gt;" in past and '<span class="badge text-bg-success">Attended</span>' in past
    record = client.get(reverse("events:my_cpd")).content.decode()
    assert reverse("events:certificate_download", args=[booking.pk]) in record
    assert 'Download (PDF)<span class="visually-hidden"> for Forces &amp; &lt;motion&gt;</span>' in record


@pytest.mark.parametrize("sessions", [False, True])
def test_who_is_booked_rows_are_the_templates(sessions):
    event = _event(0)
    trust, academy = Trust(pk=1, name="Pennine & <Co>"), Academy(pk=1, name="Brook <High>")
    booker_with_name = User(pk=1, full_name="Coordinator <Kim>", email="kim@portal.example", person_id=99)
    booker_by_email = User(pk=2, full_name="", email="o'neil@portal.example", person_id=None)
    bookings = []
    combos = itertools.product(
        Booking.LIVE,
        (None, academy),
        (None, trust),
        (None, "Breakout & <A>"),
        (None, booker_with_name, booker_by_email, "self"),
    )
    for n, (status, academy_, trust_, session, booker) in enumerate(combos):
        person = Person(pk=n + 1, first_name="Ann", last_name=f"O'Neil <{n}>", email=f"ann{n}@school.example")
        booking = Booking(
            pk=n + 1, status=status, event=event, person=person, academy_at_booking=academy_, trust_at_booking=trust_,
            created_at=MOMENTS[n % len(MOMENTS)],
        )  # fmt: skip
        booking.session = Session(pk=n + 1, title=session, event=event) if session else None
        booking.booked_by = (
            User(pk=50 + n, full_name="Self", email="s@x.example", person_id=person.pk) if booker == "self" else booker
        )
        bookings.append(booking)
    expected = BOOKED.render({"rows": bookings, "page": {"sessions": ["one"] if sessions else []}})
    assert _rendered(booking_rows.booked_rows(bookings, sessions=sessions)) == expected


# templates/events/includes/booking_actions.html, the buttons of My bookings' rows and
# the event page before they moved to Python (booking_rows.Actions).
ACTIONS = DJANGO.from_string(
    """{% comment %}Cancel / confirm-offer buttons for one booking. `next` is where to come back to;
`for_other` when the user manages someone else's booking (no calendar file: it is theirs).{% endcomment %}
{% if booking.status == "offered" %}
<form method="post" action="{% url 'events:booking_confirm' booking.pk %}" class="d-inline" data-submit-once>{% csrf_token %}
  <input type="hidden" name="next" value="{{ next }}">
  <button class="btn btn-sm btn-primary" type="submit">{% if for_other %}Confirm the place<span class="visually-hidden"> for {{ booking.person.full_name }}</span>{% else %}Confirm my place{% endif %}</button>
</form>
{% endif %}
{% if booking.status == "confirmed" and not booking.event.is_cancelled and not booking.event.has_started and not for_other %}<a class="btn btn-sm btn-outline-secondary" href="{% url 'events:booking_ics' booking.pk %}">Add to calendar<span class="visually-hidden">: {{ booking.event.title }}</span></a>{% endif %}
{% if booking.can_cancel %}
{# A link to a page that asks first: cancelling cannot be undone (events.views.booking_cancel). #}
<a class="btn btn-sm btn-outline-danger" href="{% url 'events:booking_cancel' booking.pk %}?next={{ next|urlencode }}">{% if booking.status == "confirmed" %}Cancel booking{% elif booking.status == "offered" %}Decline the place{% elif booking.status == "waitlisted" %}Leave the waitlist{% else %}Withdraw request{% endif %}{% if for_other %}<span class="visually-hidden"> for {{ booking.person.full_name }}</span>{% endif %}</a>
{% elif booking.is_live and not booking.event.has_started %}
<span class="small text-body-secondary">The cancellation cut-off has passed; please contact the coordinator.</span>
{% endif %}
"""
)  # fmt: skip
# templates/events/my_bookings.html's two upcoming rows before they moved to Python; each
# row's buttons are `ACTIONS`, rendered for it (`_with_reference_actions`).
UPCOMING = DJANGO.from_string(
    """{% load badges %}{% for b in rows %}  <tr>
    <td data-label="Date (UK time)">{{ b.event.starts_at|date:"D d/m/Y H:i" }}</td>
    <td data-label="Event"><a href="{% url 'events:event_detail' b.event_id %}">{{ b.event.title }}</a>{% if b.session %}<br><span class="small">{{ b.session.title }}</span>{% endif %}{% if b.booked_by and b.booked_by.person_id != b.person_id %}<br><span class="small text-body-secondary">Booked for you by {{ b.booked_by }}</span>{% endif %}</td>
    <td data-label="Status">{% status_badge b.status %}
      {% if b.status == "waitlisted" and b.waitlist_position %}<br><span class="small">Position {{ b.waitlist_position }} on the waitlist</span>{% endif %}
      {% if b.status == "offered" %}<br><span class="small">Confirm by {{ b.offer_expires_at|date:"d/m/Y H:i" }}</span>{% endif %}
      {% if b.status == "confirmed" and b.event.is_online and b.event.joining_link %}<br><a class="small" href="{{ b.event.joining_link }}" rel="noopener">Joining link</a>{% endif %}
      {% if b.status == "cancelled" or b.status == "declined" %}{% if b.status_reason %}<br><span class="small">{{ b.status_reason }}</span>{% endif %}{% endif %}</td>
    <td data-label="Actions">{{ b.reference_actions }}</td>
  </tr>
{% endfor %}"""
)  # fmt: skip
MADE = DJANGO.from_string(
    """{% load badges %}{% for b in rows %}  <tr>
    <td data-label="Date (UK time)">{{ b.event.starts_at|date:"D d/m/Y H:i" }}</td>
    <td data-label="Person">{{ b.person.full_name }}<br><span class="small">{% if b.person.academy %}{{ b.person.academy.name }}{% elif b.person.trust %}{{ b.person.trust.name }}{% endif %}</span></td>
    <td data-label="Event"><a href="{% url 'events:event_detail' b.event_id %}">{{ b.event.title }}</a>{% if b.session %}<br><span class="small">{{ b.session.title }}</span>{% endif %}</td>
    <td data-label="Status">{% status_badge b.status %}
      {% if b.status == "offered" %}<br><span class="small">Confirm by {{ b.offer_expires_at|date:"d/m/Y H:i" }}</span>{% endif %}
      {% if b.status == "cancelled" or b.status == "declined" %}{% if b.status_reason %}<br><span class="small">{{ b.status_reason }}</span>{% endif %}{% endif %}</td>
    <td data-label="Actions">{{ b.reference_actions }}</td>
  </tr>
{% endfor %}"""
)  # fmt: skip
HERE = "/events/my-bookings/?made_q=a b&x=<1>"  # escaped in a value, quoted in a link
CSRF = "tok&en<1>"


def _upcoming_bookings() -> list:
    """Every status at every moment that changes the buttons (long before the start,
    past the cancellation cut-off, started), with and without a session, a booker, a
    waitlist position, a joining link, a reason, an academy or a trust."""
    now = timezone.now()
    trust, academy = Trust(pk=1, name="Pennine & <Co>"), Academy(pk=1, name="Brook <High>")
    booker = User(pk=1, full_name="Coordinator <Kim>", email="kim@portal.example", person_id=99)
    starts = (now + datetime.timedelta(days=9), now + datetime.timedelta(hours=2), now - datetime.timedelta(hours=1))
    bookings = []
    combos = itertools.product(
        Booking.Status.values, starts, (None, "Breakout & <A>"), (None, booker), (False, True), (None, academy, trust)
    )
    for n, (status, start, session, booked_by, extras, where) in enumerate(combos):
        event = Event(
            pk=n + 1, title=f"Titration & <safety> {n}", starts_at=start, cancel_until_hours=24,
            is_online=extras, joining_link="https://meet.example/a?b=1&c=<2>" if n % 3 else "",
            status=Event.Status.CANCELLED if n % 7 == 0 else Event.Status.SCHEDULED,
        )  # fmt: skip
        person = Person(pk=n + 1, first_name="Ann", last_name=f"O'Neil <{n}>")
        person.academy, person.trust = (where, None) if where is academy else (None, where)
        booking = Booking(
            pk=n + 1, status=status, event=event, person=person, person_id=n + 1,
            status_reason="No places & <no> waitlist" if extras else "",
            offer_expires_at=MOMENTS[n % len(MOMENTS)] if status == Booking.Status.OFFERED else None,
        )  # fmt: skip
        booking.session = Session(pk=n + 1, title=session, event=event) if session else None
        booking.booked_by = booked_by
        booking.waitlist_position = (n % 4) or None
        bookings.append(booking)
    return bookings


@pytest.mark.parametrize("template,for_others", [(UPCOMING, False), (MADE, True)])
def test_my_bookings_upcoming_rows_are_the_templates(template, for_others):
    bookings = _upcoming_bookings()
    actions = booking_rows.Actions(csrf_token=CSRF, next_url=HERE, now=timezone.now())
    written = _rendered(booking_rows.with_upcoming_rows(bookings, actions, for_others=for_others))
    for booking in bookings:
        context = {"booking": booking, "next": HERE, "for_other": for_others, "csrf_token": CSRF}
        booking.reference_actions = mark_safe(ACTIONS.render(context))  # noqa: S308 (the template's own output)
    expected = template.render({"rows": bookings})
    assert written == expected
    # Every kind of button was drawn, so the comparison covered each branch.
    for words in ("Confirm", "Add to calendar", "Cancel booking", "Decline the place", "Leave the waitlist"):
        assert words in written or (words == "Add to calendar" and for_others)
    assert "Withdraw request" in written and "cut-off has passed" in written


@pytest.mark.django_db
def test_the_event_page_shows_its_readers_buttons(client, world):
    """The event page writes its reader's booking's buttons with `Actions`, as My
    bookings does: a confirmed place may be cancelled (back to the event) or added to a
    calendar; an offered one confirmed, with a working CSRF field."""
    event = f.EventFactory(network=world.network, title="Forces & <motion>")
    booking = f.BookingFactory(event=event, person=world.person_a)
    client.force_login(world.leader_a)
    url = reverse("events:event_detail", args=[event.pk])
    page = client.get(url).content.decode()
    cancel = reverse("events:booking_cancel", args=[booking.pk]) + "?next=" + url
    assert cancel in page and "Cancel booking" in page
    assert 'Add to calendar<span class="visually-hidden">: Forces &amp; &lt;motion&gt;</span>' in page
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.OFFERED, offer_expires_at=timezone.now())
    page = client.get(url).content.decode()
    assert reverse("events:booking_confirm", args=[booking.pk]) in page and "Confirm my place" in page
    assert 'name="csrfmiddlewaretoken" value="' in page.split("Confirm my place")[0].rsplit("<form", 1)[1]
