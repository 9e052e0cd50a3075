"""The anonymised network benchmark a trust sees beside its own figures.

For each measure the trust's value stands beside the median and interquartile range
(the middle half) of the *other* trusts of the network, per academy or per 100 pupils so
that a trust's size does not decide the comparison. The benchmark never names a trust,
and a benchmark figure that would rest on fewer than `MIN_TRUSTS` trusts or fewer than
`MIN_PEOPLE` people taking part is withheld (`Suppressed`, with the reason), so nobody
can read one other trust's figures out of it. The rule is applied here, once, before any
page, chart or CSV sees the numbers.
"""

import statistics
from decimal import ROUND_HALF_UP, Decimal

from impact.dashboards.tables import Suppressed

MIN_PEOPLE = 5
MIN_TRUSTS = 3

FEWER_TRUSTS = f"fewer than {MIN_TRUSTS} other trusts to compare with"
FEWER_PEOPLE = f"rests on fewer than {MIN_PEOPLE} people"

# (key, label, numerator, denominator, per): numerator and denominator name the figures
# of `trust_measures`; `per` scales the ratio (100 pupils).
MEASURES = [
    ("people_per_academy", "People taking part per academy", "people", "academies", 1),
    ("attendances_per_academy", "Event attendances per academy", "attendances", "academies", 1),
    ("hours_per_academy", "CPD hours per academy", "hours", "academies", 1),
    ("people_per_100_pupils", "People taking part per 100 pupils", "people", "pupils", 100),
    ("hours_per_100_pupils", "CPD hours per 100 pupils", "hours", "pupils", 100),
    ("engaged_percent", "Academies engaged (%)", "academies_reached", "academies", 100),
]

TWO_PLACES = Decimal("0.01")


def ratio(numerator, denominator, per=1) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator or 0) * per / Decimal(denominator)).quantize(TWO_PLACES, ROUND_HALF_UP)


def trust_measures(figures: dict, size: dict) -> dict:
    """A trust's value for every measure, from its participation figures and its size."""
    base = {
        "people": figures.get("people", 0),
        "attendances": figures.get("attendances", 0),
        "hours": figures.get("hours") or 0,
        "academies_reached": figures.get("academies", 0),
        "academies": size.get("academies", 0),
        "pupils": size.get("pupils", 0),
    }
    return {key: ratio(base[num], base[den], per) for key, _label, num, den, per in MEASURES}


def quartiles(values: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """Lower quartile, median, upper quartile (the inclusive method: with three values,
    the quartiles lie between them)."""
    q1, median, q3 = statistics.quantiles([float(v) for v in values], n=4, method="inclusive")
    return tuple(Decimal(str(v)).quantize(TWO_PLACES, ROUND_HALF_UP) for v in (q1, median, q3))


def compare(others: list[tuple[dict, dict]]) -> dict[str, dict]:
    """The benchmark of each measure from the other trusts' (figures, size) pairs: its
    lower quartile, median and upper quartile, or `Suppressed` in all three."""
    people = sum(figures.get("people", 0) for figures, _size in others)
    measured = [trust_measures(f, s) for f, s in others]  # once per trust, not per measure
    result = {}
    for key, label, _num, _den, _per in MEASURES:
        values = [m[key] for m in measured if m[key] is not None]
        if len(values) < MIN_TRUSTS:
            withheld = Suppressed(FEWER_TRUSTS)
        elif people < MIN_PEOPLE:
            withheld = Suppressed(FEWER_PEOPLE)
        else:
            q1, median, q3 = quartiles(values)
            result[key] = {"label": label, "q1": q1, "median": median, "q3": q3, "trusts": len(values)}
            continue
        result[key] = {"label": label, "q1": withheld, "median": withheld, "q3": withheld, "trusts": None}
    return result
