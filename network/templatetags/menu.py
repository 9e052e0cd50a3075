"""`{% nav_link "room:name" "Label" [in_menu=True] %}`: one link of the main menu, the
current page marked (`active`, `aria-current="page"`).

A tag rather than an included template: the menu has up to twenty-five links on every
page, and an include per link (a context push, a `{% url %}`, four lookups of
`request.path`) was a millisecond of each page's time (speed, issue 14). The markup is
the include's, character for character."""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html

register = template.Library()

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


@register.simple_tag(takes_context=True)
def nav_link(context, name: str, label: str, in_menu: bool = False) -> str:
    href = _href(name)
    return format_html(_LINKS[bool(in_menu), context["request"].path == href], href, label)
