"""School terms as dates, for the fairness caps (per term) and figures by term. The
network counts three terms: autumn (1 September – 31 December), spring (1 January –
31 March) and summer (1 April – 31 August), so a membership year (1 April – 31 March)
is summer, autumn and spring, and "termly" means three visits a year. Pure functions."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

# (name, first month, last month)
TERMS = (("Spring", 1, 3), ("Summer", 4, 8), ("Autumn", 9, 12))


@dataclass(frozen=True)
class Term:
    name: str
    starts_on: datetime.date
    ends_on: datetime.date

    @property
    def label(self) -> str:
        return f"{self.name} {self.starts_on.year}"

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """Aware datetimes [start, end) covering the term's days in UK time."""
        start = timezone.make_aware(datetime.datetime.combine(self.starts_on, datetime.time.min))
        end = timezone.make_aware(
            datetime.datetime.combine(self.ends_on + datetime.timedelta(days=1), datetime.time.min)
        )
        return start, end


def _last_day(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def term_containing(day: datetime.date) -> Term:
    for name, first, last in TERMS:
        if first <= day.month <= last:
            return Term(name, datetime.date(day.year, first, 1), _last_day(day.year, last))
    raise AssertionError("every month is in a term")


def terms_between(starts_on: datetime.date, ends_on: datetime.date) -> list[Term]:
    """The terms that overlap [starts_on, ends_on], in order."""
    terms, day = [], starts_on
    while day <= ends_on:
        term = term_containing(day)
        terms.append(term)
        day = term.ends_on + datetime.timedelta(days=1)
    return terms
