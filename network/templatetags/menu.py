"""The main menu, `{% main_menu %}`: the links a user may open, by role, the current page
marked (`active`, `aria-current="page"`).

The menu is declared here as data (`MENU`): its groups and links and the rule each one
needs. The rules themselves stay in the rooms' rules modules (`network.base.rules`); the
menu only names them, and asks them through `may.menu_answers` (the answers kept in the
session for a few minutes). It never compares roles itself.

Why data and not a template (speed, issue 14): the template asked about twenty-five rules
and wrote twenty-seven links through as many tags, on every page: about a millisecond,
a third of the cost of a bare signed-in request. The menu's markup depends only on which
rules answered yes and on whether the current page is one of its links, so it is written
once per such combination and process, and then only looked up."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from network.base.memo import Bounded
from network.templatetags.may import menu_answers

register = template.Library()


@dataclass(frozen=True)
class Link:
    """A link shown when any of `when` answers yes (always, if empty) and `unless` does not."""

    name: str
    label: str
    when: tuple[str, ...] = ()
    unless: str = ""


@dataclass(frozen=True)
class Group:
    """A dropdown of links, shown when any of `when` answers yes."""

    label: str
    when: tuple[str, ...]
    links: tuple[Link, ...]


MENU = (
    Link("network:home", "Home"),
    Group("Network", ("network.open_network_pages",), (
        Link("trusts:trust_list", "Trusts"),
        Link("trusts:academy_list", "Academies"),
        Link("network:directory", "Expertise directory"),
        Link("network:membership_list", "Membership", ("network.open_membership_pages",)),
    )),
    Group("CPD", ("events.browse_events",), (
        Link("events:event_list", "CPD events"),
        Link("events:my_bookings", "My bookings", ("events.keep_cpd_record",)),
        Link("events:my_cpd", "My CPD record", ("events.keep_cpd_record",)),
    )),
    Link("network:steering_referrals", "Referrals", ("network.open_referrals",)),
    Group("Manage", ("network.run_membership_year",), (
        Link("network:membership_reviews", "Annual review"),
        Link("network:membership_growth", "Membership growth"),
        Link("network:membership_invite", "Invite academies"),
        Link("network:invitation_create", "Invite someone", ("network.invite_people",)),
        Link("admin:index", "Admin", ("network.open_admin",)),
    )),
    # Impact: surveys and the evidence log (issue 11).
    Group("Impact", ("impact.open_survey_results", "impact.answer_surveys", "impact.open_evidence"), (
        Link("impact:survey_list", "Surveys and results", ("impact.open_survey_results",)),
        Link("impact:my_surveys", "My surveys", ("impact.answer_surveys",)),
        Link("impact:evidence_log", "Evidence of impact", ("impact.open_evidence",)),
    )),
    # The network programme: grants, roles, hubs, connections, the radar (issue 13).
    Group("Programme", ("network.open_grants", "network.open_hubs", "network.open_connections"), (
        Link("network:grant_rounds", "Innovation grants", ("network.open_grants",)),
        Link("network:grant_outcomes", "Outcomes library", ("network.read_outcomes_library",)),
        Link("network:grant_reviews", "My grant reviews"),
        Link("network:hub_list", "Hubs and clusters", ("network.open_hubs",)),
        Link("network:role_list", "Network roles", ("network.open_roles",)),
        Link("network:succession_risks", "Succession risks", ("network.see_succession_risks",)),
        Link("network:my_connections", "My connections", ("network.open_connections",)),
        Link("network:contribution_ledger", "Contribution ledger", ("network.open_contribution_ledger",)),
        Link("network:radar_list", "The radar", ("network.read_radar",)),
    )),
    Group("Visits", ("events.see_visits",), (
        Link("events:visit_list", "My visits"),
        Link("events:visit_request", "Request a visit", ("events.request_visit",)),
        Link("events:visit_queue", "Visit requests", ("events.broker_visits",)),
        Link("events:visit_coverage", "Visit coverage", ("events.broker_visits",)),
    )),
    # Impact: dashboards, KPIs, the six-lens review and the report (issue 12).
    Link("impact:dashboard", "Dashboard", ("impact.open_trust_dashboard",)),
    Link("impact:lens_review_home", "Six-lens review", ("impact.read_lens_reviews",), unless="impact.open_trust_dashboard"),
)  # fmt: skip


def _rules() -> tuple[str, ...]:
    """Every rule the menu asks, in a fixed order (the key of a written menu)."""
    found = []
    for entry in MENU:
        for link in (entry, *getattr(entry, "links", ())):
            for perm in (*link.when, *([link.unless] if getattr(link, "unless", "") else [])):
                if perm not in found:
                    found.append(perm)
    return tuple(found)


MENU_RULES = _rules()

# The menu's links take no arguments: one reversal per URL configuration and script
# prefix, not one per link per page.
_hrefs: dict[tuple, str] = {}


def _href(name: str) -> str:
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name)
    href = _hrefs.get(key)
    if href is None:
        href = _hrefs[key] = reverse(name)
    return href


# (in a dropdown, the current page) -> the link's markup around its href and label.
_LINKS = {
    (in_menu, current): '<li{}><a class="{}{}"{} href="{{}}">{{}}</a></li>\n'.format(
        "" if in_menu else ' class="nav-item"',
        "dropdown-item" if in_menu else "nav-link",
        " active" if current else "",
        ' aria-current="page"' if current else "",
    )
    for in_menu in (False, True)
    for current in (False, True)
}


def _shown(link: Link | Group, may: dict[str, bool]) -> bool:
    if getattr(link, "unless", "") and may[link.unless]:
        return False
    return not link.when or any(may[perm] for perm in link.when)


def _link(link: Link, current_path: str, in_menu: bool) -> str:
    href = _href(link.name)
    return _LINKS[in_menu, current_path == href].format(escape(href), escape(link.label))


# Bootstrap dropdowns: keyboard-operable buttons, not links.
_GROUP = (
    '<li class="nav-item dropdown">\n'
    '  <button class="nav-link dropdown-toggle btn btn-link" type="button" data-bs-toggle="dropdown" '
    'aria-expanded="false">{}</button>\n'
    '  <ul class="dropdown-menu">\n{}  </ul>\n</li>\n'
)


def write_menu(may: dict[str, bool], current_path: str) -> str:
    """The menu's markup for these answers, with the link to `current_path` marked."""
    parts = []
    for entry in MENU:
        if not _shown(entry, may):
            continue
        if isinstance(entry, Group):
            links = "".join(_link(link, current_path, True) for link in entry.links if _shown(link, may))
            parts.append(_GROUP.format(escape(entry.label), links))
        else:
            parts.append(_link(entry, current_path, False))
    return "".join(parts)


# (URL configuration, script prefix, answers, the current page if it is in the menu) ->
# markup. A few dozen combinations of answers in practice, times the menu's ~30 links.
_written = Bounded(2048)


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    request, user = context["request"], context["user"]
    answers = menu_answers(request, user, MENU_RULES)
    may = dict(zip(MENU_RULES, answers, strict=True))
    urlconf, prefix, path = get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), request.path
    in_menu = path in _menu_hrefs(urlconf, prefix)
    key = (urlconf, prefix, answers, path if in_menu else None)
    html = _written.keep(key, lambda: write_menu(may, path if in_menu else ""))
    return mark_safe(html)  # noqa: S308 - written from escaped hrefs and labels above


_MENU_NAMES = tuple(link.name for entry in MENU for link in (getattr(entry, "links", None) or (entry,)))
_hrefs_of_menu: dict[tuple, frozenset] = {}


def _menu_hrefs(urlconf: str, prefix: str) -> frozenset:
    hrefs = _hrefs_of_menu.get((urlconf, prefix))
    if hrefs is None:
        hrefs = _hrefs_of_menu[urlconf, prefix] = frozenset(_href(name) for name in _MENU_NAMES)
    return hrefs
