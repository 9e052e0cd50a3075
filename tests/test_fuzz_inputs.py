"""Property-based sweep (hypothesis): bad input is never a 500, and an import that fails
writes nothing.

- Every GET URL of the access matrix (tests/test_access_matrix.py), as every role, with
  random query strings: Unicode digits, NUL, huge numbers, odd encodings, repeated keys.
- Every page's form, as every role, posted back with random values in its own fields
  (and random bytes in its file fields).
- The DfE importers and the attendance import with random bytes, wrong encodings, NUL,
  and huge fields: either a report whose counts match what was written, or a clear
  "cannot import" error with nothing written.

The Django test client raises the exception of a 500, so hypothesis shrinks a failure to
its smallest example. Bounded: FUZZ_EXAMPLES per property (default 20) keeps the whole
sweep within about 40 s of CPU on SQLite; run it on PostgreSQL too (NUL fails only there).
"""

import io
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.events import cpd_helpers as cpd
from tests.test_access_matrix import MATRIX, ROLES
from tests.trusts.test_import_gias import GIAS_HEADER
from trusts.importers.base import ImportFileError

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
SWEEP = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis folder in the work tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Names the portal's pages read from query strings and forms, plus whatever else.
PARAMETERS = [
    "q", "page", "made_page", "network", "year", "status", "trust", "outcome", "pending", "show", "hub",
    "region", "expertise", "designation", "kind", "date_from", "date_to", "for_me", "community_type",
    "phase", "support_tier", "booking", "action", "next", "session", "person", "code", "minimum_minutes",
]  # fmt: skip
NASTY = [
    "²", "٣", "\x00", "a\x00b", "-1", "0", "9" * 30, "1e309", "NaN", "2025-26", "2025/26", "31/02/2025",
    "%", "%00", "'", '"', "<script>alert(1)</script>", "../../etc/passwd", " ", "\u202e", "😀", "true", "on",
]  # fmt: skip
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
VALUE = st.one_of(TEXT, st.sampled_from(NASTY), st.from_regex(r"\A[0-9]{1,25}\Z"), st.integers().map(str))
# Every known parameter (each may be left out, or repeated), and a few unknown ones.
QUERY = st.builds(
    lambda known, extra: {**extra, **known},
    st.fixed_dictionaries({}, optional={name: st.one_of(VALUE, st.lists(VALUE, max_size=3)) for name in PARAMETERS}),
    st.dictionaries(TEXT.filter(bool), VALUE, max_size=2),
)
# The values that answered 500 before (tests/network/test_bad_input.py has each case).
KNOWN_BAD = ["²", "\x00", "a\x00b", "9" * 30, "-1", "1e309", "31/02/2025", "😀", "<script>alert(1)</script>"]
KNOWN_BAD_POSTED = ["²", "a\x00b", "9" * 30, "-1"]  # forms validate the rest as text


def _urls_for(world) -> list[tuple[str, str]]:
    return [(name, reverse(name, kwargs=kwargs_for(world))) for name, (kwargs_for, _) in sorted(MATRIX.items())]


def _sign_in(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_random_query_strings_never_answer_500(client, world, role):
    _sign_in(client, world, role)
    urls = _urls_for(world)

    @SWEEP
    @given(url=st.sampled_from(urls), query=QUERY)
    def probe(url, query):
        name, path = url
        response = client.get(path, query)
        assert response.status_code < 500, (name, query)

    probe()


@pytest.mark.django_db
def test_known_bad_values_in_every_parameter_never_answer_500(client, world):
    """Deterministic companion of the random sweep: every page a coordinator can open
    (they reach them all), each known bad value in every parameter at once."""
    client.force_login(world.coordinator)
    for name, path in _urls_for(world):
        if MATRIX[name][1]["coordinator"] != 200:
            continue  # answered before any parameter is read
        for value in KNOWN_BAD:
            response = client.get(path, dict.fromkeys(PARAMETERS, value))
            assert response.status_code < 500, (name, value)


FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"[^>]*>", re.IGNORECASE)
FILE_FIELD = re.compile(r"<input\b[^>]*\btype=\"file\"[^>]*\bname=\"([^\"]+)\"", re.IGNORECASE)


def _forms_for(client, world, role) -> list[tuple[str, str, list[str], list[str]]]:
    """(url name, path, field names, file field names) of every page this role may open
    that has a form posting back to itself, and of every POST-only address."""
    forms = []
    for name, (kwargs_for, expected) in sorted(MATRIX.items()):
        path = reverse(name, kwargs=kwargs_for(world))
        if expected[role] == 405:  # POST only: the fields are the service's
            forms.append((name, path, PARAMETERS, []))
        elif expected[role] == 200:
            response = client.get(path)
            if response.get("Content-Type", "").startswith("text/html") and b'method="post"' in response.content:
                html = response.content.decode()
                fields = sorted(set(FIELD.findall(html)) - {"csrfmiddlewaretoken"}) or PARAMETERS
                forms.append((name, path, fields, sorted(set(FILE_FIELD.findall(html)))))
    return forms


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_random_form_posts_never_answer_500(client, world, role):
    _sign_in(client, world, role)
    forms = _forms_for(client, world, role)
    assert forms or role in ("visitor", "steering")

    @SWEEP
    @given(data=st.data())
    def probe(data):
        name, path, fields, file_fields = data.draw(st.sampled_from(forms), label="form")
        post = data.draw(st.dictionaries(st.sampled_from(fields), VALUE, max_size=len(fields)), label="fields")
        for field in file_fields:
            if data.draw(st.booleans(), label=f"attach {field}"):
                content = data.draw(st.binary(max_size=2000), label=f"{field} bytes")
                post[field] = SimpleUploadedFile("upload.csv", content, content_type="text/csv")
        response = client.post(path, post)
        assert response.status_code < 500, (name, post)

    if forms:
        for name, path, fields, _files in forms:  # each known bad value in every field
            for value in KNOWN_BAD_POSTED:
                response = client.post(path, dict.fromkeys(fields, value))
                assert response.status_code < 500, (name, value)
        probe()


# -- Importers ------------------------------------------------------------------------

CELL = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.sampled_from(NASTY + ["137001", "16001", "14-03-2023", "Good", "SUPP", "Open", "Secondary"]),
    st.just("x" * 200_000),  # a field larger than the csv module's limit
)
ENCODING = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"])


def _csv_bytes(header, rows, encoding) -> bytes:
    import csv

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def _file(header):
    columns = len(header)
    rows = st.lists(st.lists(CELL, min_size=0, max_size=columns), max_size=4)
    structured = st.builds(_csv_bytes, st.just(header), rows, ENCODING)
    return st.one_of(structured, st.binary(max_size=3000))


def _importers():
    from trusts.importers.gias import import_gias
    from trusts.importers.inspections import import_inspections
    from trusts.importers.performance import import_performance

    return {
        "gias": (
            lambda source: import_gias(source=source),
            GIAS_HEADER[:12] + ["Trusts (code)", "Trusts (name)", "NumberOfPupils"],
        ),
        "performance": (
            lambda source: import_performance(source=source, year="2024-25"),
            ["RECTYPE", "URN", "P8MEA", "time_period", "school_urn"],
        ),
        "inspections": (
            lambda source: import_inspections(source=source),
            ["URN", "Inspection start date", "Overall effectiveness"],
        ),
    }


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    return {
        label: apps.get_model(label).objects.count()
        for label in ("trusts.Trust", "trusts.Academy", "trusts.Inspection", "trusts.PerformanceResult")
    }


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["gias", "performance", "inspections"])
def test_importers_report_or_refuse_random_files_and_never_half_write(which):
    run_import, header = _importers()[which]

    @SWEEP
    @given(content=_file(header))
    def probe(content):
        before = _row_counts()
        try:
            with transaction.atomic():
                report = run_import(io.BytesIO(content))
        except ImportFileError:
            assert _row_counts() == before, "a refused file wrote rows"
            return
        after = _row_counts()
        # Rows appear only for what the report says it created.
        if not report.created:
            assert after == before
        assert all(isinstance(row, int) and reason for row, reason in report.errors)

    probe()


@pytest.mark.django_db
def test_attendance_import_reports_or_refuses_random_files(client, world):
    from events.models import Attendance

    client.force_login(world.coordinator)
    event_pk = cpd.b_register(world)["pk"]
    url = reverse("events:event_register_import", args=[event_pk])
    header = ["Email", "Minutes attended", "Name"]

    @SWEEP
    @given(content=_file(header), minutes=VALUE)
    def probe(content, minutes):
        before = Attendance.objects.count()
        upload = SimpleUploadedFile("attendance.csv", content, content_type="text/csv")
        response = client.post(url, {"file": upload, "minimum_minutes": minutes})
        assert response.status_code < 500
        if response.status_code != 200 or b"cannot" in response.content.lower():
            assert Attendance.objects.count() >= before

    probe()


@pytest.mark.django_db
def test_gias_upload_in_the_admin_reports_or_refuses_random_files(client, world):
    client.force_login(world.coordinator)
    url = reverse("admin:trusts_academy_import_gias")

    @SWEEP
    @given(content=_file(GIAS_HEADER[:12] + ["Trusts (code)"]))
    def probe(content):
        before = _row_counts()
        upload = SimpleUploadedFile("edubasealldata.csv", content, content_type="text/csv")
        response = client.post(url, {"file": upload})
        assert response.status_code < 500
        if response.status_code == 200 and b"cannot" in response.content.lower():
            assert _row_counts() == before

    probe()
