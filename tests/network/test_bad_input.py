"""Bad input is a page with a message or a refused row, never a 500. Each case below
answered 500 before `network.inputs` (Unicode digits that `int()` refuses, NUL bytes
that PostgreSQL refuses). The random sweep is tests/test_fuzz_inputs.py."""

import pytest
from django.urls import reverse

from network.base.inputs import parse_id, parse_ids, parse_int
from tests import factories as f
from tests.events import cpd_helpers as cpd
from tests.network import membership_helpers as mh
from tests.trusts.test_import_gias import establishment, gias_file, run_json
from trusts.models import Academy


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        (" 42 ", 42),
        ("0", 0),
        ("²", None),  # '²'.isdigit() is True, int('²') raises
        ("٣", None),  # Arabic-Indic three: int() reads it, but nobody types an id so
        ("-1", None),
        ("1.5", None),
        ("", None),
        ("\x00", None),
        ("9" * 19, None),  # beyond a 64-bit column
        (str(2**63 - 1), 2**63 - 1),
        (None, None),
        (["1"], None),
    ],
)
def test_parse_int_accepts_ascii_digits_in_range_only(value, expected):
    assert parse_int(value) == expected


def test_parse_id_and_ids():
    assert parse_id("0") is None
    assert parse_id("7") == 7
    assert parse_ids(["3", "²", "", "x", "5"]) == [3, 5]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_for", "query"),
    [
        (lambda w: reverse("trusts:academy_list"), {"q": "²"}),
        (lambda w: reverse("trusts:academy_list"), {"q": "\x00"}),
        (lambda w: reverse("trusts:academy_list"), {"q": "9" * 40}),
        (lambda w: reverse("events:book_on_behalf", args=[f.EventFactory(network=w.network).pk]), {"q": "²"}),
        (lambda w: reverse("events:book_on_behalf", args=[f.EventFactory(network=w.network).pk]), {"q": "\x00"}),
        (lambda w: reverse("network:membership_invoices_csv"), {"network": "²"}),
        (lambda w: reverse("network:membership_invoices_csv"), {"network": "9" * 30}),
        (lambda w: reverse("network:membership_invoices_csv"), {"year": "\x00"}),
        (lambda w: reverse("network:membership_review_detail", kwargs=mh.run_pk(w)), {"outcome": "\x00"}),
        (lambda w: reverse("network:directory"), {"q": "a\x00b", "hub": "²"}),
    ],
)
def test_bad_query_values_are_answered_not_500(client, world, url_for, query):
    client.force_login(world.coordinator)
    response = client.get(url_for(world), query)
    assert response.status_code == 200


@pytest.mark.django_db
def test_register_ignores_booking_ids_that_are_not_ascii_digits(client, world):
    event_pk = cpd.b_register(world)["pk"]
    client.force_login(world.coordinator)
    response = client.post(
        reverse("events:event_register", args=[event_pk]), {"booking": ["²", "\x00"], "action": "attended", "page": "²"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("events:event_register", args=[event_pk])


@pytest.mark.django_db
@pytest.mark.parametrize("next_value", ["²", "network:home", "https://elsewhere.example/", ""])
def test_a_booking_change_goes_back_only_to_a_path_of_this_site(client, world, next_value):
    """Found by the sweep: `redirect("²")` looked for a view named "²" (500)."""
    booking = f.BookingFactory(person=world.person_a, event=f.EventFactory(network=world.network))
    client.force_login(world.leader_a)
    # Cancelling asks first; the confirmed POST cancels and goes back.
    response = client.post(reverse("events:booking_cancel", args=[booking.pk]), {"next": next_value, "confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == reverse("events:my_bookings")


@pytest.mark.django_db
def test_a_huge_id_in_a_multiple_choice_is_a_form_error(client, world):
    """Found by the sweep: on SQLite, `pk__in` with a number beyond 64 bits overflowed."""
    client.force_login(world.coordinator)
    response = client.post(
        reverse("network:invitation_create"),
        {"email": "ceo@trust.example", "role": "trust_executive", "trusts": "9" * 30},
    )
    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()


@pytest.mark.django_db
def test_a_path_with_a_nul_is_not_found(client, world):
    client.force_login(world.coordinator)
    assert client.get("/certificates/verify/AB%00CD/").status_code == 404


@pytest.mark.django_db
def test_nul_is_removed_from_posted_fields(client, world):
    client.force_login(world.coordinator)
    response = client.post(reverse("network:invitation_create"), {"email": "a\x00@school.example", "role": "visitor"})
    # The address without its NUL is a valid email: the invitation goes out.
    assert response.status_code == 302


@pytest.mark.django_db
def test_gias_row_with_a_nul_is_reported_and_the_other_rows_are_imported(tmp_path):
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes(
        gias_file(
            [
                establishment(137001),
                establishment(137002, EstablishmentName="Broken\x00 Academy"),
                establishment(137003),
            ]
        )
    )
    report = run_json(str(path))
    assert report["created"] == 2
    assert [(e["row"], "NUL" in e["reason"]) for e in report["errors"]] == [(3, True)]
    assert sorted(Academy.objects.values_list("urn", flat=True)) == [137001, 137003]
