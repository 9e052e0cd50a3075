"""The headline tiles of a dashboard: this year against last, and the panels of the
capabilities that plug in (`impact.dashboards.panels`)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from impact.dashboards import membership, panels
from impact.evidence.confidence import LABELS, NONE
from impact.surveys import scoring
from network.base.school_years import Year


@dataclass
class Tile:
    label: str
    value: object = None
    previous: object = None
    unit: str = ""
    detail: str = ""
    unavailable: str = ""  # why there is no figure yet

    @property
    def change(self):
        numbers = (int, float, Decimal)
        if isinstance(self.value, numbers) and isinstance(self.previous, numbers):
            return self.value - self.previous
        return None


def headline(rows, year: Year) -> dict:
    """This year's and last year's people, attendances and hours in one query (`rows`
    span both years)."""
    start, _ = year.bounds()
    now, before = Q(booking__event__starts_at__gte=start), Q(booking__event__starts_at__lt=start)
    person, hours = "booking__person", "booking__event__cpd_hours"
    figures = rows.aggregate(
        people=Count(person, distinct=True, filter=now),
        people_before=Count(person, distinct=True, filter=before),
        attendances=Count("pk", filter=now),
        attendances_before=Count("pk", filter=before),
        hours=Sum(hours, filter=now),
        hours_before=Sum(hours, filter=before),
        academies=Count("booking__academy_at_booking", distinct=True, filter=now),
    )
    figures["hours"] = figures["hours"] or 0
    figures["hours_before"] = figures["hours_before"] or 0
    return figures


# The panels whose tiles show the change on last year; the others (surveys, evidence)
# are not worth a second year's aggregation over every invitation and answer.
COMPARED = ("visits", "grants")


def fetch_panels(network, year: Year, last: Year) -> tuple[dict, dict]:
    """Every panel's figures for `year`, and for `last` where a tile compares them."""
    found = panels.all_panels(network=network, starts_on=year.starts_on, ends_on=year.ends_on)
    before = {
        name: (
            panels.figures(name, network=network, starts_on=last.starts_on, ends_on=last.ends_on)
            if found[name] is not None and name in COMPARED
            else None
        )
        for name in found
    }
    return found, before


def panel_tiles(found: dict, found_before: dict, pick, *, network_level: bool = False):
    """The tiles of the plug-in panels (`impact.dashboards.panels`); `pick(figures, name)`
    narrows a panel's figures to the trust (or gives the network's). A panel whose
    capability is not installed gives a tile saying so, never a zero."""
    tiles, unavailable = [], {}
    for name in ("visits", "surveys", "evidence", "grants"):
        if found[name] is None:
            unavailable[name] = panels.NOT_YET[name]
    visits, surveys, evidence = found["visits"], found["surveys"], found["evidence"]
    if visits is None:
        tiles.append(Tile("Academy visits hosted and made", unavailable=panels.NOT_YET["visits"]))
    elif network_level:
        tiles.append(
            Tile(
                "Academy visits delivered",
                value=visits.get("delivered", 0),
                previous=(found_before["visits"] or {}).get("delivered"),
                detail=f"across {visits.get('trusts', 0)} trusts",
            )
        )
    else:
        mine, before = pick(visits, "visits"), pick(found_before["visits"], "visits")
        tiles.append(
            Tile(
                "Academy visits hosted and made",
                value=mine.get("hosted", 0) + mine.get("made", 0),
                previous=before.get("hosted", 0) + before.get("made", 0),
                detail=f"{mine.get('hosted', 0)} hosted by your academies, {mine.get('made', 0)} made to others",
            )
        )
    if surveys is None:
        tiles.append(Tile("Survey response rate and mean impact score", unavailable=panels.NOT_YET["surveys"]))
    else:
        mine = pick(surveys, "surveys")
        tiles.append(
            Tile(
                "Survey response rate",
                value=mine.get("response_rate"),
                unit="%",
                detail=_impact_detail(mine),
            )
        )
    if evidence is None:
        tiles.append(Tile("Evidence by confidence level", unavailable=panels.NOT_YET["evidence"]))
    else:
        mine = pick(evidence, "evidence")
        tiles.append(
            Tile(
                "Claims with evidence this year",
                value=sum(mine.values()),
                detail="; ".join(f"{level}: {n}" for level, n in mine.items() if level != LABELS[NONE])
                or "None recorded",
            )
        )
    grants = found["grants"]
    if grants is None:
        tiles.append(Tile("Innovation grants awarded", unavailable=panels.NOT_YET["grants"]))
    else:
        mine = grants if network_level else pick(grants, "grants")
        before = (found_before["grants"] or {}) if network_level else pick(found_before["grants"], "grants")
        submitted = mine.get("submitted", 0)
        detail = f"£{mine.get('awarded_total', 0):,.2f} awarded, of {submitted} {'bid' if submitted == 1 else 'bids'} submitted"
        if network_level:
            detail += f"; {grants.get('outcomes_published', 0)} outcome reports published"
        tiles.append(
            Tile(
                "Innovation grants awarded", value=mine.get("awarded", 0), previous=before.get("awarded"), detail=detail
            )
        )
    return tiles, unavailable


def _impact_detail(figures: dict) -> str:
    mean, n = figures.get("mean_impact"), figures.get("impact_n", 0)
    if mean is not None:
        return f"Mean impact score {mean} of 5 (n={n})"
    if n:
        return f"Mean impact score withheld: {scoring.FEWER_THAN} answers"
    return "No impact scores yet"


def membership_tile(status_by_academy: dict, academy_ids) -> Tile:
    tally = membership.counts(status_by_academy, academy_ids)
    renewing = tally[membership.RENEWING] + tally[membership.MEMBER]
    return Tile(
        "Membership of the academies",
        value=renewing + tally[membership.AT_RISK] + tally[membership.NOT_ELIGIBLE],
        detail=(
            f"{renewing} renewing or members, {tally[membership.AT_RISK]} at risk, "
            f"{tally[membership.NOT_ELIGIBLE]} not eligible next year, {tally[membership.NOT_MEMBER]} not members"
        ),
    )
