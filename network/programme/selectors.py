"""Reads for the home pages and the expertise directory, scoped through network.base.access."""

import functools

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404

from network.base import access, changes, remembered
from network.base.models import OutboxMessage
from network.programme import directory_search
from network.programme.models import Hub, Network
from trusts.models import Academy, CommunityType, Designation, ExpertiseTag, Person, Trust
from trusts.selectors import TABLE_OWN_COLUMNS


def coordinator_overview(user) -> dict:
    """The coordinator's home: the network's size, remembered between page loads under
    the records' generation (`network.base.remembered`: six queries over the whole
    network were half the page's cost, and they change only when a record does), and
    the email outbox's state, always read live (its messages are not counted records)."""
    figures = remembered.remember(
        "coordinator-home", (access.scope_key(user),), lambda: _network_size(user), reads=changes.REGISTER
    )
    return {
        **figures,
        "outbox_pending": OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count(),
        "outbox_failed": OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count(),
    }


def _network_size(user) -> dict:
    academies = access.scoped(user, Academy).filter(is_open=True)
    totals = academies.aggregate(academies=Count("pk"), pupils=Sum("pupils_on_roll"))
    return {
        "networks": list(
            access.scoped(user, Network)
            .annotate(trust_count=Count("member_trusts", distinct=True), hub_count=Count("hubs", distinct=True))
            .only("name", "subject")
        ),
        "trust_count": access.scoped(user, Trust).count(),
        "academy_count": totals["academies"] or 0,
        "pupil_count": totals["pupils"] or 0,
        "people_count": access.scoped(user, Person).count(),
        "directory_count": access.directory(user).count(),
        "academies_by_community": [
            {"label": CommunityType(row["community_type"]).label if row["community_type"] else "Not set", "n": row["n"]}
            for row in academies.values("community_type").annotate(n=Count("pk")).order_by("community_type")
        ],
    }


def executive_overview(user) -> dict:
    trusts = (
        access.scoped(user, Trust)
        .annotate(
            academy_count=Count("academies", filter=Q(academies__is_open=True)),
            pupil_total=Sum("academies__pupils_on_roll", filter=Q(academies__is_open=True)),
        )
        .prefetch_related(
            Prefetch(
                "academies",
                # Only what the academies table shows without its trust column (the
                # table's N+1 tests read every cell), and the trust they are filed under.
                queryset=access.scoped(user, Academy)
                .filter(is_open=True)
                .only("trust", *TABLE_OWN_COLUMNS)
                .order_by("name"),
                to_attr="open_academies",
            )
        )
    )
    return {"trusts": trusts}


NAME = ("first_name", "last_name")  # what a person's name (`Person.__str__`) reads


def _label(model, field: str, value):
    """What `get_<field>_display()` shows for `value`, without a model instance."""
    return dict(model._meta.get_field(field).flatchoices).get(value, value)


def _name(first_name, last_name) -> str | None:
    """A person's name as `Person.__str__` shows it (None for nobody)."""
    return None if first_name is None else Person(first_name=first_name, last_name=last_name).full_name


def leader_overview(user) -> dict:
    """The leader's home (network/home_leader.html): their academy's card, its hubs and
    their colleagues there, as plain values (`academy` is None without an academy).

    Three queries that every reader of the page asked for while the records rarely
    change (a fifth of the page's CPU, issue 14): so they are remembered under the
    records' generation (network.base.remembered), moved on by any committed change to
    an academy, a trust, a hub (or its academies), a network or a person. Read through
    the door and remembered under the user's own `access.scope_key`, so one reader's
    value is never another's."""
    academy_id = access.leader_academy_id(user)
    if not academy_id:
        return {"academy": None}
    # The academy and the person left out are named besides the scope: a superuser with
    # a leader's login sees everything, and so shares one scope with every coordinator.
    parts = (access.scope_key(user), academy_id, user.person_id)
    return remembered.remember("leader-home", parts, lambda: _leader_academy(user, academy_id), reads=changes.REGISTER)


def _leader_academy(user, academy_id: int) -> dict:
    academy = (
        access.scoped(user, Academy)
        .filter(pk=academy_id)
        .values("urn", "name", "region", "pupils_on_roll", "support_tier", "trust__name")
        .first()
    )
    if academy is None:
        return {"academy": None}
    academy["trust"] = academy.pop("trust__name")
    academy["region_label"] = _label(Academy, "region", academy["region"])
    academy["support_tier_label"] = _label(Academy, "support_tier", academy["support_tier"])
    # Hubs in their own order (`Hub.Meta`: network, then name), as `academy.hubs.all()` gives them.
    hubs = (
        access.scoped(user, Hub)
        .filter(academies=academy_id)
        .values_list(
            "name", "kind", "network__name", *(f"{who}__{part}" for who in ("lead", "deputy_lead") for part in NAME)
        )
    )
    colleagues = (
        access.scoped(user, Person)
        .filter(academy_id=academy_id)
        .exclude(pk=user.person_id)
        .order_by("last_name")
        .values_list(*NAME, "job_role")
    )
    return {
        "academy": academy,
        "hubs": [
            {
                "name": name,
                "kind": _label(Hub, "kind", kind),
                "network": network,
                "lead": _name(lead_first, lead_last),
                "deputy_lead": _name(deputy_first, deputy_last),
            }
            for name, kind, network, lead_first, lead_last, deputy_first, deputy_last in hubs
        ],
        "colleagues": [
            {"name": _name(first, last), "job_role": _label(Person, "job_role", role)}
            for first, last, role in colleagues
        ],
    }


# The columns a directory card shows (network/directory.html); its academy's and trust's
# names are read as columns (`academy_name`, `trust_name`), not as two model instances.
DIRECTORY_CARD_FIELDS = ("first_name", "last_name", "job_role", "expertise_summary", "academy", "trust")


def directory_people(user, *, q="", expertise=None, designation=None, hub=None, region=""):
    """The directory page's people. Many-to-many filters are EXISTS subqueries, not
    joins, so no person is repeated and no DISTINCT is needed (the search stays fast at
    ten times the network's size: see bench/results.md). `q` searches names,
    designations, expertise, job role, academy, trust and region together, ranked
    (network.programme.directory_search). A page of them gets its tags from
    `with_tags`."""
    people = access.directory(user)
    if expertise:
        people = people.filter(
            Exists(ExpertiseTag.people.through.objects.filter(person=OuterRef("pk"), expertisetag=expertise))
        )
    if designation:
        people = people.filter(
            Exists(Designation.people.through.objects.filter(person=OuterRef("pk"), designation=designation))
        )
    if hub:
        people = people.filter(Exists(Hub.academies.through.objects.filter(academy=OuterRef("academy_id"), hub=hub)))
    if region:
        people = people.filter(Q(academy__region=region) | Q(academy__isnull=True, trust__region=region))
    people = people.only(*DIRECTORY_CARD_FIELDS).annotate(academy_name=F("academy__name"), trust_name=F("trust__name"))
    # A search ranks its matches (best first); otherwise the directory reads A to Z.
    return directory_search.search(people, q) if q else people.order_by("last_name", "first_name", "pk")


def directory_count(user, people, **filters) -> int:
    """How many `people` there are (`directory_people(user, **filters)`, not a search:
    a search counts its matches in its own query). Counting every consenting person in
    the user's networks was the list's costliest query (3 ms of the database's time on
    every page at ten times the network's size), for a number that changes only when
    records do: so it is remembered under the records' generation, shared by everyone
    with the same reach (`access.directory_reach`) and filters."""
    chosen = tuple((name, getattr(value, "pk", value)) for name, value in sorted(filters.items()))
    return remembered.remember(
        "directory-count", (access.directory_reach(user), chosen), people.count, reads=changes.REGISTER
    )


def directory_page(user, people, number, *, size: int, **filters):
    """Page `number` of `people` (`directory_people(user, **filters)`, not a search),
    with their tags (`with_tags`), remembered (`remembered.remember_page`) for everyone
    with the same reach (`access.directory_reach`) and filters, each one of a short list
    (an expertise, a designation, a hub, a region): a consenting person's card changes
    only when records do. Its count is `directory_count`'s, remembered for every page."""
    chosen = tuple((name, getattr(value, "pk", value)) for name, value in sorted(filters.items()))
    return remembered.remember_page(
        "directory-page",
        (access.directory_reach(user), chosen),
        people,
        number,
        size=size,
        prepare=with_tags,
        count=lambda: directory_count(user, people, **filters),
        reads=changes.REGISTER,
    )


def with_tags(people) -> list:
    """`people` (a page of the directory) as a list, each with its designations and
    expertise as names in name order (`listed_designations`, `listed_expertise`): one
    query for both (`_tags_sql`), and plain strings where two prefetches built a model
    instance per tag (two queries, and the prefetch machinery's time on every page:
    speed)."""
    people = list(people)
    listed = {person.pk: ([], []) for person in people}
    if listed:
        ids = list(listed)
        with connection.cursor() as cursor:
            cursor.execute(_tags_sql(len(ids)), ids + ids)
            for person_id, kind, name in cursor.fetchall():
                listed[person_id][kind].append(name)
    for person in people:
        person.listed_designations, person.listed_expertise = listed[person.pk]
    return people


@functools.lru_cache(maxsize=64)
def _tags_sql(count: int) -> str:
    """Every designation (0) and expertise tag (1) of `count` people (their ids, twice,
    are the parameters), in name order: one UNION ALL of the two link tables, written
    from the models' own table and column names. Plain SQL, not the ORM's union of two
    querysets: compiling that was 4,000 of the directory search's 28,000 Python calls a
    request (speed, issue 14), for SQL that never changes but for the number of ids."""
    quote = connection.ops.quote_name
    ids = ", ".join(["%s"] * count)
    parts = []
    for kind, link in ((0, Person.designations.through), (1, Person.expertise.through)):
        person, tag = (field for field in link._meta.get_fields() if field.many_to_one)
        if person.related_model is not Person:
            person, tag = tag, person
        tags = tag.related_model._meta
        # Names from the models, quoted; the ids are parameters.
        parts.append(
            f"SELECT l.{quote(person.column)}, {kind}, t.{quote(tags.get_field('name').column)} "  # noqa: S608
            f"FROM {quote(link._meta.db_table)} l JOIN {quote(tags.db_table)} t "
            f"ON t.{quote(tags.pk.column)} = l.{quote(tag.column)} WHERE l.{quote(person.column)} IN ({ids})"
        )
    return " UNION ALL ".join(parts) + " ORDER BY 3"


def directory_profile(user, pk: int) -> dict:
    """One person as the directory shows them to `user` (404 outside the directory's
    scope: no consent, or not in one of the user's networks), with the hubs they lead
    or deputise and their academy's hubs, and whether the user may open their academy's
    page (a link only where it would not answer 404). A fixed number of queries."""
    hubs = Hub.objects.select_related("network").order_by("name")
    person = get_object_or_404(
        access.directory(user)
        .select_related("academy__trust", "trust")
        .prefetch_related(
            "designations",
            "expertise",
            Prefetch("hubs_led", queryset=hubs),
            Prefetch("hubs_deputised", queryset=hubs),
            Prefetch("academy__hubs", queryset=hubs),
        ),
        pk=pk,
    )
    academy = person.academy
    return {
        "person": person,
        "academy": academy,
        "trust": academy.trust if academy else person.trust,
        "region": (academy.get_region_display() if academy else person.trust and person.trust.get_region_display())
        or "",
        "academy_page": bool(academy and access.scoped(user, Academy).filter(pk=academy.pk).exists()),
        "academy_hubs": list(academy.hubs.all()) if academy else [],
    }


def hubs_for(user):
    # Proposed clusters (issue 13) are not hubs yet: the directory's filter leaves them out.
    return (
        access.scoped(user, Hub)
        .filter(status=Hub.Status.APPROVED)
        .select_related("network")
        .order_by("network__name", "name")
    )


def hub_choices(user):
    """`hubs_for` as a filter's choices: each hub's name, nothing joined."""
    return hubs_for(user).select_related(None).only("name")


def hub_choice_rows(user) -> list[tuple[int, str]]:
    """`hub_choices` as (id, name) pairs for a filter's select, remembered under the
    records' generation and the reader's scope (`access.scope_key`): the event list
    read every hub on every page load to list them. A hub chosen is still checked
    against `hub_choices` by the form."""
    return remembered.remember(
        "hub-choices",
        (access.scope_key(user),),
        lambda: list(hub_choices(user).values_list("pk", "name")),
        reads=changes.REGISTER,
    )


def directory_filter_choices(user) -> dict[str, list[tuple[int, str]]]:
    """The directory's filter lists as (id, name) pairs, in the order the selects show
    them: every expertise tag, every designation, and the hubs `hub_choices` gives the
    user. They change a few times a term, and reading them was three queries on every
    page of the directory: so they are remembered under the records' generation
    (network.base.remembered.remember), moved on by any committed change to a tag, a
    designation or a hub. Only for users the door shows every hub (`access.sees_every`),
    so one entry serves them all; anyone else's lists are read afresh, through the door."""

    def read():
        return {
            "expertise": list(ExpertiseTag.objects.values_list("pk", "name")),
            "designation": list(Designation.objects.values_list("pk", "name")),
            "hub": list(hub_choices(user).values_list("pk", "name")),
        }

    if not access.sees_every(user, Hub):
        return read()
    return remembered.remember("directory-filters", (), read, reads=changes.REGISTER)
