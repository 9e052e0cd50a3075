"""`{% academy_rows academies show_trust %}`: the rows of the academies table
(templates/trusts/includes/academy_table.html), written in Python, from academies or
from the table's own rows (`trusts.selectors.table_rows`: named tuples, no models).

The table is on the academy list (25 rows), a trust's page and the executive's home (all
the trust's academies); through the template engine its eight cells a row cost about
15 µs each, more than the page's queries (speed, issue 14). The markup is the
template's, character for character: tests/trusts/test_academy_rows.py renders the old
rows and compares. Numbers read exactly as Django's `intcomma` and `floatformat` wrote
them ("1,234"; "21.5"; `network.base.numbers`, separators read once a table); an
unknown pupil count is a dash (the template wrote "None")."""

from django import template
from django.utils.safestring import SafeString

from network.base.numbers import Numbers
from network.base.web import url_for_each
from network.base.widgets import quick_escape as escaped
from trusts.models import CommunityType, SupportTier

register = template.Library()

COMMUNITY = dict(CommunityType.choices)  # `get_..._display` builds these on every call
TIERS = dict(SupportTier.choices)
CLOSED = ' <span class="badge text-bg-secondary">Closed</span>'
CELL = "\n      "


@register.simple_tag
def academy_rows(academies, show_trust=False) -> SafeString:
    """Every row of the table, each link reversed once a table (`url_for_each`)."""
    detail, numbers = url_for_each("trusts:academy_detail"), Numbers()
    return SafeString("".join(_row(academy, detail(academy.urn), show_trust, numbers) for academy in academies))


def _shown(value) -> str:
    """`{{ value|default:"–" }}`, escaped."""
    return escaped(value) if value else "–"


def _trust(academy):
    """The trust's name from a table row (`trusts.selectors.table_rows`), or an
    academy's trust (the executive's home lists its trust's academies as models)."""
    return academy.trust__name if isinstance(academy, tuple) else academy.trust


def _row(academy, url: str, show_trust: bool, numbers: Numbers) -> str:
    # Not `intcomma` of None: it writes "None" (the template's `|intcomma|default` did).
    pupils = numbers.intcomma(academy.pupils_on_roll) if academy.pupils_on_roll is not None else ""
    fsm = numbers.fixed(academy.percent_fsm, 1) if academy.percent_fsm is not None else "–"
    cells = [
        f'<td class="stack-title"><a href="{escaped(url)}">{escaped(academy.name)}</a>'
        f"{'' if academy.is_open else CLOSED}</td>",
        f'<td class="stack-inline" data-label="URN">{escaped(academy.urn)}</td>',
        f'<td data-label="Trust">{_shown(_trust(academy))}</td>' if show_trust else "",
        f'<td class="stack-inline" data-label="Region">{_shown(academy.region)}</td>',
        f'<td class="stack-inline" data-label="Community">'
        f"{_shown(COMMUNITY.get(academy.community_type, academy.community_type))}</td>",
        f'<td class="text-end stack-inline" data-label="Pupils">{_shown(pupils)}</td>',
        f'<td class="text-end stack-inline" data-label="% FSM">{fsm}</td>',
        f'<td class="stack-inline" data-label="Support tier">{_shown(TIERS.get(academy.support_tier, academy.support_tier))}</td>',
    ]
    return f"    <tr>{CELL}{CELL.join(cells)}\n    </tr>\n"
