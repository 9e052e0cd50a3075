"""The KS4 performance importer: both of the DfE's file forms, suppression codes,
percentiles computed from the whole file, idempotent re-import, row-numbered errors."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tests import factories as f
from trusts.importers.base import ImportFileError
from trusts.importers.performance import import_performance, percentile_ranks
from trusts.models import PerformanceResult

TABLES_HEADER = [
    "RECTYPE",
    "LEA",
    "ESTAB",
    "URN",
    "SCHNAME",
    "TOWN",
    "TOTPUPS",
    "ATT8SCR",
    "P8MEA",
    "P8CILOW",
    "P8CIUPP",
]


def tables_file(rows, *, encoding="cp1252", header=TABLES_HEADER) -> io.BytesIO:
    """A performance-tables file (england_ks4final.csv): rows of (RECTYPE, URN, P8MEA),
    or (RECTYPE, URN, P8MEA, ATT8SCR)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for rectype, urn, p8, *a8 in rows:
        writer.writerow(
            {"RECTYPE": rectype, "LEA": "888", "ESTAB": "4001", "URN": urn, "SCHNAME": f"School {urn} – Café",
             "TOWN": "Preston", "TOTPUPS": "900", "ATT8SCR": a8[0] if a8 else "47.1", "P8MEA": p8, "P8CILOW": "",
             "P8CIUPP": ""}
        )  # fmt: skip
    return io.BytesIO(out.getvalue().encode(encoding))


EES_HEADER = [
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name", "version",
    "school_laestab", "school_urn", "school_name", "establishment_type_group", "breakdown_topic", "breakdown",
    "sex", "disadvantage_status", "pupil_count", "attainment8_average", "progress8_pupil_count",
    "progress8_average", "progress8_lower_95_ci", "progress8_upper_95_ci",
]  # fmt: skip


def ees_file(rows) -> io.BytesIO:
    """An Explore Education Statistics school file: rows of (time_period, urn, p8,
    breakdown). Each school gets its all-pupils row plus the breakdown rows given."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EES_HEADER, lineterminator="\n")
    writer.writeheader()
    for period, urn, p8, breakdown in rows:
        topic, value, sex, disadvantage = {
            "total": ("Total", "Total", "Total", "Total"),
            "boys": ("Sex", "Boys", "Boys", "Total"),
            "disadvantaged": ("Disadvantage", "Disadvantaged", "Total", "Disadvantaged"),
        }[breakdown]
        writer.writerow(
            {"time_period": period, "time_identifier": "Academic year", "geographic_level": "School",
             "country_code": "E92000001", "country_name": "England", "version": "Revised", "school_laestab": "8884001",
             "school_urn": urn, "school_name": f"School {urn}", "establishment_type_group": "Academies",
             "breakdown_topic": topic, "breakdown": value, "sex": sex, "disadvantage_status": disadvantage,
             "pupil_count": "180", "attainment8_average": "47.1", "progress8_pupil_count": "170",
             "progress8_average": p8, "progress8_lower_95_ci": "z", "progress8_upper_95_ci": "z"}
        )  # fmt: skip
    return io.BytesIO(out.getvalue().encode("utf-8-sig"))


@pytest.fixture
def ours(db):
    """Three of the nation's schools are in the portal."""
    return {urn: f.AcademyFactory(urn=urn) for urn in (100001, 100002, 100003)}


NATION = [("1", str(200000 + i), f"{(i - 50) / 100:.2f}") for i in range(100)]  # P8 -0.50 … +0.49


def result(urn, year="2024-25"):
    return PerformanceResult.objects.get(academy__urn=urn, academic_year=year)


def test_percentile_ranks_count_half_the_ties():
    ranks = percentile_ranks([Decimal("0.1"), Decimal("0.2"), Decimal("0.2"), Decimal("0.9")])
    assert ranks == {
        Decimal("0.1"): Decimal("12.50"),
        Decimal("0.2"): Decimal("50.00"),
        Decimal("0.9"): Decimal("87.50"),
    }


def test_tables_file_computes_percentiles_from_the_whole_nation(ours):
    rows = [*NATION, ("1", "100001", "0.40"), ("1", "100002", "-0.45"), ("2", "100003", "SUPP"), ("4", "", "0.01")]
    report = import_performance(source=tables_file(rows), year="2024-25")

    assert report.errors == []
    assert (report.created, report.skipped) == (3, 101)  # 100 other schools + the LA total row
    assert report.details["schools with a Progress 8 score in 2024-25 (the percentiles' base)"] == 102
    top = result(100001)
    assert top.progress8 == Decimal("0.40")
    # 91 schools are below +0.40 (90 of the nation and 100002); one other is level with it,
    # so half of the two level scores count: (91 + 1) / 102.
    assert top.percentile == Decimal("90.20")
    assert result(100002).percentile == Decimal("5.88")  # (5 + 1) / 102
    assert (result(100003).progress8, result(100003).percentile, result(100003).suppressed) == (None, None, "SUPP")


@pytest.mark.parametrize("code", ["SUPP", "NE", "NP", "LOWCOV", "NA", "supp"])
def test_tables_suppression_codes_keep_no_score(ours, code):
    import_performance(source=tables_file([*NATION[:5], ("1", "100001", code)]), year="2024-25")
    assert (result(100001).progress8, result(100001).percentile, result(100001).suppressed) == (None, None, code)


def test_tables_file_needs_the_year(ours):
    with pytest.raises(ImportFileError, match="add --year 2024-25"):
        import_performance(source=tables_file(NATION))


def test_reimport_is_idempotent_and_a_revised_file_updates(ours):
    rows = [*NATION, ("1", "100001", "0.40"), ("1", "100002", "-0.45")]
    first = import_performance(source=tables_file(rows), year="2024-25")
    again = import_performance(source=tables_file(rows), year="2024-25")
    assert (first.created, again.created, again.updated, again.unchanged) == (2, 0, 0, 2)

    revised = [*NATION, ("1", "100001", "0.10"), ("1", "100002", "-0.45")]
    report = import_performance(source=tables_file(revised), year="2024-25")
    assert (report.updated, report.unchanged) == (1, 1)  # 100002 is still above the same schools
    assert result(100001).progress8 == Decimal("0.10")
    assert PerformanceResult.objects.count() == 2


def test_bad_rows_are_reported_with_row_numbers_and_the_rest_imported(ours):
    rows = [
        ("1", "100001", "0.40"),
        ("1", "100002", "lots"),
        ("1", "", "0.1"),
        ("1", "100003", "12.5"),
        ("1", "100001", "0.3"),
    ]
    report = import_performance(source=tables_file(rows), year="2024-25")

    assert report.errors == [
        (3, "P8MEA 'lots' is not a number"),
        (4, "URN is missing"),
        (5, "P8MEA '12.5' is not between -10 and 10"),
        (6, "URN 100001 appears again for 2024-25 (first on row 2); only the first is imported"),
    ]
    assert report.created == 1
    assert result(100001).percentile == Decimal("50.00")  # the only valid score in the file


def test_ees_file_keeps_only_the_all_pupils_rows_and_reads_the_year(ours):
    rows = []
    for i in range(20):
        rows.append(("202425", str(300000 + i), f"{i / 10:.2f}", "total"))
    rows += [
        ("202425", "100001", "1.50", "total"),
        ("202425", "100001", "-2.00", "boys"),
        ("202425", "100001", "-3.00", "disadvantaged"),
        ("202425", "100002", "c", "total"),
        ("202324", "100001", "0.90", "total"),
    ]
    report = import_performance(source=ees_file(rows))

    assert report.errors == []
    assert result(100001).progress8 == Decimal("1.50")  # not the boys' or disadvantaged pupils' score
    assert result(100001, "2023-24").progress8 == Decimal("0.90")
    assert result(100001, "2023-24").percentile == Decimal("50.00")  # alone in its year
    assert result(100002).suppressed == "c"
    # 2024-25: 100001's +1.50 is above 15 of the 20 others (0.00 … 1.90) and level with one:
    # (15 + 1) / 21 schools with a score (100002's "c" has none).
    assert result(100001).percentile == Decimal("76.19")


@pytest.mark.parametrize("code", ["z", "c", "x", "u", "low"])
def test_ees_suppression_codes(ours, code):
    import_performance(source=ees_file([("202425", "100001", code, "total"), ("202425", "100002", "0.2", "total")]))
    assert (result(100001).progress8, result(100001).suppressed) == (None, code)


def test_ees_year_option_keeps_one_year(ours):
    rows = [("202324", "100001", "0.90", "total"), ("202425", "100001", "0.20", "total")]
    report = import_performance(source=ees_file(rows), year="2023-24")
    assert report.skipped == 1
    assert list(PerformanceResult.objects.values_list("academic_year", flat=True)) == ["2023-24"]


def test_ees_bad_time_period_is_a_row_error(ours):
    report = import_performance(source=ees_file([("2024", "100001", "0.90", "total")]))
    assert report.errors == [(2, "time_period '2024' is not an academic year such as 202425")]


def test_unknown_file_is_refused():
    with pytest.raises(ImportFileError, match="neither URN with P8MEA or ATT8SCR"):
        import_performance(source=io.BytesIO(b"name,score\nA,1\n"), year="2024-25")


def test_command_prints_json(ours, tmp_path):
    path = tmp_path / "england_ks4final.csv"
    path.write_bytes(tables_file([*NATION[:3], ("1", "100001", "0.40"), ("1", "100002", "oops")]).getvalue())
    out = io.StringIO()
    call_command("import_performance", str(path), "--year", "2024-25", "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["created"], report["error_count"]) == (1, 1)
    assert report["errors"] == [{"row": 6, "reason": "P8MEA 'oops' is not a number"}]


def test_command_without_year_fails_clearly(ours, tmp_path):
    path = tmp_path / "england_ks4final.csv"
    path.write_bytes(tables_file(NATION[:3]).getvalue())
    with pytest.raises(CommandError, match="--year"):
        call_command("import_performance", str(path))


# -- Attainment 8: the measure of the years without Progress 8 ---------------------------

A8_NATION = [("1", str(200000 + i), "", f"{30 + i / 5:.1f}") for i in range(100)]  # A8 30.0 … 49.8
NO_P8 = [h for h in TABLES_HEADER if not h.startswith("P8")]


def test_a_file_without_progress8_imports_attainment8_and_its_percentiles(ours):
    rows = [*A8_NATION, ("1", "100001", "", "48.0"), ("1", "100002", "", "SUPP")]
    report = import_performance(source=tables_file(rows, header=NO_P8), year="2024-25")

    assert report.errors == []
    assert report.notices == [
        "No P8MEA column: Progress 8 is not imported from this file (the DfE published none for 2024-25 and "
        "2025-26); what is stored stays as it is."
    ]
    assert report.details["schools with an Attainment 8 score in 2024-25 (the percentiles' base)"] == 101
    top = result(100001)
    # 90 of the nation are below 48.0 (30.0 … 47.8), one is level: (90 + 1) / 101.
    assert (top.attainment8, top.attainment8_percentile) == (Decimal("48.00"), Decimal("90.10"))
    assert (top.progress8, top.percentile, top.suppressed) == (None, None, "")
    none = result(100002)
    assert (none.attainment8, none.attainment8_percentile, none.attainment8_suppressed) == (None, None, "SUPP")


def test_both_measures_have_their_own_percentiles(ours):
    rows = [("1", str(200000 + i), f"{(i - 50) / 100:.2f}", f"{70 - i / 5:.1f}") for i in range(100)]
    rows += [("1", "100001", "0.40", "35.0")]  # strong progress from a low start
    import_performance(source=tables_file(rows), year="2023-24")
    top = result(100001, "2023-24")
    # Progress 8: 90 below +0.40 and one level, (90 + 1) / 101; Attainment 8: the lowest, (0 + ½) / 101.
    assert (top.percentile, top.attainment8_percentile) == (Decimal("90.10"), Decimal("0.50"))


def test_a_measure_the_file_lacks_is_left_as_it_was(ours):
    import_performance(source=tables_file([*NATION, ("1", "100001", "0.40", "52.0")]), year="2023-24")
    before = result(100001, "2023-24")
    p8_only = [h for h in TABLES_HEADER if h != "ATT8SCR"]
    report = import_performance(source=tables_file([*NATION, ("1", "100001", "0.40")], header=p8_only), year="2023-24")
    after = result(100001, "2023-24")
    assert report.unchanged == 1
    assert (after.attainment8, after.attainment8_percentile) == (before.attainment8, before.attainment8_percentile)
    assert after.attainment8 == Decimal("52.00")


def test_attainment8_out_of_range_is_a_row_error(ours):
    report = import_performance(source=tables_file([("1", "100001", "", "91")], header=NO_P8), year="2024-25")
    assert report.errors == [(2, "ATT8SCR '91' is not between 0 and 90")]


def test_ees_file_reads_attainment8_average(ours):
    header = [h for h in EES_HEADER if not h.startswith("progress8")]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for urn, a8 in (("100001", "50.5"), ("100002", "40.0"), ("100003", "z")):
        writer.writerow(
            {"time_period": "202425", "geographic_level": "School", "school_urn": urn, "breakdown_topic": "Total",
             "breakdown": "Total", "sex": "Total", "disadvantage_status": "Total", "attainment8_average": a8}
        )  # fmt: skip
    report = import_performance(source=io.BytesIO(out.getvalue().encode()))
    assert report.errors == []
    assert [
        (r.academy.urn, r.attainment8, r.attainment8_percentile, r.attainment8_suppressed)
        for r in PerformanceResult.objects.filter(academic_year="2024-25").order_by("academy__urn")
    ] == [
        (100001, Decimal("50.50"), Decimal("75.00"), ""),
        (100002, Decimal("40.00"), Decimal("25.00"), ""),
        (100003, None, None, "z"),
    ]
