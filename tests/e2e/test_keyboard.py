"""The main flow by keyboard alone: a science leader reaches an event from the menu and
books it with Tab, Shift+Tab, Enter and Space, and every control they land on shows the
portal's focus ring (WCAG 2.1.1 Keyboard, 2.4.7 Focus Visible). Signing in uses the shared
`sign_in` helper; from the home page on, nothing is clicked: only keys are pressed."""

import pytest

from events.models import Booking
from tests import factories as f
from tests.e2e.conftest import axe, sign_in

pytestmark = pytest.mark.e2e

FOCUS_RING = "rgb(255, 221, 0)"  # static/css/portal.css: 3px solid #fd0
MAX_TABS = 60

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return {
    tag: el.tagName,
    name: (el.getAttribute('aria-label') || label || el.innerText || el.value || '').trim().replace(/\\s+/g, ' '),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    onScreen: box.width > 0 && box.height > 0,
  };
}"""


def _focused(page) -> dict:
    return page.evaluate(FOCUSED)


def _assert_focus_visible(page) -> dict:
    """The element with focus shows the ring: a solid yellow outline at least 3px wide,
    on something that takes up room on the screen."""
    focused = _focused(page)
    assert focused["onScreen"], f"focus is on something not shown: {focused}"
    assert focused["outlineStyle"] == "solid" and focused["outlineWidth"] >= 3, f"no visible focus ring: {focused}"
    assert focused["outlineColor"] == FOCUS_RING, f"focus ring in another colour: {focused}"
    return focused


def _tab_to(page, name: str, *, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until the focused control's name starts with `name`,
    checking the focus ring on every stop along the way."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        focused = _assert_focus_visible(page)
        seen.append(focused["name"][:40])
        if focused["name"].startswith(name):
            return
    pytest.fail(f"{key} never reached {name!r}; it went through: {seen}")


def test_leader_finds_and_books_an_event_with_the_keyboard_alone(page, transactional_db):
    trust = f.TrustFactory(name="Pennine Learning Trust")
    academy = f.AcademyFactory(trust=trust, name="Burnley Road Academy")
    network = f.NetworkFactory(name="North West Science Network", slug="nw-science")
    network.member_trusts.set([trust])
    f.EventFactory(network=network, title="Assessment without levels")
    conference = f.EventFactory(
        network=network, kind="conference", title="North West Science Conference", is_online=False, joining_link=""
    )
    # Sessions are listed by time, then title: Tab lands on the first radio of the group.
    workshop = f.SessionFactory(event=conference, title="Workshop: practicals on a shoestring")
    f.SessionFactory(event=conference, title="Workshop: reading like a scientist")
    leader = f.leader(academy, full_name="Tom Hughes")

    sign_in(page, leader)

    # Home: the first Tab is the skip link, which Enter follows into the page.
    page.keyboard.press("Tab")
    assert _assert_focus_visible(page)["name"] == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    # Back up to the menu with Shift+Tab, open "CPD" with Space, Tab to "CPD events", Enter.
    _tab_to(page, "CPD", key="Shift+Tab")
    page.keyboard.press("Space")
    _tab_to(page, "CPD events")
    page.keyboard.press("Enter")
    page.wait_for_url("**/events/")
    axe(page)

    # The list: Tab past the filters to the conference, and Shift+Tab back a step to
    # show the order holds both ways; Enter opens the event.
    _tab_to(page, "North West Science Conference")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert _assert_focus_visible(page)["name"] == "North West Science Conference"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/events/{conference.pk}/")
    axe(page)

    # The event: Tab to the first workshop and choose it with Space (Tab enters a radio
    # group on its first option), then Space again on "Book a place".
    _tab_to(page, workshop.title)
    page.keyboard.press("Space")
    assert page.get_by_label(workshop.title).is_checked()
    _tab_to(page, "Book a place")
    with page.expect_navigation():  # the form posts and comes back to the same address
        page.keyboard.press("Space")
    assert page.get_by_role("alert").filter(has_text="You are booked").is_visible()
    axe(page)

    booking = Booking.objects.get(event=conference, person=leader.person)
    assert (booking.status, booking.session_id) == ("confirmed", workshop.pk)
