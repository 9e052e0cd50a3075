"""School terms as dates, for "a lead inactive for a term". The three terms are taken
as autumn (September-December), spring (January-March) and summer (April-August):
Easter moves, and a week either way does not change who has been inactive."""

import datetime
from dataclasses import dataclass

TERMS = (("autumn", 9, 12), ("spring", 1, 3), ("summer", 4, 8))


@dataclass(frozen=True)
class Term:
    name: str
    starts_on: datetime.date

    @property
    def label(self) -> str:
        return f"the {self.name} term {self.starts_on.year}"


def term_of(day: datetime.date) -> Term:
    for name, first, last in TERMS:
        if first <= day.month <= last:
            return Term(name, datetime.date(day.year, first, 1))
    raise AssertionError("every month is in a term")


def previous_term(day: datetime.date) -> Term:
    return term_of(term_of(day).starts_on - datetime.timedelta(days=1))
