"""The portal as a person sees it: real sign-in, real pages, axe-core on each one."""

from pathlib import Path

import pytest

from tests import factories as f
from tests.e2e.conftest import axe, nav, sign_in

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_trust_executive_sees_their_trust(page, transactional_db):
    trust_a = f.TrustFactory(name="Pennine Learning Trust")
    trust_b = f.TrustFactory(name="Morecambe Bay Academies")
    f.AcademyFactory(trust=trust_a, name="Burnley Road Academy")
    f.AcademyFactory(trust=trust_a, name="Colne Valley High School")
    f.AcademyFactory(trust=trust_b, name="Heysham Bay Academy")
    executive = f.trust_executive(trust_a, full_name="Helen Ward")

    page.goto("/accounts/login/")
    axe(page)
    sign_in(page, executive)

    main = page.get_by_role("main")
    assert page.get_by_role("heading", level=1).inner_text() == "Pennine Learning Trust"
    assert main.get_by_role("link", name="Burnley Road Academy", exact=True).is_visible()
    assert main.get_by_role("link", name="Colne Valley High School", exact=True).is_visible()
    assert "Heysham Bay Academy" not in main.inner_text()
    assert "Morecambe Bay Academies" not in page.content()
    axe(page)

    main.get_by_role("link", name="Pennine Learning Trust", exact=True).click()
    page.wait_for_url(f"**/trusts/{trust_a.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Pennine Learning Trust"
    assert page.get_by_role("main").get_by_role("link", name="Burnley Road Academy", exact=True).is_visible()
    axe(page)


def test_leader_academy_list_and_directory_are_accessible(page, transactional_db):
    trust = f.TrustFactory(name="Pennine Learning Trust")
    academy = f.AcademyFactory(trust=trust, name="Burnley Road Academy")
    f.NetworkFactory().member_trusts.set([trust])  # the directory spans one's networks
    colleague = f.PersonFactory(
        academy=academy,
        first_name="Amira",
        last_name="Hussain",
        directory_consent=True,
        expertise_summary="Runs a required-practical programme for Key Stage 4.",
    )
    colleague.expertise.set([f.ExpertiseTagFactory(name="Required practicals", slug="required-practicals")])
    leader = f.leader(academy, full_name="Tom Hughes")
    sign_in(page, leader)

    nav(page, "Academies")
    page.wait_for_url("**/academies/")
    assert page.get_by_role("main").get_by_role("link", name="Burnley Road Academy", exact=True).is_visible()
    axe(page)

    nav(page, "Expertise directory")
    page.wait_for_url("**/directory/")
    assert page.get_by_role("heading", name="Amira Hussain").is_visible()
    axe(page)


def test_coordinator_pages_are_accessible(page, demo_network):
    academy = demo_network.academies[0]
    f.InspectionFactory(academy=academy)
    f.PerformanceResultFactory(academy=academy)
    sign_in(page, demo_network.coordinator)
    for path, heading in [
        ("/trusts/", "Trusts"),
        (f"/trusts/{demo_network.trusts[1].pk}/", "Morecambe Bay Academies"),
        ("/academies/", "Academies"),
        (f"/academies/{academy.urn}/", academy.name),
        ("/directory/", "Expertise directory"),
        ("/invitations/new/", None),
        ("/accounts/password/change/", None),
        ("/academies/999999/", None),  # the 404 page
    ]:
        page.goto(path)
        if heading:
            assert page.get_by_role("heading", level=1).inner_text() == heading
        axe(page)


@pytest.mark.parametrize("role", ["coordinator", "executive", "leader"])
def test_home_page_screenshot(page, demo_network, role):
    """The README shows these: docs/screenshots/home-<role>.png at 1280x800."""
    sign_in(page, getattr(demo_network, role))
    page.goto("/")  # once more, without the "signed in" message
    axe(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = {"coordinator": "coordinator", "executive": "trust-executive", "leader": "science-leader"}[role]
    page.screenshot(path=SCREENSHOTS / f"home-{name}.png")
