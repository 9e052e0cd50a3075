"""The event list's rows (templates/events/event_list.html), written in Python.

The template engine spent about 15 µs a cell resolving variables, filters and an
include for the status badge: 20 rows of seven cells were a third of the page's CPU,
as much as its queries (speed, issue 14). Written here, a row costs a few µs. The
markup is the template's, character for character (tests/events/test_event_rows.py
compares them for every kind of row). One row:

    <tr>
      <td class="stack-small">Tue 08/12/2026 16:00</td>
      <td class="stack-title"><a href="/events/24/">Practical physics</a><br><span class="small text-body-secondary">North hub</span> <span class="badge text-bg-light">Needs approval</span></td>
      <td class="stack-inline">Webinar</td>
      <td class="stack-inline">Online</td>
      <td class="text-sm-end stack-inline" data-label="CPD hours">1.5</td>
      <td class="text-sm-end stack-inline" data-label="Places left">12 (none for your trust)</td>
      <td class="stack-inline" data-label="My booking"><span class="badge text-bg-success">Confirmed</span></td>
    </tr>

- "(none for your trust)" when the event caps places per trust and the reader's trust
  has taken them all; "Full – waitlist" when no place is left;
- the last cell only for a reader with a person record (who can book): their live
  booking's badge, or a dash hidden on small screens."""

from django.utils.safestring import SafeString

from events.exporters import format_hours
from events.models import Event
from events.templatetags.badges import BADGES
from network.base.numbers import Numbers
from network.base.web import url_for_each
from network.base.widgets import quick_escape as escaped
from network.templatetags.quick import local_date

KINDS = dict(Event.Kind.choices)  # `get_kind_display` builds this dict on every call
WHEN = "D d/m/Y H:i"
CELL = "\n      "


def with_rows(user, events: list) -> list:
    """`events` (a page of the list, with `add_booking_figures`'s figures) each with
    its `row`. The detail link is reversed once a page, not once a row."""
    detail, numbers = url_for_each("events:event_detail"), Numbers()
    mine = bool(user.person_id)
    for event in events:
        event.row = _row(event, detail(event.pk), mine, numbers)
    return events


def _row(event, url: str, mine: bool, numbers: Numbers) -> SafeString:
    title = f'<a href="{escaped(url)}">{escaped(event.title)}</a>'
    if event.hub_id is not None:
        title += f'<br><span class="small text-body-secondary">{escaped(event.hub.name)}</span>'
    if event.needs_approval:
        title += ' <span class="badge text-bg-light">Needs approval</span>'
    where = "Online" if event.is_online else escaped(event.venue or "To be confirmed")
    if event.places_left:
        places = numbers.number(event.places_left)
        cap, taken = event.per_trust_cap, event.my_trust_taken
        if cap is not None and taken is not None and taken >= cap:
            places += " (none for your trust)"
    else:
        places = '<span class="badge text-bg-warning">Full – waitlist</span>'
    cells = [
        f'<td class="stack-small">{local_date(event.starts_at, WHEN)}</td>',
        f'<td class="stack-title">{title}</td>',
        f'<td class="stack-inline">{escaped(KINDS.get(event.kind, event.kind))}</td>',
        f'<td class="stack-inline">{where}</td>',
        f'<td class="text-sm-end stack-inline" data-label="CPD hours">{format_hours(event.cpd_hours or 0)}</td>',
        f'<td class="text-sm-end stack-inline" data-label="Places left">{places}</td>',
    ]
    if not mine:
        cells.append("")  # the template's empty line where the cell would be
    elif event.my_status:
        cells.append(f'<td class="stack-inline" data-label="My booking">{BADGES.get(event.my_status, "")}</td>')
    else:
        cells.append('<td class="d-none d-sm-table-cell">–</td>')
    return SafeString(f"<tr>{CELL}{CELL.join(cells)}\n    </tr>")
