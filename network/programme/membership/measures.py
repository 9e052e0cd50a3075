"""Which performance measure the review judges each year on, as pure functions.

Progress 8 wherever the nation has it. The DfE published none for 2024-25 and 2025-26
(there were no KS2 results in 2020 and 2021 to measure progress from), so a policy may
judge such years on the Attainment 8 national percentile instead (its fallback
measure, computed by the KS4 importer from the same files); without a fallback they are
left out, and the reasons say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

PROGRESS8 = "progress8"
ATTAINMENT8 = "attainment8"
MEASURES = {PROGRESS8: "Progress 8", ATTAINMENT8: "Attainment 8"}


def performance_window(
    *, progress8_years: Iterable[str], attainment8_years: Iterable[str], up_to: str, count: int, fallback: str
) -> tuple[tuple[str, ...], dict[str, str], tuple[str, ...]]:
    """(years, measure by year, years passed over): the `count` latest academic years
    no later than `up_to` with national data in a measure the policy uses, newest first.

    A year is judged on Progress 8 whenever the nation has Progress 8 for it; a year
    without (2024-25, 2025-26) is judged on the Attainment 8 percentile if the policy's
    fallback is "attainment8", and otherwise left out, and named in "passed over" if it
    is newer than the oldest year judged. A school's own suppressed Progress 8 in a year
    the nation has it stays "no score": the fallback is for years, not for schools."""
    progress8 = {y for y in progress8_years if y <= up_to}
    attainment8_only = {y for y in attainment8_years if y <= up_to} - progress8
    measures = dict.fromkeys(progress8, PROGRESS8)
    if fallback == ATTAINMENT8:
        measures.update(dict.fromkeys(attainment8_only, ATTAINMENT8))
    years = tuple(sorted(measures, reverse=True)[:count])
    oldest = years[-1] if years else ""
    passed_over = tuple(sorted((y for y in attainment8_only if y not in measures and y > oldest), reverse=True))
    return years, {year: measures[year] for year in years}, passed_over


def _years(years: list[str]) -> str:
    return years[0] if len(years) == 1 else ", ".join(years[:-1]) + f" and {years[-1]}"


def describe_measures(window: tuple[str, ...], measures: Mapping[str, str], passed_over: tuple[str, ...]) -> str:
    """ "Measure used: …": which measure was used for which years of `window`, and any
    newer year left out (`passed_over`)."""
    by_measure: dict[str, list[str]] = {}
    for year in window:
        by_measure.setdefault(measures.get(year, PROGRESS8), []).append(year)
    parts = []
    if by_measure.get(PROGRESS8):
        parts.append(f"the Progress 8 national percentile for {_years(by_measure[PROGRESS8])}")
    if by_measure.get(ATTAINMENT8):
        many = len(by_measure[ATTAINMENT8]) > 1
        parts.append(
            f"the Attainment 8 national percentile for {_years(by_measure[ATTAINMENT8])}, "
            f"{'years' if many else 'a year'} without Progress 8 (the policy's fallback measure)"
        )
    text = "Measure used: " + ("; ".join(parts) if parts else "none (no national data imported)") + "."
    if passed_over:
        many = len(passed_over) > 1
        text += (
            f" {_years(list(passed_over))} {'have' if many else 'has'} no Progress 8 and the policy has no "
            f"fallback measure, so {'they are' if many else 'it is'} not considered."
        )
    return text
