"""School years as dates: the academic year (1 September – 31 August) and the
membership year (1 April – 31 March), written "2025-26" as schools and the DfE write
them. Pure functions, used by every room that counts by year."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone


@dataclass(frozen=True)
class Year:
    kind: str  # "academic year" / "membership year"
    starts_on: datetime.date
    ends_on: datetime.date

    @property
    def label(self) -> str:
        """2025 → "2025-26", as schools and the DfE write years."""
        return f"{self.starts_on.year}-{(self.starts_on.year + 1) % 100:02d}"

    def contains(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """Aware datetimes [start, end) covering the year's days in UK time."""
        start = timezone.make_aware(datetime.datetime.combine(self.starts_on, datetime.time.min))
        end = timezone.make_aware(
            datetime.datetime.combine(self.ends_on + datetime.timedelta(days=1), datetime.time.min)
        )
        return start, end

    def q(self, path: str) -> Q:
        """Rows whose datetime at `path` (a lookup path) falls in the year, UK time."""
        start, end = self.bounds()
        return Q(**{f"{path}__gte": start, f"{path}__lt": end})


def _year_from(day: datetime.date, month: int, kind: str) -> Year:
    start_year = day.year if day.month >= month else day.year - 1
    return Year(
        kind=kind,
        starts_on=datetime.date(start_year, month, 1),
        ends_on=datetime.date(start_year + 1, month, 1) - datetime.timedelta(days=1),
    )


def academic_year(day: datetime.date) -> Year:
    """The academic year (1 September – 31 August) containing `day`."""
    return _year_from(day, 9, "academic year")


def academic_year_starting(start_year: int) -> Year:
    return academic_year(datetime.date(start_year, 9, 1))


def membership_year(day: datetime.date) -> Year:
    """The membership year (1 April – 31 March) containing `day`."""
    return _year_from(day, 4, "membership year")
