"""Browser tests: a real headless Chromium (Debian's, at /usr/bin/chromium) drives the
portal served by pytest-django's `live_server`, through the real sign-in form.

- `browser` is one Chromium for this folder's tests; `page` is a fresh context (cookies,
  storage) per test, 1280x800, en-GB, Europe/London.
- The site's Content Security Policy stays ON in these tests (no `bypass_csp`): axe-core
  is served by a Playwright route at a same-origin URL, so `script-src 'self'` allows it
  without an exception. A CSP violation or a JavaScript error on any page fails the test
  when the page closes.
- `axe(page)` runs axe-core 4.14 (vendored in tests/e2e/vendor/) against WCAG 2.0/2.1 A
  and AA and WCAG 2.2 AA, and fails with a readable list of violations.
"""

import os
import re
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings

from tests import factories as f
from tests.conftest import require

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # we run as root in CI; the sandbox refuses to start there
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_PATH = "/__e2e__/axe.min.js"  # answered by a Playwright route, never by Django
HOME_URL = re.compile(r"^https?://[^/]+/$")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session", autouse=True)
def _live_server_speaks_http():
    """The live server builds its middleware once, when it starts, so the per-test
    settings fixture comes too late for SecurityMiddleware: turn the HTTPS redirect off
    before the server starts (it serves plain HTTP on localhost)."""
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the tests in this folder, closed when they are done. Playwright's
    sync API keeps an asyncio loop running in this thread while it is open, and Django
    refuses ORM calls under a running loop unless told it is deliberate: the permission
    lasts exactly as long as the browser, so no other test (nor a subprocess it starts,
    such as `check --deploy`) inherits it."""
    require(os.path.exists(CHROMIUM), "Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if saved is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        viewport=VIEWPORT, locale="en-GB", timezone_id="Europe/London", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    context.route(f"**{AXE_PATH}", lambda route: route.fulfill(path=AXE_JS, content_type="text/javascript"))
    page = context.new_page()
    problems = []

    def on_console(msg):
        # A page answered with 404 on purpose also logs "Failed to load resource"; broken
        # stylesheets, scripts and images are caught by on_response instead.
        # axe-core itself (injected by the tests, not part of any page) sets inline styles
        # while it checks contrast, which the page's strict CSP rightly refuses: not a fault
        # of the page.
        if msg.location.get("url", "").endswith(AXE_PATH):
            return
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            problems.append(f"{msg.location.get('url', '')}: {msg.text}")

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{response.url}: {response.status} for a {response.request.resource_type}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    yield page
    context.close()
    assert not problems, "The browser reported problems (CSP violations, script errors, missing files):\n" + "\n".join(
        problems
    )


def sign_in(page, user, password=None) -> None:
    """Sign in through the real allauth form, as a person would, and land on home.
    Coordinators and trust executives (enrolled by their factories) then type the code
    their authenticator app shows (tests.factories.totp_code)."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password or f.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: bool(HOME_URL.match(url)) or MFA_PATH in url)
    if MFA_PATH in page.url:
        enter_totp_code(page)
    page.wait_for_url(HOME_URL)
    assert page.get_by_role("button", name=str(user)).is_visible(), "not signed in (no account menu)"


MFA_PATH = "/accounts/2fa/authenticate/"


def enter_totp_code(page) -> None:
    """Answer allauth's second step with the tests' authenticator app. A code works once:
    if this user already used the current one (signed in twice within 30 seconds), wait
    for the next."""
    for _ in range(2):
        page.get_by_label("Code").fill(f.totp_code())
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_load_state()
        if MFA_PATH not in page.url:
            return
        page.wait_for_timeout((30 - time.time() % 30) * 1000 + 200)
    pytest.fail("the authenticator code was refused twice")


def nav(page, name) -> None:
    """Follow a link of the main menu as a person would: open its group first."""
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True, include_hidden=True)
    if not link.is_visible():
        link.locator("xpath=ancestor::li[contains(@class, 'dropdown')]/button").click()
    link.click()


def axe(page) -> None:
    """Run axe-core on the current page; fail with one line per violation."""
    # After a click that navigates, the old document may still be the current one: wait
    # for the new one to load, or axe is injected into a page being torn down.
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_PATH)
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    violations = result["violations"]
    if violations:
        lines = [f"axe found {len(violations)} accessibility violation(s) on {page.url}:"]
        for v in violations:
            targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
            more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
            lines.append(f"- {v['id']} [{v['impact']}]: {v['help']} — {targets}{more}")
        pytest.fail("\n".join(lines), pytrace=False)


@dataclass
class DemoNetwork:
    coordinator: object
    executive: object
    leader: object
    trusts: list
    academies: list


@pytest.fixture
def demo_network(transactional_db):
    """A small, realistic network for screenshots: three trusts, seven academies, two
    hubs, people in the directory, and one user of each role. Names are fixed (not
    factory sequences) so the screenshots do not change from run to run."""
    t = f.TrustFactory
    trusts = [
        t(name="Pennine Learning Trust", gias_uid="16021", region="North West", ceo_name="Helen Ward"),
        t(name="Morecambe Bay Academies", gias_uid="16034", region="North West", ceo_name="David Nkemelu"),
        t(name="Calder Valley Education Trust", gias_uid="17102", region="Yorkshire and the Humber"),
    ]
    rows = [  # trust, name, URN, community, pupils, % FSM, support tier
        (0, "Burnley Road Academy", 144210, "urban", 1180, "31.40", "improve"),
        (0, "Colne Valley High School", 144211, "rural", 760, "18.20", "sustain"),
        (0, "Pendle Vale Academy", 144212, "urban", 1320, "38.90", "stabilise"),
        (1, "Heysham Bay Academy", 145331, "coastal", 890, "35.10", "improve"),
        (1, "Lancaster Road School", 145332, "urban", 1040, "22.60", "sustain"),
        (2, "Todmorden Hill Academy", 146540, "rural", 640, "16.80", "sustain"),
        (2, "Halifax North Academy", 146541, "inner_city", 1410, "44.30", "stabilise"),
    ]
    academies = [
        f.AcademyFactory(
            trust=trusts[i],
            name=name,
            urn=urn,
            community_type=community,
            pupils_on_roll=pupils,
            percent_fsm=Decimal(fsm),
            support_tier=tier,
            region=trusts[i].region,
            local_authority="Calderdale" if i == 2 else "Lancashire",
        )
        for i, name, urn, community, pupils, fsm, tier in rows
    ]
    network = f.NetworkFactory(name="North West Science Network", slug="nw-science", subject="Science")
    network.member_trusts.set(trusts)
    practical = f.ExpertiseTagFactory(name="Required practicals", slug="required-practicals")
    disciplinary = f.ExpertiseTagFactory(name="Disciplinary literacy", slug="disciplinary-literacy")
    sle = f.DesignationFactory(name="Specialist Leader of Education (SLE)")
    people = [
        f.PersonFactory(
            first_name=first,
            last_name=last,
            email=f"{first}.{last}@school.example".lower(),
            academy=academies[a],
            job_role=role,
            directory_consent=True,
            expertise_summary=summary,
        )
        for first, last, a, role, summary in [
            ("Amira", "Hussain", 0, "head_of_science", "Runs a required-practical programme for Key Stage 4."),
            ("Owen", "Price", 1, "subject_lead", "Physics subject knowledge for non-specialists."),
            ("Grace", "Adeyemi", 3, "head_of_science", "Reading and writing like a scientist."),
            ("Liam", "Walsh", 5, "technician", "Setting up practicals on a small budget."),
        ]
    ]
    people[0].expertise.set([practical])
    people[0].designations.set([sle])
    people[2].expertise.set([disciplinary])
    hubs = [
        f.HubFactory(network=network, name="Pennine Cluster", lead=people[0], deputy_lead=people[1]),
        f.HubFactory(network=network, name="Bay and Dales Cluster", lead=people[2]),
    ]
    hubs[0].academies.set(academies[:3])
    hubs[1].academies.set(academies[3:])
    leader_person = f.PersonFactory(
        first_name="Tom",
        last_name="Hughes",
        email="tom.hughes@school.example",
        academy=academies[0],
        job_role="subject_lead",
        directory_consent=True,
    )
    leader = f.UserFactory(
        role="leader", person=leader_person, email="tom.hughes@school.example", full_name="Tom Hughes"
    )
    return DemoNetwork(
        coordinator=f.coordinator(email="priya.shah@network.example", full_name="Priya Shah"),
        executive=f.trust_executive(trusts[0], email="helen.ward@pennine.example", full_name="Helen Ward"),
        leader=leader,
        trusts=trusts,
        academies=academies,
    )
