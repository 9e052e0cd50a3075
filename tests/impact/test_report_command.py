"""`manage.py network_report` and the coordinators' report page: the same selector,
formatted as JSON, HTML or PDF."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests import factories as f
from tests.impact import known_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    return known_network.build()


def test_command_writes_json_html_and_pdf(known, tmp_path, capsys):
    call_command("network_report", "--network", "known", "--year", "2024-25")
    data = json.loads(capsys.readouterr().out)
    assert data["figures"]["online_cpd"] == {"leaders": 3, "trusts": 2}
    html_file, pdf_file = tmp_path / "r.html", tmp_path / "r.pdf"
    call_command(
        "network_report", "--network", "known", "--year", "2024-25", "--format", "html", "--output", str(html_file)
    )
    assert "3 science leaders joined online CPD" in html_file.read_text()
    call_command(
        "network_report", "--network", "known", "--year", "2024-25", "--format", "pdf", "--output", str(pdf_file)
    )
    assert pdf_file.read_bytes().startswith(b"%PDF-")


def test_command_explains_mistakes(known):
    with pytest.raises(CommandError, match="No network 'nope'. Networks: known"):
        call_command("network_report", "--network", "nope", "--year", "2024-25")
    with pytest.raises(CommandError, match="not a year"):
        call_command("network_report", "--network", "known", "--year", "2024")
    with pytest.raises(CommandError, match="needs --output"):
        call_command("network_report", "--network", "known", "--year", "2024-25", "--format", "pdf")


def test_page_and_downloads_agree(client, known):
    client.force_login(f.coordinator())
    page = client.get(reverse("impact:report", args=["known"]), {"year": "2024-25"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "3 science leaders joined online CPD." in html and "How the figures are counted" in html
    download = client.get(reverse("impact:report_download", args=["known", "json"]), {"year": "2024-25"})
    assert download["Content-Disposition"] == 'attachment; filename="known-annual-report-2024-25.json"'
    assert json.loads(download.content)["headlines"][0] == "3 science leaders joined online CPD"
    pdf = client.get(reverse("impact:report_download", args=["known", "pdf"]), {"year": "2024-25"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert client.get(reverse("impact:report_download", args=["known", "docx"])).status_code == 404
    assert client.get(reverse("impact:report", args=["known"]), {"year": "20-25"}).status_code == 404
