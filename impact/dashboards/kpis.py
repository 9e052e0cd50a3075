"""The network's KPIs: each objective's value computed from the records, its status
and its trend. Objectives are set per membership year (1 April – 31 March), the
network's year, in which membership growth is also counted.

Status: a finished year's objective is *met* or *missed*. While the year is under way, a
count ("at least") is *on track* when it has reached the target pro rata to the part of
the year gone (e.g. 50 of 100 half-way through), otherwise *behind*; membership growth
is decided by the year's memberships, so it is compared as it stands; a ceiling ("at
most", never-engaged academies) is on track while under the ceiling. Trend: the change
on last year at the same point of the year (the whole year, for a finished year).
"""

import datetime
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from events.models import Event
from impact.dashboards import panels, periods
from impact.dashboards.figures import academies_of, credited_attendance
from impact.dashboards.models import AT_MOST, Measure, Objective
from network.base.school_years import Year
from network.programme.membership.models import Membership

MEMBER_STATUSES = (Membership.Status.ACTIVE, Membership.Status.LEFT)
ONE_PLACE = Decimal("0.1")

MET, MISSED, ON_TRACK, BEHIND, NO_DATA = "Met", "Missed", "On track", "Behind", "No data yet"


@dataclass
class Kpi:
    measure: str
    label: str
    value: Decimal | int | None
    trusts: int | None
    previous: Decimal | int | None  # last year at the same point
    objective: Objective | None
    status: str
    explanation: str

    @property
    def change(self):
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, ROUND_HALF_UP)


def values(network, year: Year, *, until: datetime.date | None = None) -> dict[str, tuple]:
    """{measure: (value, trusts or None)} for `year`, counting events that start up to
    `until` (default: the whole year). Three queries, and one per installed panel."""
    last_day = min(until or year.ends_on, year.ends_on)
    start, _ = year.bounds()
    _, end = Year(kind="span", starts_on=year.starts_on, ends_on=last_day).bounds()
    rows = credited_attendance(network, start, end)
    network_academies = academies_of(network, year)
    online = Q(booking__event__is_online=True)
    conference = Q(booking__event__kind=Event.Kind.CONFERENCE)
    figures = rows.aggregate(
        online_people=Count("booking__person", distinct=True, filter=online),
        online_trusts=Count("credited_trust", distinct=True, filter=online),
        conference_people=Count("booking__person", distinct=True, filter=conference),
        conference_trusts=Count("credited_trust", distinct=True, filter=conference),
        reached=Count(
            "booking__academy_at_booking",
            distinct=True,
            filter=Q(booking__academy_at_booking__in=network_academies.values("pk")),
        ),
        hours=Sum("booking__event__cpd_hours"),
    )
    academy_count = network_academies.count()
    members = dict(
        Membership.objects.filter(
            year__network=network,
            year__label__in=[year.label, periods.previous(year).label],
            status__in=MEMBER_STATUSES,
        )
        .values_list("year__label")
        .annotate(n=Count("pk"))
        .order_by()
    )
    before = members.get(periods.previous(year).label, 0)
    growth = _percent(members.get(year.label, 0) - before, before)
    visits = panels.figures("visits", network=network, starts_on=year.starts_on, ends_on=last_day)
    return {
        Measure.ONLINE_CPD_LEADERS: (figures["online_people"], figures["online_trusts"]),
        Measure.VISITS: (visits["delivered"], visits["trusts"]) if visits else (None, None),
        Measure.CONFERENCE: (figures["conference_people"], figures["conference_trusts"]),
        Measure.MEMBERSHIP_GROWTH: (growth, None),
        Measure.NEVER_ENGAGED: (_percent(academy_count - figures["reached"], academy_count), None),
        Measure.ACADEMIES_REACHED: (figures["reached"], None),
        Measure.CPD_HOURS: (figures["hours"] or Decimal("0"), None),
    }


def _status(objective: Objective | None, value, trusts, fraction: float) -> tuple[str, str]:
    if objective is None:
        return "", "No target set for this year."
    if value is None:
        return NO_DATA, "The records this measure needs are not in the portal yet."
    target = objective.target
    wanted_trusts = objective.min_trusts or 0
    if objective.measure in AT_MOST:
        ok = value <= target
        if fraction >= 1:
            return (MET if ok else MISSED), f"{value} against a ceiling of {target}."
        return (ON_TRACK if ok else BEHIND), f"{value} so far, against a ceiling of {target} by the end of the year."
    trusts_ok = trusts is None or trusts >= wanted_trusts
    if fraction >= 1 or objective.measure == Measure.MEMBERSHIP_GROWTH:
        ok = value >= target and trusts_ok
        if fraction >= 1:
            return (MET if ok else MISSED), _said(value, trusts, target, wanted_trusts)
        return (ON_TRACK if ok else BEHIND), _said(value, trusts, target, wanted_trusts)
    pro_rata = (target * Decimal(str(fraction))).quantize(ONE_PLACE, ROUND_HALF_UP)
    trusts_pro_rata = math.ceil(wanted_trusts * fraction)
    ok = value >= target and trusts_ok
    if ok:
        return MET, _said(value, trusts, target, wanted_trusts) + " Target already reached."
    on_track = value >= pro_rata and (trusts is None or trusts >= trusts_pro_rata)
    return (ON_TRACK if on_track else BEHIND), (
        _said(value, trusts, target, wanted_trusts)
        + f" Pro rata for the part of the year gone: {pro_rata}"
        + (f" from {trusts_pro_rata} trusts." if wanted_trusts else ".")
    )


def _said(value, trusts, target, wanted_trusts) -> str:
    got = f"{value}" + (f" from {trusts} trusts" if trusts is not None and wanted_trusts else "")
    want = f"{target}" + (f" from at least {wanted_trusts} trusts" if wanted_trusts else "")
    return f"{got}, target {want}."


def kpis(network, label: str, *, today: datetime.date | None = None) -> list[Kpi]:
    """Every measure of the membership year `label`, with its objective (if set), status
    and trend. A fixed number of queries (two passes of `values` and the objectives)."""
    today = today or timezone.localdate()
    year = periods.year_for(periods.MEMBERSHIP, label)
    last = periods.previous(year)
    if today < year.starts_on:
        fraction, until, until_last = 0.0, year.starts_on, last.starts_on
    elif today > year.ends_on:
        fraction, until, until_last = 1.0, year.ends_on, last.ends_on
    else:
        gone = (today - year.starts_on).days + 1
        fraction = gone / ((year.ends_on - year.starts_on).days + 1)
        until, until_last = today, last.starts_on + datetime.timedelta(days=gone - 1)
    now = values(network, year, until=until)
    before = values(network, last, until=until_last)
    objectives = {o.measure: o for o in Objective.objects.filter(network=network, year_label=label)}
    result = []
    for measure, label_text in Measure.choices:
        value, trusts = now[measure]
        status, explanation = _status(objectives.get(measure), value, trusts, fraction)
        result.append(
            Kpi(
                measure=measure,
                label=label_text,
                value=value,
                trusts=trusts,
                previous=before[measure][0],
                objective=objectives.get(measure),
                status=status,
                explanation=explanation,
            )
        )
    return result
