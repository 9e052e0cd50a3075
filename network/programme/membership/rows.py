"""The membership list's rows (templates/network/membership/list.html) and a
membership's status badge, written in Python.

A page is 25 rows, each with an include for its status badge: through the template
engine the rows were about a third of the page's CPU (speed, issue 14). The markup is
the template's, character for character (tests/network/test_membership_rows.py
compares them). The badge is green for an active membership, blue while it is being
decided (invited, applied, under review), grey otherwise, with "At risk" beside it when
the eligibility review flagged it; the other pages that show a membership's status ask
`{% membership_status %}` (network/templatetags/membership_tags.py) for the
same badge."""

from django.utils.safestring import SafeString

from network.base.web import url_for_each
from network.base.widgets import quick_escape as escaped
from network.programme.membership.models import Membership

_STATUS = Membership.Status
LABELS = dict(_STATUS.choices)  # `get_status_display` builds this dict on every call
TONES = {
    _STATUS.ACTIVE: "text-bg-success",
    _STATUS.INVITED: "text-bg-info",
    _STATUS.APPLIED: "text-bg-info",
    _STATUS.UNDER_REVIEW: "text-bg-info",
}
AT_RISK = ' <span class="badge text-bg-warning">At risk</span>'
CELL = "\n    "


def status_badge(membership) -> SafeString:
    label = LABELS.get(membership.status, membership.status)
    tone = TONES.get(membership.status, "text-bg-secondary")
    badge = f'<span class="badge {tone}">{escaped(label)}</span>'
    return SafeString(badge + AT_RISK if membership.at_risk else badge)


def reasons_list(reasons) -> SafeString:
    """An assessment's or proposal's reasons as a small list ("No reasons recorded."
    when there are none): what `includes/reasons.html` wrote, without an include per
    row of the review table (25 rows a page)."""
    items = "".join(f"<li>{escaped(reason)}</li>" for reason in reasons or ()) or "<li>No reasons recorded.</li>"
    return SafeString(f'<ul class="mb-0 small">{items}</ul>')


def with_rows(memberships: list) -> list:
    """Each membership of a page of the list (with its year, network, academy, trust
    and `academy_in_scope`) with its `row`; the academy links to its membership page
    only where the reader may open it."""
    academy_page = url_for_each("network:membership_academy")
    for membership in memberships:
        membership.row = _row(membership, academy_page)
    return memberships


def _row(membership, academy_page) -> SafeString:
    academy = membership.academy
    name = escaped(academy.name)
    if membership.academy_in_scope:
        name = f'<a href="{escaped(academy_page(academy.urn))}">{name}</a>'
    trust = membership.trust.name if membership.trust_id else ""
    cells = (
        f'<td class="text-nowrap stack-inline" data-label="Year">{escaped(membership.year.label)}</td>',
        f'<td class="stack-inline" data-label="Network">{escaped(membership.year.network.name)}</td>',
        f'<th scope="row">{name}</th>',
        f'<td class="stack-inline" data-label="URN">{escaped(academy.urn)}</td>',
        f'<td data-label="Trust at the time">{escaped(trust or "–")}</td>',
        f'<td data-label="Status">{status_badge(membership)}</td>',
    )
    return SafeString(f"<tr>{CELL}{CELL.join(cells)}\n  </tr>")
