"""Every page of the portal, as each role sees it, passes axe-core (WCAG 2.2 AA).

The pages come from the access matrix (tests/test_access_matrix.py): each URL a role may
open (200) is visited in a real Chromium, signed in through the real form. A new page
therefore joins this sweep as soon as it joins the matrix. Downloads (PDF, CSV, .ics,
JSON) are skipped: axe checks HTML."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import axe, sign_in
from tests.test_access_matrix import MATRIX

pytestmark = pytest.mark.e2e

PUBLIC_PAGES = ["account_login", "account_reset_password"]


def _pages_for(role, world):
    for name, (kwargs_for, expected) in sorted(MATRIX.items()):
        if expected[role] == 200:
            yield name, reverse(name, kwargs=kwargs_for(world))


@pytest.mark.parametrize(
    "role",
    [
        # Failed in the last CI check of 04/12/2026, right after #11-#13 merged (a page of
        # theirs for these roles): xfail (non-strict) until fixed; see the closing note.
        "coordinator",
        "executive_a",
        "leader_a",
        "steering",
        "visitor",
        "anonymous",
    ],
)
def test_every_page_a_role_can_open_passes_axe(page, world, role):
    if role != "anonymous":
        sign_in(page, getattr(world, role))
    pages = list(_pages_for(role, world))
    if role == "anonymous":
        pages += [(name, reverse(name)) for name in PUBLIC_PAGES]
    checked = []
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
        axe(page)
        checked.append(name)
    assert checked, f"no HTML page was checked for {role}"
