"""The one door: which rows of a model a user may see.

Every selector, and every view that fetches by id, starts from `scoped(user, Model)`.
The rules are a table, one line per model, so a reviewer can read the whole policy on
one screen and a new model cannot be shown until it has a line here (fail closed):

- a coordinator sees the whole portal;
- a trust executive sees rows that reach one of *their* trusts through `trust` paths;
- a science leader sees rows that reach *their academy* through `academy` paths;
- anyone sees rows that reach *their own person* through `person` paths, and rows of
  models marked `everyone` (e.g. networks and hubs);
- a steering-group member sees only what a `steering` filter lets through (referred
  applications and their evidence), not even `everyone` rows: fail closed;
- anonymous users and inactive accounts see nothing.

Objects outside a user's scope are simply absent from the queryset, so a view that
looks one up by id answers 404 and never reveals that it exists (pretalx's habit).
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from network.base import changes, remembered
from network.base.models import Role


@dataclass(frozen=True)
class Rule:
    trust: tuple[str, ...] = ()  # lookups from the model to a Trust's pk
    academy: tuple[str, ...] = ()  # lookups from the model to an Academy's pk
    person: tuple[str, ...] = ()  # lookups from the model to a Person's pk
    everyone: bool = False  # visible to every signed-in user (except the steering group)
    steering: tuple[tuple[str, object], ...] = ()  # filters (all must hold) for steering-group members
    user: tuple[str, ...] = ()  # lookups from the model to a login's pk (e.g. a reviewer's assignments)
    # Lookups to a trust that must NOT be one of the user's own (conflict of interest):
    # rows reaching the user's trust this way are absent for everyone but coordinators.
    not_own_trust: tuple[str, ...] = ()


def _through_visit(prefix: str, person: tuple[str, ...] = ()) -> Rule:
    """Visits (events/visits) and what hangs off one: seen by the host and visiting
    academies' leaders, their trusts' executives (and the host's trust when it was set),
    and the people assigned to visit (the `person` path through the assignments)."""
    return Rule(
        trust=tuple(f"{prefix}{p}" for p in ("host_trust", "host_academy__trust", "visiting_academy__trust")),
        academy=(f"{prefix}host_academy", f"{prefix}visiting_academy"),
        person=(f"{prefix}visitors", *person),
    )


RULES: dict[str, Rule] = {
    "trusts.Trust": Rule(trust=("pk",), academy=("academies",)),
    "trusts.Academy": Rule(trust=("trust",), academy=("pk",)),
    "trusts.AcademyTrustMembership": Rule(trust=("trust",), academy=("academy",)),
    "trusts.Inspection": Rule(trust=("academy__trust",), academy=("academy",)),
    "trusts.PerformanceResult": Rule(trust=("academy__trust",), academy=("academy",)),
    "trusts.Person": Rule(trust=("academy__trust", "trust"), academy=("academy",), person=("pk",)),
    "network.Network": Rule(everyone=True),
    "network.Hub": Rule(everyone=True),
    # Events are a public programme; the joining link is shown to confirmed attendees only
    # (events.selectors). Bookings: executives see those credited to their trust on the
    # day, leaders their academy's (a head of science approves them), everyone their own.
    "events.Event": Rule(everyone=True),
    "events.Session": Rule(everyone=True),
    "events.Booking": Rule(trust=("trust_at_booking",), academy=("person__academy",), person=("person",)),
    # Attendance follows its booking; a calendar feed is its person's alone.
    "events.Attendance": Rule(
        trust=("booking__trust_at_booking",), academy=("booking__person__academy",), person=("booking__person",)
    ),
    "events.CalendarFeed": Rule(person=("person",)),
    # The membership year. A membership is seen by the trust it was credited to and by
    # the academy's current trust; review runs, policies and invoices are coordinators'
    # alone; the steering group sees referred applications and nothing else.
    "network.MembershipYear": Rule(everyone=True),
    "network.Membership": Rule(trust=("trust", "academy__trust"), academy=("academy",)),
    "network.ReviewProposal": Rule(trust=("trust", "academy__trust"), academy=("academy",)),
    "network.ReviewRun": Rule(),
    "network.MembershipPolicy": Rule(),
    "network.InvoiceLine": Rule(),
    "network.MembershipApplication": Rule(
        trust=("membership__academy__trust",),
        academy=("membership__academy",),
        steering=(("referred_at__isnull", False),),
    ),
    "network.ApplicationEvidence": Rule(
        trust=("application__membership__academy__trust",),
        academy=("application__membership__academy",),
        steering=(("application__referred_at__isnull", False),),
    ),
    # -- Impact: surveys and the evidence log (issue 11) --------------------------------
    # Surveys are built by coordinators. An executive reaches a survey (and its
    # questions) once their trust has answers in it; a person reaches the surveys they
    # are invited to. Responses and answers are reached by their trust alone (anonymous
    # ones carry a trust only for groups of 5 or more): never by a person. Invitations
    # are their person's, and their trust's for response rates (shown as counts only).
    "impact.Survey": Rule(trust=("responses__trust",), person=("invitations__person",)),
    "impact.Section": Rule(trust=("survey__responses__trust",), person=("survey__invitations__person",)),
    "impact.Question": Rule(trust=("survey__responses__trust",), person=("survey__invitations__person",)),
    "impact.SurveyInvitation": Rule(trust=("trust",), person=("person",)),
    "impact.Response": Rule(trust=("trust",)),
    "impact.Answer": Rule(trust=("response__trust",)),
    # Evidence: executives their trust's academies', leaders their academy's.
    "impact.Claim": Rule(trust=("academy__trust",), academy=("academy",)),
    "impact.EvidenceItem": Rule(trust=("claim__academy__trust",), academy=("claim__academy",)),
    # -- end of impact: surveys and the evidence log ------------------------------------
    # -- The network programme: grants, roles, hubs, connections, the radar (issue 13) --
    # Rounds and the roles of the network are public to members (role clarity); a bid
    # is its academy's and its trust's. A review is its reviewer's, and never one of a
    # bid from the reviewer's own trust (conflict of interest, held here and in the
    # service). Published outcome reports are read through `grants.selectors.library`
    # (members only); the rows themselves follow their bid.
    "network.GrantRound": Rule(everyone=True),
    "network.GrantCriterion": Rule(everyone=True),
    "network.GrantBid": Rule(trust=("trust", "academy__trust"), academy=("academy",), person=("lead",)),
    "network.GrantBudgetLine": Rule(trust=("bid__trust",), academy=("bid__academy",), person=("bid__lead",)),
    "network.GrantReview": Rule(user=("reviewer",), not_own_trust=("bid__trust", "bid__academy__trust")),
    "network.GrantReport": Rule(trust=("bid__trust",), academy=("bid__academy",), person=("bid__lead",)),
    "network.NetworkRole": Rule(everyone=True),
    # Hub members and join requests: the hub's academies' leaders and trusts, the person.
    # Resources and meeting notes: the hub's academies (and their trusts), its lead and deputy.
    "network.HubMembership": Rule(
        trust=("person__academy__trust",),
        academy=("hub__academies",),
        person=("person", "hub__lead", "hub__deputy_lead"),
    ),
    "network.HubResource": Rule(
        trust=("hub__academies__trust",), academy=("hub__academies",), person=("hub__lead", "hub__deputy_lead")
    ),
    "network.MeetingNote": Rule(
        trust=("hub__academies__trust",), academy=("hub__academies",), person=("hub__lead", "hub__deputy_lead")
    ),
    # A connection request is its asker's and its recipient's alone.
    "network.ConnectionRequest": Rule(person=("asker", "recipient")),
    "network.ProgrammePreference": Rule(person=("person",)),
    "network.RadarIssue": Rule(everyone=True),
    # -- end of the network programme (issue 13) --
    # -- Impact: objectives and the six-lens review (issue 12) --------------------------
    # Objectives are the coordinators' (the network dashboard names every trust); the
    # six-lens review is read (and commented on) by the steering group as well. The
    # dashboards' figures are aggregates read by impact.dashboards.selectors (see there).
    "impact.Objective": Rule(),
    "impact.LensReview": Rule(steering=(("pk__isnull", False),)),
    "impact.LensRating": Rule(steering=(("pk__isnull", False),)),
    "impact.ReviewComment": Rule(steering=(("pk__isnull", False),)),
    # -- Visits (events/visits/) --------------------------------------------------------
    # A visit is seen by the leaders of the academy visited and of the visiting academy,
    # by the executives of either's trust (and of the trust the host belonged to when it
    # was set), and by the people assigned to make it (a consultant's visitor login, a
    # leader on a peer visit): the `person` path through the assignments. Its report,
    # actions, assignments and log follow it; an action is also its owner's.
    "events.VisitKind": Rule(everyone=True),
    "events.VisitPolicy": Rule(),
    "events.Visit": _through_visit(""),
    "events.VisitVisitor": _through_visit("visit__"),
    "events.VisitReport": _through_visit("visit__"),
    "events.VisitAction": _through_visit("visit__", person=("owner",)),
    "events.VisitLog": _through_visit("visit__"),
}


def _trust_ids(user) -> list[int]:
    # Cached on the user object: one query per request, however many selectors ask.
    if not hasattr(user, "_scope_trust_ids"):
        # From the link table alone: no join to the trusts, no ordering by their names
        # (the ids are used as a set), and not the related manager's machinery.
        links = apps.get_model("network", "User").trusts.through.objects.filter(user_id=user.pk)
        user._scope_trust_ids = list(links.values_list("trust_id", flat=True))
    return user._scope_trust_ids


def _person(user):
    if not hasattr(user, "_scope_person"):
        person = None
        if user.person_id:
            Person = apps.get_model("trusts", "Person")
            # With the academy's trust, so a leader's trust costs no second query.
            # `get`, not `first`: no ordering to add and compile on every page (speed).
            try:
                person = (
                    Person.objects.select_related("academy")
                    .only("pk", "academy_id", "trust_id", "job_role", "academy__trust_id")
                    .get(pk=user.person_id)
                )
            except Person.DoesNotExist:
                person = None
        user._scope_person = person
    return user._scope_person


def own_person(user):
    """The user's own person record as the door reads it, once per request: its id,
    academy, trust and job role only (None without one). For rules that ask about the
    user's own standing without loading the whole person."""
    return _person(user) if user.is_authenticated else None


def leader_academy_id(user) -> int | None:
    """The academy a science leader belongs to (None for other roles)."""
    if not user.is_authenticated or user.role != Role.LEADER:
        return None
    person = _person(user)
    return person.academy_id if person else None


@cache
def _many_valued(label: str, path: str) -> bool:
    """Does `path` from the model cross a reverse foreign key or a many-to-many relation
    (so filtering on it could repeat a row)? A trailing lookup (`__isnull`) is not a hop."""
    opts = apps.get_model(label)._meta
    for part in path.split("__"):
        if part == "pk":
            return False
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            return False
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        opts = field.related_model._meta
    return False


def _condition(user, rule: Rule, label: str = "") -> tuple[Q | None, bool]:
    """The filter for a non-coordinator (None when they may see nothing), and whether
    any of its paths is many-valued."""
    q = Q()
    matched = False
    many = False

    def add(condition):
        nonlocal q, matched, many
        q = condition if not matched else q | condition
        matched = True
        many = many or any(_many_valued(label, key.rsplit("__in", 1)[0]) for key, _ in condition.children)

    if user.role == Role.TRUST_EXECUTIVE and rule.trust:
        trust_ids = _trust_ids(user)
        for path in rule.trust:
            add(Q(**{f"{path}__in": trust_ids}))
    if user.role == Role.LEADER and rule.academy:
        academy_id = leader_academy_id(user)
        if academy_id:
            for path in rule.academy:
                add(Q(**{path: academy_id}))
    if user.role == Role.STEERING and rule.steering:
        add(Q(*rule.steering))
    if rule.person and user.person_id:
        for path in rule.person:
            add(Q(**{path: user.person_id}))
    for path in rule.user:
        add(Q(**{path: user.pk}))
    if matched and rule.not_own_trust:
        own = member_trust_ids(user)
        for path in rule.not_own_trust:
            q &= ~Q(**{f"{path}__in": own})
            many = many or _many_valued(label, path)
    return (q if matched else None), many


def _sees_every(user, rule: Rule) -> bool:
    return user.is_coordinator or (rule.everyone and user.role != Role.STEERING)


def sees_every(user, model: type[Model]) -> bool:
    """Does `scoped(user, model)` filter nothing (a coordinator; a model everyone sees)?
    Then a list of the whole model, read once and remembered for everyone of whom that is
    true, is this user's list too (the directory's hub filter)."""
    rule = RULES.get(model._meta.label)
    if rule is None:
        raise ImproperlyConfigured(f"network.base.access has no rule for {model._meta.label}; add one to RULES.")
    return bool(getattr(user, "is_authenticated", False) and user.is_active and _sees_every(user, rule))


def reach(user, model: type[Model]) -> str:
    """How far `scoped(user, model)` reaches, in a word a page can choose its wording by:
    "all" (nothing filtered), "academy" (a science leader's own academy) or "trusts" (the
    trusts the user belongs to). Pages ask this rather than compare roles."""
    if sees_every(user, model):
        return "all"
    return "academy" if leader_academy_id(user) is not None else "trusts"


def scoped(user, model: type[Model] | QuerySet) -> QuerySet:
    """All rows of `model` (a model class or a queryset of one) that `user` may see."""
    qs = model.all() if isinstance(model, QuerySet) else model._default_manager.all()
    label = qs.model._meta.label
    rule = RULES.get(label)
    if rule is None:
        raise ImproperlyConfigured(f"network.base.access has no rule for {label}; add one to RULES.")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if _sees_every(user, rule):
        return qs
    condition, many = _condition(user, rule, label)
    if condition is None:
        return qs.none()
    if not many:
        # Plain foreign-key paths cannot repeat a row: filter directly, so the database
        # plans one query, not a semi-join over the whole table (issue 14).
        return qs.filter(condition)
    # A semi-join rather than .distinct(): paths through many-to-many relations would
    # otherwise repeat rows, and the caller's ordering and annotations stay untouched.
    visible = qs.model._default_manager.filter(condition).values("pk")
    return qs.filter(pk__in=visible)


def own(user, model: type[Model]) -> QuerySet:
    """The rows of `model` that are the user's own through its rule's `person` lookups (a
    person's bookings): for every role a part of `scoped(user, model)`, read with that
    one condition and not the whole scope (a leader's academy, an executive's trusts),
    whose person read, joins and OR cost a list of one's own bookings a query and a
    fifth of its query building (speed, issue 14). A rule that also keeps rows from the
    user's own trust (`not_own_trust`) is asked through `scoped`, which applies it."""
    label = model._meta.label
    rule = RULES.get(label)
    if rule is None:
        raise ImproperlyConfigured(f"network.base.access has no rule for {label}; add one to RULES.")
    qs = model._default_manager.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.person_id or not rule.person:
        return qs.none()
    condition = Q()
    for path in rule.person:
        condition |= Q(**{path: user.person_id})
    if rule.not_own_trust or any(_many_valued(label, path) for path in rule.person):
        return scoped(user, model).filter(condition)
    return qs.filter(condition)


def get_scoped_or_404(user, model: type[Model] | QuerySet, **lookup):
    """Fetch one object through the door; outside the user's scope it does not exist."""
    return get_object_or_404(scoped(user, model), **lookup)


def member_trust_ids(user) -> list[int]:
    """The trusts a user belongs to: an executive's trusts, a leader's academy's trust."""
    if user.role == Role.TRUST_EXECUTIVE:
        return _trust_ids(user)
    person = _person(user)
    if person is None:
        return []
    if person.academy_id:
        trust_id = person.academy.trust_id  # read with the person (_person)
        return [trust_id] if trust_id else []
    return [person.trust_id] if person.trust_id else []


def network_trust_ids(user) -> list[int]:
    """Trusts that share a network with the user's trust(s): the reach of the directory.
    Once per request, so the directory filters on plain ids. The user's own trusts are
    read live (`member_trust_ids`); which trusts share a network with them is a fact of
    the records (networks' members), remembered under the records' generation
    (`network.base.remembered`): a trust joining or leaving a network moves it on, and
    the next request reads it afresh."""
    if not hasattr(user, "_scope_network_trust_ids"):
        own = tuple(sorted(member_trust_ids(user)))
        user._scope_network_trust_ids = remembered.remember(
            "network-trusts", own, lambda: _trusts_sharing(own), reads=changes.REGISTER
        )
    return user._scope_network_trust_ids


def _trusts_sharing(trust_ids) -> list[int]:
    Trust = apps.get_model("trusts", "Trust")
    return list(
        Trust.objects.filter(networks__member_trusts__in=trust_ids)
        # No ordering: a trust's name sorted every id list (DISTINCT must then carry the
        # name too) for a list only ever used as a set.
        .order_by()
        .values_list("pk", flat=True)
        .distinct()
    )


def directory(user) -> QuerySet:
    """People in the expertise directory: only those who consented, and only within the
    networks the user's trust belongs to (a coordinator sees every network's)."""
    Person = apps.get_model("trusts", "Person")
    people = Person.objects.filter(directory_consent=True)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return people.none()
    if user.is_coordinator:
        return people
    trust_ids = network_trust_ids(user)
    # The ids as one parameter (`network.base.lookups`): a network's hundred trusts.
    return people.filter(Q(academy__trust_id__in_ids=trust_ids) | Q(academy__isnull=True, trust_id__in_ids=trust_ids))


def scope_key(user) -> tuple:
    """Everything besides the records that `scoped(user, …)` depends on, as a key: a
    value read through the user's own scope may be remembered under it
    (network.base.remembered) and is never another reader's. The login's own fields
    that `scoped` reads are named here, whether or not a change to them moves a
    generation on (a login is a counted record only since 05/12/2026, and a key that
    names them does not depend on it); the rest (a leader's academy, an executive's
    trusts) follows from the records, and is named where it costs nothing.
    Beside `scoped` so the two change together."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ("nobody",)
    if user.is_coordinator:
        return ("everything",)
    # str(): a role set in memory (Role.LEADER) keys the same as one read from the database.
    return ("user", user.pk, str(user.role), user.person_id, leader_academy_id(user))


def directory_reach(user) -> tuple:
    """Everything besides the records that `directory(user)` depends on, as a key: a
    figure of the directory (its count) may be remembered under it and shared by
    everyone who reaches the same people. Beside `directory` so the two change together."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ("nobody",)
    if user.is_coordinator:
        return ("every network",)
    return ("trusts", *sorted(network_trust_ids(user)))
