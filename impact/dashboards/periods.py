"""The years and terms the dashboards count by.

A dashboard counts by the membership year (1 April – 31 March, the network's year) or
the academic year (1 September – 31 August), switchable, both written "2025-26". Terms,
for the trends, are the academic year's three: autumn (1 September – 31 December),
spring (1 January – 31 March) and summer (1 April – 31 August); Easter moves, so the
spring/summer line is drawn at 1 April, which is also where the membership year turns.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from network.base.school_years import Year, academic_year, membership_year

MEMBERSHIP = "membership"
ACADEMIC = "academic"
KINDS = ((MEMBERSHIP, "Membership year (1 April – 31 March)"), (ACADEMIC, "Academic year (1 September – 31 August)"))


def year_for(kind: str, label: str) -> Year:
    """The Year of `kind` written `label` ("2025-26"). Raises ValueError otherwise."""
    first, _, second = (label or "").partition("-")
    if not (len(first) == 4 and first.isdigit() and len(second) == 2 and second.isdigit()):
        raise ValueError(f"'{label}' is not a year like 2025-26")
    start = int(first)
    if (start + 1) % 100 != int(second):
        raise ValueError(f"'{label}' is not a year like 2025-26")
    if kind == ACADEMIC:
        return academic_year(datetime.date(start, 9, 1))
    if kind == MEMBERSHIP:
        return membership_year(datetime.date(start, 4, 1))
    raise ValueError(f"'{kind}' is not a kind of year")


def current(kind: str, today: datetime.date | None = None) -> Year:
    today = today or timezone.localdate()
    return academic_year(today) if kind == ACADEMIC else membership_year(today)


def previous(year: Year) -> Year:
    """The year before, of the same kind."""
    return (academic_year if year.kind == "academic year" else membership_year)(
        year.starts_on - datetime.timedelta(days=1)
    )


def kind_of(year: Year) -> str:
    return ACADEMIC if year.kind == "academic year" else MEMBERSHIP


def recent_labels(kind: str, count: int = 4, today: datetime.date | None = None) -> list[str]:
    """The current year's label and the `count - 1` before it, newest first."""
    year = current(kind, today)
    labels = []
    for _ in range(count):
        labels.append(year.label)
        year = previous(year)
    return labels


def is_under_way(year: Year, today: datetime.date | None = None) -> bool:
    return year.contains(today or timezone.localdate())


@dataclass(frozen=True)
class Term:
    name: str  # "Autumn 2025"
    starts_on: datetime.date
    ends_on: datetime.date

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        return Year(kind="term", starts_on=self.starts_on, ends_on=self.ends_on).bounds()


def term_containing(day: datetime.date) -> Term:
    if day.month >= 9:
        return Term(f"Autumn {day.year}", datetime.date(day.year, 9, 1), datetime.date(day.year, 12, 31))
    if day.month <= 3:
        return Term(f"Spring {day.year}", datetime.date(day.year, 1, 1), datetime.date(day.year, 3, 31))
    return Term(f"Summer {day.year}", datetime.date(day.year, 4, 1), datetime.date(day.year, 8, 31))


def terms_up_to(day: datetime.date, count: int = 9) -> list[Term]:
    """The `count` terms ending with the one containing `day`, oldest first (nine terms
    are three academic years)."""
    terms = [term_containing(day)]
    while len(terms) < count:
        terms.append(term_containing(terms[-1].starts_on - datetime.timedelta(days=1)))
    return list(reversed(terms))
