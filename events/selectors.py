"""Reads for the events pages, always through the access door, with the joins and
aggregates a page needs so each page costs a fixed number of queries however many rows
it shows. The joining link leaves this module only for confirmed attendees: templates
show it through `EventPage.show_joining_link`, and the detail page's event has it blanked
otherwise."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from events.eligibility import audience_problem, window_problem
from events.models import Booking, Event, Session
from events.rules import is_approver, is_trust_science_lead, person_trust_id
from events.services import overlaps
from events.services.overlaps import BOOKING_FIELDS
from events.services.places import credited_to
from network.base import access, remembered
from network.base.inputs import parse_int
from network.base.rules import has
from trusts.models import Person, Trust


def _with_places(events: QuerySet) -> QuerySet:
    """Annotate `taken` (confirmed and offered places) and `places_left`."""
    taken = (
        Booking.objects.filter(event=OuterRef("pk"), status__in=Booking.HOLDS_PLACE)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return events.annotate(taken=Coalesce(Subquery(taken, output_field=IntegerField()), 0)).annotate(
        places_left=Greatest(F("capacity") - F("taken"), Value(0))
    )


def for_person_q(person: Person | None) -> Q:
    """Events meant for `person`: no audience set, or their role and phase listed. The
    lists are JSON arrays; matching the quoted value works on SQLite and PostgreSQL."""
    if person is None:
        return Q()
    condition = Q(audience_roles=[]) | Q(audience_roles__icontains=f'"{person.job_role}"')
    phase = person.academy.phase if person.academy_id else None
    if phase:
        condition &= Q(audience_phases=[]) | Q(audience_phases__icontains=f'"{phase}"')
    else:
        condition &= Q(audience_phases=[])
    return condition


EVENT_FIELDS = tuple(field.name for field in Event._meta.concrete_fields)
HUB_COLUMNS = ("hub__name", "hub__lead", "hub__deputy_lead")

# The columns the event list shows (events/event_list.html): an event's description,
# audience lists and joining link are most of its row, and the list shows none of them.
LISTED = ("title", "kind", "starts_at", "is_online", "venue", "cpd_hours", "capacity", "per_trust_cap")
LISTED += ("needs_approval", "hub__name")


def upcoming_events(user) -> QuerySet:
    """Scheduled events that have not ended, soonest first, with only the columns the
    event list shows. The booking figures of the rows a page shows are added by
    `add_booking_figures`."""
    events = access.scoped(user, Event).filter(status=Event.Status.SCHEDULED, ends_at__gt=timezone.now())
    return events.select_related("hub").only(*LISTED).order_by("starts_at")


KEPT_FILTERS = {"kind", "hub"}  # each a short list of values


def upcoming_page(user, events: QuerySet, number, *, size: int, chosen: dict) -> Page:
    """Page `number` of `events` (`upcoming_events`, filtered by the list's `chosen`
    filter values), as Django's Paginator gives it.

    For everyone the door shows every event (all but the steering group), the list is
    the same, so its count and rows are remembered (`remembered.remember_page`) under
    the records' generation (a new, changed or cancelled event moves it on) and the
    chosen filters, until the first of the events it counts ends (it then leaves the
    list). "Only events for my role" depends on the reader, and any date makes a list
    of its own: those lists are read each time, as is a reader's own booking on each row
    (`add_booking_figures`)."""
    chosen = {name: value for name, value in chosen.items() if value not in (None, "", False)}
    if set(chosen) - KEPT_FILTERS or not access.sees_every(user, Event):
        return Paginator(events, size).get_page(number)
    filters = tuple(sorted((name, str(getattr(value, "pk", value))) for name, value in chosen.items()))
    return remembered.remember_page(
        "event-list",
        filters,
        events,
        number,
        size=size,
        until=lambda kept: kept.order_by().aggregate(Min("ends_at"))["ends_at__min"],
    )


def add_booking_figures(user, events: list[Event]) -> list[Event]:
    """Set on each of `events` (one page's rows) `taken` (confirmed and offered places),
    `places_left`, `my_status` (the signed-in person's live booking, or None) and
    `my_trust_taken` (the places their trust holds, None without a trust, so a per-trust
    cap shows before they click "Book"), from one grouped query over those events'
    bookings. Three correlated subqueries on the list's query cost more to build and
    compile than the rest of the page's queries (speed, issue 14); the figures are
    remembered for the reader, as their list's rows are. The counts are of
    places, not people: no one's booking is shown. The trust is their academy's (or
    their own) today, which is the one a booking would be credited to; the event page
    asks `events.services.places.credited_to` itself."""
    if not events:
        return events
    # The trust a booking made now would be credited to (`credited_to`): the person's
    # academy's, or their own; read with the door's person, not an executive's trusts.
    trust_id = person_trust_id(access.own_person(user)) if user.person_id else None
    holds = Q(status__in=Booking.HOLDS_PLACE)
    figures = {"taken": Count("pk", filter=holds)}
    if user.person_id:
        figures["mine"] = Max("status", filter=Q(person_id=user.person_id, status__in=Booking.LIVE))
    if trust_id:
        figures["trust"] = Count("pk", filter=holds & Q(trust_at_booking_id=trust_id))
    pks = tuple(event.pk for event in events)
    # Remembered for this reader (their person and trust name their figures) and these
    # events, under the records' generation, which any booking moves on.
    rows = remembered.remember(
        "booking-figures",
        (user.person_id, trust_id, pks),
        lambda: {
            row["event"]: row
            for row in Booking.objects.filter(event__in=pks).values("event").annotate(**figures).order_by()
        },
    )
    for event in events:
        row = rows.get(event.pk, {})
        event.taken = row.get("taken", 0)
        event.places_left = max(0, event.capacity - event.taken)
        event.my_status = row.get("mine")
        event.my_trust_taken = row.get("trust", 0) if trust_id else None
    return events


@dataclass
class TrustPlaces:
    """The places the booking person's trust may still take under the event's per-trust
    cap: the event's own "places left" can be more than their trust can have."""

    trust: Trust
    cap: int
    held: int

    @property
    def left(self) -> int:
        return max(0, self.cap - self.held)


@dataclass
class EventPage:
    event: Event
    booking: Booking | None  # the signed-in person's live booking
    sessions: list
    show_joining_link: bool
    is_open: bool
    problem: str | None  # why it cannot be booked (window, audience, a refused clash), if it cannot
    overlaps: list = field(default_factory=list)  # the person's live bookings that clash in time
    trust_places: TrustPlaces | None = None  # under a per-trust cap, what their trust has left
    booked: QuerySet | None = None  # who is booked (for a coordinator)

    @property
    def joins_waitlist(self) -> bool:
        """Whether booking now would put the person on the waitlist: the event is full,
        or their trust already holds all the places it may."""
        return not self.event.places_left or (self.trust_places is not None and self.trust_places.left == 0)


def trust_places(*, event: Event, person: Person | None) -> TrustPlaces | None:
    """Under a per-trust cap, how many places the trust `person`'s booking would be
    credited to holds (one query; None without a cap or a trust)."""
    if person is None or event.per_trust_cap is None:
        return None
    _, trust = credited_to(person)
    if trust is None:
        return None
    held = Booking.objects.filter(event=event, status__in=Booking.HOLDS_PLACE, trust_at_booking=trust).count()
    return TrustPlaces(trust=trust, cap=event.per_trust_cap, held=held)


def trusts_at_cap(event: Event) -> set[int]:
    """The trusts holding every place the event's per-trust cap allows (one query; empty
    without a cap): their people would join the waitlist."""
    if event.per_trust_cap is None:
        return set()
    held = (
        Booking.objects.filter(event=event, status__in=Booking.HOLDS_PLACE, trust_at_booking__isnull=False)
        .values("trust_at_booking")
        .annotate(n=Count("pk"))
        .filter(n__gte=event.per_trust_cap)
    )
    return set(held.values_list("trust_at_booking", flat=True))


BOOKED_COLUMNS = (
    "status",
    "created_at",
    "person__first_name",
    "person__last_name",
    "person__email",
    "academy_at_booking__name",
    "trust_at_booking__name",
    "session__title",
    "booked_by__full_name",
    "booked_by__email",
    "booked_by__person_id",
)


def booked_on(event: Event) -> QuerySet:
    """Who is booked on `event`, for its coordinators: live bookings (confirmed and
    offered places, then the waitlist in its order, then requests awaiting approval)."""
    order = Case(
        When(status=Booking.Status.CONFIRMED, then=Value(0)),
        When(status=Booking.Status.OFFERED, then=Value(1)),
        When(status=Booking.Status.WAITLISTED, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return (
        Booking.objects.filter(event=event, status__in=Booking.LIVE)
        .select_related("person", "academy_at_booking", "trust_at_booking", "session", "booked_by")
        # Only what the event page's "Who is booked" table shows (events/event_detail.html).
        .only(*BOOKED_COLUMNS)
        .annotate(status_order=order)
        .order_by("status_order", "created_at", "pk")
    )


def event_facts(pk: int) -> Event:
    """The event as its page shows it, to everyone: its places taken and left, its
    network and hub (what the page, the overlap policy and the rules read of them) and
    its sessions with their places, as `session_list`; Http404 if there is no such event
    (nothing is kept for an id that names none).

    The same for every reader, and changed only by a write to an event, a session or a
    booking, each of which moves the records' generation on: so it is remembered under
    it (`network.base.remembered`). Two queries on every event page were two fifths of
    its cost (speed, issue 14). Who may open it is the door's question, asked by
    `event_detail` every time."""

    def read():
        sessions = Session.objects.annotate(
            taken=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDS_PLACE))
        ).order_by("starts_at", "title")
        event = (
            _with_places(Event.objects.filter(pk=pk))
            .select_related("network", "hub")
            .only(*EVENT_FIELDS, "network__name", "network__overlapping_bookings", *HUB_COLUMNS)
            .prefetch_related(Prefetch("sessions", queryset=sessions, to_attr="session_list"))
            .first()
        )
        if event is None:
            raise Http404("No such event.")  # before anything is kept: ids nobody has are not
        for session in event.session_list:
            session.places_left = max(0, session.capacity - session.taken)
        return event

    return remembered.remember("event-page", (pk,), read)


def event_detail(user, pk: int) -> EventPage:
    event = event_facts(pk)
    # The door decides who may open it: everyone but the steering group sees every
    # event (no query); for them, whether this one is theirs to see.
    if not (access.sees_every(user, Event) or access.scoped(user, Event).filter(pk=event.pk).exists()):
        raise Http404("No such event.")
    # The door's read of the user's person (id, academy, trust, job role), which the
    # page's rules read anyway: the whole row was a query of its own (speed, issue 14).
    person = access.own_person(user)
    booking, clashes = overlaps.own_booking_and_clashes(person=person, event=event)
    if booking:
        clashes = []  # shown only to someone who has not booked
    problem = window_problem(event=event)
    if problem is None and person is not None:
        problem = audience_problem(event=event, person=person) or overlaps.refusal(
            person=person, event=event, clashes=clashes
        )
    show_joining_link = bool(booking and booking.is_confirmed and event.joining_link)
    if not show_joining_link:
        event.joining_link = ""  # this instance is for display only; never saved
    return EventPage(
        event=event,
        booking=booking,
        sessions=event.session_list,
        show_joining_link=show_joining_link,
        is_open=event.is_open_for_booking(),
        problem=problem,
        overlaps=clashes,
        trust_places=trust_places(event=event, person=person) if not booking else None,
        booked=booked_on(event) if has(user, "events.list_bookings", event) else None,
    )


def _waitlist_position() -> Subquery:
    ahead = (
        Booking.objects.filter(event=OuterRef("event"), status=Booking.Status.WAITLISTED)
        .filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lte=OuterRef("pk")))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(ahead, output_field=IntegerField())


def waitlist_position(booking: Booking) -> int | None:
    """Where a waitlisted booking stands in its queue (1 = next), or None."""
    if booking.status != Booking.Status.WAITLISTED:
        return None
    return (
        Booking.objects.filter(event_id=booking.event_id, status=Booking.Status.WAITLISTED)
        .filter(Q(created_at__lt=booking.created_at) | Q(created_at=booking.created_at, pk__lte=booking.pk))
        .count()
    )


# What the upcoming table and its actions read of the event, the session and whoever
# booked (events/my_bookings.html, events/booking_rows.py's buttons): the three
# whole rows were two fifths of the page's query building (speed, issue 14).
UPCOMING_COLUMNS = ("event__title", "event__starts_at", "event__ends_at", "event__status", "event__is_online")
UPCOMING_COLUMNS += ("event__joining_link", "event__cancel_until_hours", "session__title", "session__starts_at")
UPCOMING_COLUMNS += ("booked_by__full_name", "booked_by__email", "booked_by__person")


def my_bookings(user, now=None) -> tuple[QuerySet, QuerySet]:
    """The signed-in person's bookings: (upcoming, past). Upcoming are those whose event
    has not ended at `now` (this moment by default), soonest first; past are the rest,
    most recent first."""
    if not user.person_id:
        empty = Booking.objects.none()
        return empty, empty
    bookings = access.own(user, Booking)
    now = now or timezone.now()
    # Each list joins only what its table shows: every extra join (the event's network
    # and hub, which neither shows) cost PostgreSQL milliseconds of planning (issue 14).
    upcoming = (
        bookings.filter(event__ends_at__gt=now)
        .select_related("event", "session", "booked_by")
        .only(*BOOKING_FIELDS, *UPCOMING_COLUMNS)
        .annotate(waitlist_position=_waitlist_position())
        .order_by("event__starts_at", "created_at")
    )
    # Past bookings show whether the person attended, so the hours credited are the true ones.
    past = (
        bookings.filter(event__ends_at__lte=now)
        .select_related("event", "attendance")
        .only(
            "status",
            "event__title",
            "event__starts_at",
            "event__cpd_hours",
            "attendance__booking",
            "attendance__attended",
        )
        .order_by("-event__starts_at", "-created_at")
    )
    return upcoming, past


def next_booking_end(user, now):
    """When the next of the person's booked events ends after `now` (None if none is to
    come): their past bookings at `now` are the same list until then."""
    if not user.person_id:
        return None
    ahead = access.own(user, Booking).filter(event__ends_at__gt=now)
    return ahead.aggregate(Min("event__ends_at"))["event__ends_at__min"]


def home_bookings(user, *, limit: int = 5, approvals: bool = False) -> dict:
    """The home page's panel: the user's next live bookings (`bookings`: event id,
    title, date and status only, as plain values) and, with `approvals` (for someone who
    may approve), how many requests wait for them (`waiting`, `pending_approvals`).

    Not `my_bookings`, whose waitlist position (a subquery per row) and wide joins the
    home page never shows: they were about half of a leader home's cost. And two
    queries that every reader of a home page asks for while the records rarely change:
    so remembered under the records' generation (network.base.remembered) and the
    user's own scope, until a booking of the list ends (issue 14)."""

    def read():
        return {
            "bookings": _upcoming_for_home(user, limit) if user.person_id else [],
            "waiting": pending_approvals(user).count() if approvals else 0,
        }

    now = timezone.now()
    return remembered.remember(
        "home-bookings",
        (access.scope_key(user), user.person_id, approvals, limit),
        read,
        fresh=lambda kept: all(booking["ends_at"] > now for booking in kept["bookings"]),
    )


def _upcoming_for_home(user, limit: int) -> list[dict]:
    return list(
        access.scoped(user, Booking)
        .filter(person_id=user.person_id, status__in=Booking.LIVE, event__ends_at__gt=timezone.now())
        .order_by("event__starts_at", "created_at")
        .values(
            "event_id", "status", title=F("event__title"), starts_at=F("event__starts_at"), ends_at=F("event__ends_at")
        )[:limit]
    )


def pending_approvals(user) -> QuerySet:
    """Requests awaiting approval that `user` may decide: a coordinator sees all; a head
    of science or headteacher those from their academy (not their own)."""
    pending = access.scoped(user, Booking).filter(status=Booking.Status.PENDING_APPROVAL)
    if not user.is_coordinator:
        if not is_approver(user):
            return Booking.objects.none()
        pending = pending.filter(person__academy_id=access.own_person(user).academy_id).exclude(
            person_id=user.person_id
        )
    return pending.select_related("event", "person__academy", "session", "booked_by").order_by(
        "event__starts_at", "created_at"
    )


def people_bookable_by(user) -> QuerySet:
    """Whom `user` may book for: a coordinator anyone; a trust science lead the people
    of their trust (at its academies or trust-wide); others nobody."""
    people = Person.objects.select_related("academy").order_by("last_name", "first_name")
    if user.is_coordinator:
        return people
    if is_trust_science_lead(user):
        trust_id = person_trust_id(user.person)
        return people.filter(Q(academy__trust_id=trust_id) | Q(academy__isnull=True, trust_id=trust_id))
    return people.none()


def people_matching(user, query: str, *, limit: int) -> tuple[list[Person], bool]:
    """Up to `limit` people `user` may book for whose name, email or academy (name or
    URN) matches every word of `query`, by surname; and whether more match. An empty
    query lists the first `limit`. One query, however many people the network has."""
    people = people_bookable_by(user)
    for word in query.split():
        match = (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(academy__name__icontains=word)
        )
        urn = parse_int(word)
        if urn is not None:
            match |= Q(academy__urn=urn)
        people = people.filter(match)
    found = list(people.order_by("last_name", "first_name", "pk")[: limit + 1])
    return found[:limit], len(found) > limit


def bookings_changeable_by(user) -> QuerySet:
    """Bookings `user` may cancel or whose offer they may confirm: the rule
    `events.cancel_booking` (`events.rules.may_change`) as a queryset. Their own, those they made for someone, and, for
    a coordinator or a trust science lead, those of anyone they may book for.

    This is not the access door's Booking rule, on purpose: the door is about *seeing*
    (a head of science sees their academy's bookings to approve them, an executive their
    trust's), and it gives a trust science lead no path to the bookings they manage.
    Changing follows the rule in both directions, so a booking one may see but not
    change is 404 here, like one outside scope."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Booking.objects.none()
    if user.is_coordinator:
        return Booking.objects.all()
    condition = Q(booked_by=user)
    if user.person_id:
        condition |= Q(person_id=user.person_id)
    if is_trust_science_lead(user):
        condition |= Q(person__in=people_bookable_by(user).order_by().values("pk"))
    return Booking.objects.filter(condition)


def bookings_made_for_others(user, query: str = "") -> QuerySet:
    """Bookings for events that have not ended which `user` made for other people, soonest
    first, so a coordinator or trust science lead can follow and manage them from My
    bookings (empty for anyone who cannot book on behalf). `query` keeps those where
    every word matches the person's name, email or academy, or the event's title."""
    if not has(user, "events.book_on_behalf"):
        return Booking.objects.none()
    made = bookings_changeable_by(user).filter(booked_by=user, event__ends_at__gt=timezone.now())
    if user.person_id:
        made = made.exclude(person_id=user.person_id)
    for word in query.split()[:8]:
        made = made.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__email__icontains=word)
            | Q(person__academy__name__icontains=word)
            | Q(event__title__icontains=word)
        )
    # Only the columns the table and its buttons read (issue 14): every column of the
    # five-table join cost more to compile and load than the rows themselves.
    return (
        made.select_related("event", "session", "person__academy", "person__trust")
        .only(
            "status",
            "status_reason",
            "offer_expires_at",
            "event__title",
            "event__starts_at",
            "event__status",
            "event__cancel_until_hours",
            "session__title",
            "person__first_name",
            "person__last_name",
            "person__academy__name",
            "person__trust__name",
        )
        .order_by("event__starts_at", "person__last_name", "person__first_name", "pk")
    )


def made_for_others_page(user, query: str, number, *, size: int) -> Page:
    """Page `number` of `bookings_made_for_others(user, query)`. Without a search, the
    booker's list is remembered under the records' generation (any booking, cancellation
    or offer moves it on) until the first of its events ends and leaves it: a
    coordinator's is hundreds of bookings joined across six tables, sorted for a page of
    20, and was over half of My bookings' cost (speed, issue 14). A search makes a list
    of its own, read each time."""
    made = bookings_made_for_others(user, query)
    if query:
        return Paginator(made, size).get_page(number)
    return remembered.remember_page(
        "made-for-others",
        ("booker", user.pk, user.person_id),  # the list leaves out the booker's own bookings
        made,
        number,
        size=size,
        until=lambda made: made.order_by().aggregate(Min("event__ends_at"))["event__ends_at__min"],
    )


def booking_for_change(user, pk: int) -> Booking:
    """A booking the user may cancel or confirm (`bookings_changeable_by`); any other is
    404, whether or not the user may see it."""
    return get_object_or_404(bookings_changeable_by(user).select_related("event", "person__academy", "session"), pk=pk)
