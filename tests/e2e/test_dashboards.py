"""The trust CEO's dashboard in a real Chromium: every chart draws, the CSV downloads
and matches its table, no console errors or CSP violations, axe passes. And the
coordinators' impact pages pass axe."""

import csv
import datetime
import io
from pathlib import Path

import pytest

from events.models import Attendance
from impact.reviews.services import lens_review_create
from tests import factories as f
from tests.e2e.conftest import axe, nav, sign_in
from tests.events.cpd_helpers import at

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _number_or_text(text: str):
    text = text.replace("no figure", "").replace("–", "").replace(",", "").strip()
    try:
        return round(float(text), 2)
    except ValueError:
        return text


@pytest.fixture
def active_network(demo_network):
    """Demo network with attendance this membership year in every trust."""
    network = demo_network.trusts[0].networks.get()
    today = datetime.date.today()
    for i in range(3):
        day = today - datetime.timedelta(days=3 + 20 * i)
        event = f.EventFactory(
            network=network, title=f"Webinar {i}", starts_at=at(day), ends_at=at(day) + datetime.timedelta(hours=1)
        )
        for n, academy in enumerate(demo_network.academies):
            if n == 1:
                continue  # Colne Valley High School: never engaged
            for _ in range(1 + n % 3):
                booking = f.BookingFactory(event=event, person=f.PersonFactory(academy=academy))
                Attendance.objects.create(booking=booking, attended=True, source="register")
    return network


def test_ceo_dashboard_charts_csv_and_accessibility(page, demo_network, active_network):
    sign_in(page, demo_network.executive)
    nav(page, "Dashboard")
    page.wait_for_url("**/impact/dashboard/trusts/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Pennine Learning Trust: dashboard"
    main = page.get_by_role("main")
    assert "Morecambe Bay Academies" not in main.inner_text()
    assert "Calder Valley Education Trust" not in main.inner_text()

    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() == 6  # benchmark, four equity charts, trends
    for i in range(canvases.count()):
        canvas = canvases.nth(i)
        canvas.scroll_into_view_if_needed()
        assert canvas.get_attribute("data-rendered") == "true"
        size = canvas.bounding_box()
        assert size["width"] > 100 and size["height"] > 100
        # Chart.js has drawn something: not every pixel is blank.
        painted = page.evaluate(
            """(c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                      for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return true; } return false; }""",
            canvas.element_handle(),
        )
        assert painted, f"canvas {i} is blank"

    # The never-engaged academy is listed first.
    first = page.locator("#table-academies tbody tr").first.locator("th").inner_text()
    assert first == "Colne Valley High School"

    # The academies table's CSV matches the table, cell for cell.
    with page.expect_download() as download:
        page.locator("#academies").get_by_role("link", name="Download CSV").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    header = [th.inner_text().strip() for th in page.locator("#table-academies thead th").all()]
    assert rows[0] == header
    table_rows = page.locator("#table-academies tbody tr")
    assert len(rows) - 1 == table_rows.count()
    for i, csv_row in enumerate(rows[1:]):
        cells = [c.inner_text() for c in table_rows.nth(i).locator("th, td").all()]
        assert [_number_or_text(c) for c in cells] == [_number_or_text(c) for c in csv_row]
    axe(page)

    # Sorting by a column is a link, and the page stays accessible.
    page.locator("#table-academies thead").get_by_role("link", name="CPD hours").click()
    page.wait_for_url("**sort=hours**")
    assert page.locator("#table-academies thead th[aria-sort='ascending']").inner_text().strip() == "CPD hours"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(page.url.split("?")[0])
    page.screenshot(path=SCREENSHOTS / "dashboard-trust-executive.png", full_page=False)


def test_coordinator_impact_pages_are_accessible(page, demo_network, active_network):
    review = lens_review_create(network=active_network, year_label="2024-25", by=demo_network.coordinator)
    sign_in(page, demo_network.coordinator)
    nav(page, "Dashboard")
    page.wait_for_url(f"**/impact/dashboard/networks/{active_network.slug}/")
    for canvas in page.locator("canvas[data-chart]").all():
        assert canvas.get_attribute("data-rendered") == "true"
    axe(page)
    for path in (
        f"/impact/networks/{active_network.slug}/objectives/",
        f"/impact/networks/{active_network.slug}/six-lens/",
        f"/impact/six-lens/{review.pk}/",
        f"/impact/six-lens/{review.pk}/edit/",
        f"/impact/networks/{active_network.slug}/report/",
        f"/impact/dashboard/trusts/{demo_network.trusts[1].pk}/",
    ):
        page.goto(path)
        axe(page)
