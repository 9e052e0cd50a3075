"""Reads for trust and academy pages, always through the access door, with the joins
and aggregates a page needs so each page costs a fixed number of queries."""

from django.db.models import Count, Prefetch, Q, Sum

from network.base import access, changes, remembered
from trusts.models import Academy, AcademyTrustMembership, Designation, Inspection, PerformanceResult, Person, Trust


def trusts_for(user):
    return (
        access.scoped(user, Trust)
        .annotate(
            academy_count=Count("academies", filter=Q(academies__is_open=True), distinct=True),
            pupil_total=Sum("academies__pupils_on_roll", filter=Q(academies__is_open=True)),
        )
        .order_by("name")
    )


def trust_choices(user):
    """Trusts for a filter drop-down: scoped, without the list page's aggregates."""
    return access.scoped(user, Trust).only("pk", "name").order_by("name")


def trust_choice_rows(user) -> list[tuple[int, str]]:
    """`trust_choices` as (id, name) pairs for the academy list's select, remembered
    under the records' generation and the reader's scope (`access.scope_key`): every
    page of the list read a hundred trusts to list them. A trust chosen is still
    checked against `trust_choices` by the filter."""
    return remembered.remember(
        "trust-choices",
        (access.scope_key(user),),
        lambda: list(trust_choices(user).values_list("pk", "name")),
        reads=changes.REGISTER,
    )


def trust_detail(user, pk: int) -> Trust:
    return access.get_scoped_or_404(user, trusts_for(user), pk=pk)


def academies_for(user):
    return access.scoped(user, Academy).select_related("trust").order_by("name")


# The columns the academies table shows (trusts/templatetags/academy_table.py). An
# academy's row carries about thirty columns of GIAS detail and its trust's a dozen more;
# compiling, reading and building them was a fifth of the academy list's cost (speed,
# issue 14). The table's N+1 tests fail if it reads one more.
TABLE_OWN_COLUMNS = ("name", "urn", "is_open", "region", "community_type", "pupils_on_roll", "percent_fsm")
TABLE_OWN_COLUMNS += ("support_tier",)
TABLE_COLUMNS = (*TABLE_OWN_COLUMNS, "trust__name")


def academy_table(user):
    """The academies `user` may see, in name order, as the academies table's rows
    (`table_rows`); filter them as any queryset."""
    return table_rows(access.scoped(user, Academy).order_by("name"))


def table_rows(academies):
    """`academies` as the academies table's rows: named tuples of `TABLE_COLUMNS`, the
    trust's name as `trust__name`, not an academy and a trust built as models for each
    row (1,600 of the academy list's 20,000 Python calls a request: speed, issue 14).
    `academy_rows` writes either."""
    return academies.values_list(*TABLE_COLUMNS, named=True)


def academies_of_trust(user, trust: Trust):
    return academy_table(user).filter(trust=trust)


def academy_detail(user, urn: int) -> Academy:
    """The academy through the door, with the people the user may see (and their
    designations) as `visible_people` and the academy's record (`academy_record`) as
    `trust_history_list`, `inspection_list` and `performance_list`."""
    # Only what the page lists of each person: name, job role and designations (their
    # expertise is the directory's to show; reading it was a query for nothing).
    people = (
        access.scoped(user, Person)
        .only("first_name", "last_name", "job_role", "academy_id")
        .prefetch_related(Prefetch("designations", queryset=Designation.objects.only("name")))
        .order_by("last_name")
    )
    academy = access.get_scoped_or_404(user, academies_for(user).select_related("support_tier_set_by"), urn=urn)
    academy.trust_history_list, academy.inspection_list, academy.performance_list = academy_record(academy.pk)
    # The people the reader may see there, remembered under the reader's own scope
    # (`access.scope_key`): two queries (people, designations) on every academy page.
    academy.visible_people = remembered.remember(
        "academy-people",
        (access.scope_key(user), academy.pk),
        lambda: list(people.filter(academy_id=academy.pk)),
        reads=changes.REGISTER,
    )
    return academy


def academy_record(academy_id: int) -> tuple[list, list, list]:
    """An academy's trust history (newest first), inspections and performance results
    (newest first): public facts about the academy, the same for every reader who may
    open it (the door has let them in), which change only when an import or a
    coordinator writes them. Remembered under the records' generation: three queries on
    every academy page were a third of its cost (speed, issue 14)."""

    def read():
        return (
            list(
                AcademyTrustMembership.objects.filter(academy_id=academy_id)
                .select_related("trust")
                .only("joined_on", "left_on", "academy_id", "trust__name")
                .order_by("-joined_on")
            ),
            list(Inspection.objects.filter(academy_id=academy_id).order_by("-inspection_date")),
            list(PerformanceResult.objects.filter(academy_id=academy_id).order_by("-academic_year")),
        )

    return remembered.remember("academy-record", (academy_id,), read, reads=changes.REGISTER)
