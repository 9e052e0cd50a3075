"""Certificates of attendance: the PDF, who may download it, and the public check."""

import re
import zlib
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from events.exporters import certificate_pdf
from tests import factories as f
from tests.events.cpd_helpers import attended, past_event

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The text drawn on a PDF's pages (fpdf2 writes core-font text as literal strings
    in deflated content streams)."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            chunks.append(zlib.decompressobj().decompress(stream))  # ignores the EOL before endstream
        except zlib.error:
            chunks.append(stream)
    return b"\n".join(chunks).decode("cp1252", errors="replace")


@pytest.fixture
def certificate(world):
    event = past_event(world.network, title="Teaching electricity with models", cpd_hours=Decimal("1.50"))
    booking = f.BookingFactory(event=event, person=world.person_a)
    return attended(booking)


def test_certificate_pdf_is_one_page_with_the_code_and_verification_url(world, certificate):
    data = certificate_pdf(certificate)
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b", data)) == 1
    text = pdf_text(data)
    event = certificate.booking.event
    for expected in (
        world.network.name,
        world.person_a.full_name,
        "Teaching electricity with models",
        f"on {timezone.localtime(event.starts_at):%d/%m/%Y}",
        "CPD hours: 1.5",
        certificate.verification_code,
        f"http://testserver/certificates/verify/{certificate.verification_code}/",
    ):
        assert expected in text, expected


def test_certificate_pdf_copes_with_names_beyond_western_european_letters(world, certificate):
    person = certificate.booking.person
    person.first_name, person.last_name = "Łucja", "Nguyễn"
    person.save()
    assert "Lucja Nguyen" in pdf_text(certificate_pdf(certificate))


def test_leader_downloads_their_certificate_from_the_cpd_record(client, world, certificate):
    client.force_login(world.leader_a)
    record = client.get(reverse("events:my_cpd"))
    url = reverse("events:certificate_download", args=[certificate.booking_id])
    assert url in record.text
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_no_certificate_for_an_event_not_attended(client, world):
    event = past_event(world.network)
    absent = attended(f.BookingFactory(event=event, person=world.person_a), attended=False)
    unmarked = f.BookingFactory(event=past_event(world.network), person=world.person_a)
    client.force_login(world.leader_a)
    assert client.get(reverse("events:certificate_download", args=[absent.booking_id])).status_code == 404
    assert client.get(reverse("events:certificate_download", args=[unmarked.pk])).status_code == 404


def test_no_certificate_of_someone_else(client, world):
    colleague = attended(
        f.BookingFactory(event=past_event(world.network), person=f.PersonFactory(academy=world.academy_a))
    )
    for user in (world.leader_a, world.executive_a):
        client.force_login(user)
        assert client.get(reverse("events:certificate_download", args=[colleague.booking_id])).status_code == 404
    client.force_login(world.coordinator)
    assert client.get(reverse("events:certificate_download", args=[colleague.booking_id])).status_code == 200


def test_verification_page_confirms_a_genuine_certificate_without_sign_in(client, world, certificate):
    response = client.get(reverse("events:certificate_verify", args=[certificate.verification_code]))
    assert response.status_code == 200
    assert "This certificate is genuine" in response.text
    for expected in (world.person_a.full_name, "Teaching electricity with models", "1.5"):
        assert expected in response.text
    assert world.person_a.email not in response.text


def test_verification_page_does_not_confirm_a_wrong_code(client, certificate):
    response = client.get(reverse("events:certificate_verify", args=["ABCD-EFGH-JKMN-PQRS"]))
    assert response.status_code == 404
    assert "No certificate has this code" in response.text
    assert "This certificate is genuine" not in response.text


def test_verification_stops_when_the_attendance_is_withdrawn(client, certificate):
    certificate.attended = False
    certificate.save()
    assert client.get(reverse("events:certificate_verify", args=[certificate.verification_code])).status_code == 404


def test_verification_form_accepts_a_code_typed_loosely(client, certificate):
    typed = certificate.verification_code.replace("-", " ").lower()
    response = client.get(reverse("events:certificate_verify_form"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("events:certificate_verify", args=[certificate.verification_code])


def test_verification_codes_are_unique_and_unguessable(world):
    event = past_event(world.network)
    codes = {
        attended(f.BookingFactory(event=event, person=f.PersonFactory(academy=world.academy_a))).verification_code
        for _ in range(20)
    }
    assert len(codes) == 20
    assert all(re.fullmatch(r"([2-9A-HJKMNP-Z]{4}-){3}[2-9A-HJKMNP-Z]{4}", code) for code in codes)
