"""Equity of access: who takes part, by community type, FSM quartile, support tier and
role, against each group's share of the staff on record and of the pupils.

A group that is 40% of the pupils but 15% of the people taking part is the question a
dashboard should put to a trust. Academy-level groups (community, FSM quartile, tier)
are read from the academy on the booking; role from the person. FSM quartiles are cut
at the quartiles of % FSM across the network's academies (Q1 lowest), so the groups
mean the same for every trust. Four groups, three small grouped queries each.
"""

from decimal import Decimal

from django.db.models import Case, CharField, Count, QuerySet, Sum, Value, When

from impact.dashboards.benchmark import quartiles, ratio
from impact.dashboards.figures import PEOPLE
from impact.dashboards.tables import Chart, Column, Table
from trusts.models import CommunityType, JobRole, Person, SupportTier

NOT_RECORDED = "Not recorded"
FSM_LABELS = ("Q1 (lowest % FSM)", "Q2", "Q3", "Q4 (highest % FSM)")


def fsm_cuts(network_academies: QuerySet) -> tuple[Decimal, Decimal, Decimal] | None:
    values = list(network_academies.exclude(percent_fsm=None).values_list("percent_fsm", flat=True))
    if len(values) < 2:
        return None
    return quartiles(values)


def _fsm_case(path: str, cuts) -> Case:
    if cuts is None:
        return Value(NOT_RECORDED, output_field=CharField())
    q1, median, q3 = cuts
    return Case(
        When(**{f"{path}__isnull": True}, then=Value(NOT_RECORDED)),
        When(**{f"{path}__lte": q1}, then=Value(FSM_LABELS[0])),
        When(**{f"{path}__lte": median}, then=Value(FSM_LABELS[1])),
        When(**{f"{path}__lte": q3}, then=Value(FSM_LABELS[2])),
        default=Value(FSM_LABELS[3]),
        output_field=CharField(),
    )


def _choice_case(path: str, choices) -> Case:
    return Case(
        *[When(**{path: value}, then=Value(label)) for value, label in choices],
        default=Value(NOT_RECORDED),
        output_field=CharField(),
    )


def _dimensions(cuts):
    """(key, title, expression on attendance rows, on people, on academies or None, order)."""
    return [
        (
            "community",
            "Community type",
            _choice_case("booking__academy_at_booking__community_type", CommunityType.choices),
            _choice_case("academy__community_type", CommunityType.choices),
            _choice_case("community_type", CommunityType.choices),
            [label for _v, label in CommunityType.choices],
        ),
        (
            "fsm",
            "FSM quartile",
            _fsm_case("booking__academy_at_booking__percent_fsm", cuts),
            _fsm_case("academy__percent_fsm", cuts),
            _fsm_case("percent_fsm", cuts),
            list(FSM_LABELS),
        ),
        (
            "tier",
            "Support tier",
            _choice_case("booking__academy_at_booking__support_tier", SupportTier.choices),
            _choice_case("academy__support_tier", SupportTier.choices),
            _choice_case("support_tier", SupportTier.choices),
            [label for _v, label in SupportTier.choices],
        ),
        (
            "role",
            "Role",
            _choice_case("booking__person__job_role", JobRole.choices),
            _choice_case("job_role", JobRole.choices),
            None,
            [label for _v, label in JobRole.choices],
        ),
    ]


def _grouped(qs: QuerySet, expression, **aggregate) -> dict[str, int]:
    rows = qs.annotate(group=expression).values("group").annotate(**aggregate).order_by()
    name = next(iter(aggregate))
    return {row["group"]: row[name] or 0 for row in rows}


def _share(part, whole):
    return ratio(part, whole, 100)


def equity(rows: QuerySet, academies: QuerySet, cuts, *, scope: str) -> tuple[list[Table], list[Chart]]:
    """One table and one chart per group: `rows` is the attendance that counts (already
    cut to the trust and hub), `academies` the academies in scope. `scope` names whose
    staff and pupils the shares are of ("the trust's", "the network's")."""
    staff = Person.objects.filter(academy__in=academies)
    tables, charts = [], []
    for key, title, on_rows, on_people, on_academies, order in _dimensions(cuts):
        taking_part = _grouped(rows, on_rows, n=PEOPLE)
        on_record = _grouped(staff, on_people, n=Count("pk"))
        pupils = _grouped(academies, on_academies, n=Sum("pupils_on_roll")) if on_academies is not None else None
        groups = [g for g in order if g in taking_part or g in on_record or (pupils and g in pupils)]
        groups += [g for g in (NOT_RECORDED,) if g not in groups and (g in taking_part or g in on_record)]
        total_part, total_staff = sum(taking_part.values()), sum(on_record.values())
        total_pupils = sum(pupils.values()) if pupils is not None else 0
        columns = [
            Column("group", title, numeric=False),
            Column("people", "People taking part"),
            Column("people_share", "Share of people taking part (%)"),
            Column("staff", "Staff on record"),
            Column("staff_share", f"Share of {scope} staff (%)"),
            Column("rate", "Taking part per 100 staff on record"),
        ]
        if pupils is not None:
            columns += [Column("pupils", "Pupils"), Column("pupil_share", f"Share of {scope} pupils (%)")]
        table_rows = []
        for group in groups:
            row = [
                group,
                taking_part.get(group, 0),
                _share(taking_part.get(group, 0), total_part),
                on_record.get(group, 0),
                _share(on_record.get(group, 0), total_staff),
                ratio(taking_part.get(group, 0), on_record.get(group, 0), 100),
            ]
            if pupils is not None:
                row += [pupils.get(group, 0), _share(pupils.get(group, 0), total_pupils)]
            table_rows.append(row)
        table = Table(
            key=f"equity-{key}",
            title=f"Taking part by {title.lower()}",
            columns=columns,
            rows=table_rows,
            note="A person is counted once in each group; staff on record are the people the portal holds "
            "for the academies.",
        )
        series = [("Share of people taking part (%)", "people_share"), (f"Share of {scope} staff (%)", "staff_share")]
        if pupils is not None:
            series.append((f"Share of {scope} pupils (%)", "pupil_share"))
        tables.append(table)
        charts.append(
            Chart(
                key=f"equity-{key}",
                title=table.title,
                table=table,
                label_column="group",
                series=series,
                y_title="Per cent",
                description=f"Bar chart: share of people taking part against share of staff"
                f"{' and pupils' if pupils is not None else ''}, by {title.lower()}.",
            )
        )
    return tables, charts
