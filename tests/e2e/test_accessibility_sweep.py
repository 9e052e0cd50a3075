"""Every page of the portal, as each role sees it, passes axe-core (WCAG 2.2 AA), logs no
console error, and works on a phone.

The pages come from the access matrix (tests/test_access_matrix.py): each URL a role may
open (200) is visited in a real Chromium, signed in through the real form, plus the
pages of the role's own things (tests/e2e/lived_in.py), in a world with rows in its
tables. A new page therefore joins this sweep as soon as it joins the matrix. Downloads
(PDF, CSV, .ics, JSON) are skipped: axe checks HTML.

On each page, at 1280 px: axe-core, a title, `lang`. Then at 390 px (a phone): the page
does not scroll sideways, no part of it scrolls sideways either (a table too wide for
the screen must stack its rows), and every link, button and field is on the screen.
The page fixture fails the test on any console error, CSP violation or missing file.

The coordinator's admin pages are swept too: every changelist passes axe (24×24 px
targets included) and no admin page logs a console error (CSP)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.e2e import lived_in
from tests.e2e.conftest import VIEWPORT, axe, sign_in
from tests.test_access_matrix import MATRIX

pytestmark = pytest.mark.e2e

PUBLIC_PAGES = ["account_login", "account_reset_password"]
PHONE = {"width": 390, "height": 844}

# What a phone must show: run in the page at 390 px; one line per problem.
PHONE_PROBLEMS_JS = """() => {
  const width = window.innerWidth;
  const name = (el) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40);
    return `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''}> "${text}"`;
  };
  const shown = (el) => {
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return style.visibility !== 'hidden' && style.display !== 'none' && (r.width > 1 || r.height > 1);
  };
  const problems = [];
  const page = document.documentElement.scrollWidth;
  if (page > width + 1) problems.push(`the page is ${page}px wide and scrolls sideways`);
  for (const el of document.querySelectorAll('body *')) {
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === 'auto' || overflow === 'scroll') && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
      problems.push(`${name(el)} scrolls sideways: ${el.scrollWidth}px of content in ${el.clientWidth}px`);
  }
  const actions = 'main a[href], main button, main input:not([type=hidden]), main select, main textarea';
  for (const el of document.querySelectorAll(actions)) {
    if (!shown(el) || el.closest('.visually-hidden')) continue;
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > width + 1)
      problems.push(`${name(el)} is off the screen (${Math.round(r.left)} to ${Math.round(r.right)} px)`);
  }
  return problems;
}"""


@pytest.fixture
def own_pages(world):
    return lived_in.fill(world)


def _pages_for(role, world):
    for name, (kwargs_for, expected) in sorted(MATRIX.items()):
        if expected[role] == 200:
            yield name, reverse(name, kwargs=kwargs_for(world))


def check_on_a_phone(page, name) -> list[str]:
    page.set_viewport_size(PHONE)
    try:
        return [f"{name} ({page.url}) at 390 px: {problem}" for problem in page.evaluate(PHONE_PROBLEMS_JS)]
    finally:
        page.set_viewport_size(VIEWPORT)


@pytest.mark.parametrize(
    "role",
    [
        "coordinator",
        "executive_a",
        "leader_a",
        "steering",
        "visitor",
        "anonymous",
    ],
)
def test_every_page_a_role_can_open_passes_axe(page, world, own_pages, role):
    if role != "anonymous":
        sign_in(page, getattr(world, role))
    pages = [*_pages_for(role, world), *own_pages[role]]
    if role == "anonymous":
        pages += [(name, reverse(name)) for name in PUBLIC_PAGES]
    checked, phone_problems = [], []
    for name, url in pages:
        # Ask first (with the page's cookies): a download cannot be "visited".
        probe = page.request.get(url)
        assert probe.status == 200, f"{name} ({url}) answered {probe.status}"
        if "text/html" not in probe.headers.get("content-type", ""):
            continue
        response = page.goto(url)
        assert response.status == 200, f"{name} ({url}) answered {response.status}"
        assert page.title(), f"{name} has no title"
        assert page.locator("html").get_attribute("lang") == "en-GB", f"{name} has no lang"
        assert page.locator("link[rel=icon]").count() == 1, f"{name} links no icon"
        axe(page)
        phone_problems += check_on_a_phone(page, name)
        checked.append(name)
    assert checked, f"no HTML page was checked for {role}"
    assert not phone_problems, "On a phone:\n" + "\n".join(phone_problems)


def _admin_pages(world):
    """Every changelist the coordinators' group may view, with its add page, one change
    page and one history page where there is a row."""
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if opts.app_label not in ("network", "trusts", "events"):
            continue
        base = f"admin:{opts.app_label}_{opts.model_name}"
        yield "changelist", reverse(f"{base}_changelist")
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            yield "change", reverse(f"{base}_change", args=[row.pk])
            if hasattr(model_admin, "history_view"):
                yield "history", reverse(f"{base}_history", args=[row.pk])
        if getattr(model_admin, "resource_classes", None):
            yield "export", reverse(f"{base}_export")


def test_the_admin_passes_axe_on_its_lists_and_logs_no_console_error(page, world, own_pages):
    sign_in(page, world.coordinator)
    visited = 0
    for kind, url in _admin_pages(world):
        response = page.goto(url)
        if response.status == 403:  # a model the coordinators' group may not open
            continue
        assert response.status == 200, f"{url} answered {response.status}"
        assert page.locator("link[rel=icon]").count() == 1, f"{url} links no icon"
        if kind == "changelist":
            axe(page)
        visited += 1
    assert visited > 20


def test_the_admin_event_list_shows_places_and_status_on_a_laptop(page, world, own_pages):
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, world.coordinator)
    page.goto(reverse("admin:events_event_changelist"))
    for column in ("places", "waitlisted", "status"):
        header = page.locator(f"#result_list thead th.column-{column}")
        box = header.bounding_box()
        assert box and box["x"] + box["width"] <= 1366, f"the {column} column is off the screen"
    results = page.locator("#changelist .results")
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), "the event list scrolls sideways"


def test_the_event_list_is_short_enough_to_scroll_on_a_phone(page, world, own_pages):
    """16 upcoming events once made a 7,500 px page at 390 px."""
    sign_in(page, world.leader_a)
    page.set_viewport_size(PHONE)
    page.goto(reverse("events:event_list"))
    rows = page.locator("main tbody tr").count()
    assert rows >= 16
    height = page.evaluate("() => document.documentElement.scrollHeight")
    table = page.locator("main table").bounding_box()["height"]
    assert table / rows < 180, f"{rows} events take {table:.0f}px on a phone"
    assert height < 7500 / 2, f"{rows} events make a {height}px page on a phone"
