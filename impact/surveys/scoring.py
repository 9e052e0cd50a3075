"""Pure functions for survey results: school terms, small-number suppression and the
change per person of a pre/post pair. No database, so each is tested as a table."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

FEWER_THAN = "fewer than 5"


def threshold() -> int:
    return settings.SMALL_NUMBER_THRESHOLD


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def term_of(day: datetime.date) -> str:
    """The school term a day falls in, named as schools name it: "Autumn 2025" (September
    to December), "Spring 2026" (January to March), "Summer 2026" (April to August)."""
    if day.month >= 9:
        return f"Autumn {day.year}"
    if day.month <= 3:
        return f"Spring {day.year}"
    return f"Summer {day.year}"


def term_bounds(label: str) -> tuple[datetime.date, datetime.date]:
    """[first month, first month after) of a term label from `term_of`."""
    name, year = label.split()
    year = int(year)
    start, end = {
        "Autumn": ((year, 9), (year + 1, 1)),
        "Spring": ((year, 1), (year, 4)),
        "Summer": ((year, 4), (year, 9)),
    }[name]
    return datetime.date(*start, 1), datetime.date(*end, 1)


def is_suppressed(n: int, *, suppress: bool) -> bool:
    """A breakdown of fewer than 5 answers is hidden from a viewer who must not see small
    numbers (a trust executive; anyone, for an anonymous survey). No answers is not a
    small number: it is shown as none."""
    return suppress and 0 < n < threshold()


def shown(n: int, *, suppress: bool):
    """A count as a page shows it: the number, or "fewer than 5"."""
    return FEWER_THAN if is_suppressed(n, suppress=suppress) else n


def mean(values) -> Decimal | None:
    values = [Decimal(v) for v in values if v is not None]
    if not values:
        return None
    return (sum(values) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Change:
    """A pre/post question's change: how many people answered both (`n`), their mean
    change (post minus pre) and the share whose answer rose."""

    n: int
    mean_change: Decimal | None
    share_improved: Decimal | None  # 0-100, one decimal

    @property
    def percent_improved(self) -> str:
        return "–" if self.share_improved is None else f"{self.share_improved}%"


def change(pairs) -> Change:
    """`pairs`: (before, after) per person; a person missing either answer is left out."""
    deltas = [Decimal(after) - Decimal(before) for before, after in pairs if before is not None and after is not None]
    if not deltas:
        return Change(0, None, None)
    improved = sum(1 for d in deltas if d > 0)
    share = (Decimal(improved) * 100 / len(deltas)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Change(len(deltas), mean(deltas), share)
