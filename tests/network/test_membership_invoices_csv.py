"""The finance CSV is opened in a spreadsheet: text that a spreadsheet would run as a
formula (=, +, -, @, tab, carriage return first) is written as text, with the same
helper the CPD record's CSV uses (network.base.csv)."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from network.base.csv import safe_cell
from network.programme.membership.services import invoices
from tests import factories as f


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+44 1234", "'+44 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Academy A", "Academy A"),
        ("", ""),
        (Decimal("-250.00"), Decimal("-250.00")),  # numbers stay numbers
        (140000, 140000),
    ],
)
def test_safe_cell(value, written):
    assert safe_cell(value) == written


def test_events_cpd_csv_still_uses_the_shared_helper():
    from events.attendance import views
    from network.base import web

    assert views.csv_response is web.csv_response


def test_membership_invoices_csv_writes_formulas_as_text(client, world):
    year = f.MembershipYearFactory(network=world.network)
    academy = f.AcademyFactory(trust=f.TrustFactory(name="@Trust"), name="=cmd|' /C calc'!A0")
    membership = f.MembershipFactory(year=year, academy=academy)
    invoices.fee_line_add(membership=membership, by=world.coordinator)
    invoices.invoice_line_add(membership=membership, description="+Extra visit", net_amount=250, by=world.coordinator)
    client.force_login(world.coordinator)

    rows = list(
        csv.reader(io.StringIO(client.get(reverse("network:membership_invoices_csv")).content.decode("utf-8-sig")))
    )

    assert [row[5:9] for row in rows[1:]] == [
        ["'=cmd|' /C calc'!A0", "'@Trust", "Membership fee", "Secondary Science Network membership 2025-26"],
        ["'=cmd|' /C calc'!A0", "'@Trust", "Extra charge", "'+Extra visit"],
    ]
    assert rows[2][9:] == ["250.00", "20.00", "50.00", "300.00"]
