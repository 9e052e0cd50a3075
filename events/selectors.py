"""Reads for the events pages, always through the access door, with the joins and
aggregates a page needs so each page costs a fixed number of queries however many rows
it shows. The joining link leaves this module only for confirmed attendees: templates
show it through `EventPage.show_joining_link`, and the detail page's event has it blanked
otherwise."""

from dataclasses import dataclass

from django.db.models import CharField, Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from events.eligibility import audience_problem, window_problem
from events.models import Booking, Event, Session
from events.rules import is_approver, is_trust_science_lead, person_trust_id
from network.base import access
from network.base.inputs import parse_int
from network.base.rules import has
from trusts.models import Person


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


def _my_status(user) -> Subquery | Value:
    """The signed-in person's live booking status for each event (or None)."""
    if not user.person_id:
        return Value(None, output_field=CharField())
    mine = Booking.objects.filter(event=OuterRef("pk"), person_id=user.person_id, status__in=Booking.LIVE)
    return Subquery(mine.values("status")[:1])


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


def upcoming_events(user) -> QuerySet:
    """Scheduled events that have not ended, soonest first, with places left and the
    user's own booking status."""
    events = access.scoped(user, Event).filter(status=Event.Status.SCHEDULED, ends_at__gt=timezone.now())
    return (
        _with_places(events).annotate(my_status=_my_status(user)).select_related("network", "hub").order_by("starts_at")
    )


@dataclass
class EventPage:
    event: Event
    booking: Booking | None  # the signed-in person's live booking
    sessions: list
    show_joining_link: bool
    is_open: bool
    problem: str | None  # why it cannot be booked (window or audience), if it cannot


def event_detail(user, pk: int) -> EventPage:
    sessions = Session.objects.annotate(
        taken=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDS_PLACE))
    ).order_by("starts_at", "title")
    event = access.get_scoped_or_404(
        user,
        _with_places(access.scoped(user, Event))
        .select_related("network", "hub")
        .prefetch_related(Prefetch("sessions", queryset=sessions, to_attr="session_list")),
        pk=pk,
    )
    for session in event.session_list:
        session.places_left = max(0, session.capacity - session.taken)
    booking = None
    person = user.person if user.person_id else None
    if person:
        booking = (
            Booking.objects.filter(event=event, person=person, status__in=Booking.LIVE)
            .select_related("session")
            .first()
        )
    problem = window_problem(event=event)
    if problem is None and person is not None:
        problem = audience_problem(event=event, person=person)
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


def my_bookings(user) -> tuple[QuerySet, QuerySet]:
    """The signed-in person's bookings: (upcoming, past). Upcoming are those whose event
    has not ended, soonest first; past are the rest, most recent first."""
    if not user.person_id:
        empty = Booking.objects.none()
        return empty, empty
    bookings = (
        access.scoped(user, Booking)
        .filter(person_id=user.person_id)
        .select_related("event__network", "event__hub", "session", "booked_by")
        .annotate(waitlist_position=_waitlist_position())
    )
    now = timezone.now()
    upcoming = bookings.filter(event__ends_at__gt=now).order_by("event__starts_at", "created_at")
    # Past bookings show whether the person attended, so the hours credited are the true ones.
    past = (
        bookings.filter(event__ends_at__lte=now)
        .select_related("attendance")
        .order_by("-event__starts_at", "-created_at")
    )
    return upcoming, past


def upcoming_bookings_for_home(user, *, limit: int = 5) -> list[Booking]:
    """The home page's short list: title, date and status only. Not `my_bookings`, whose
    waitlist position (a subquery per row) and wide joins the home page never shows: they
    were about half of a leader home's cost (issue 14)."""
    if not user.person_id:
        return []
    return list(
        access.scoped(user, Booking)
        .filter(person_id=user.person_id, status__in=Booking.LIVE, event__ends_at__gt=timezone.now())
        .select_related("event")
        .only("status", "event", "event__title", "event__starts_at")
        .order_by("event__starts_at", "created_at")[:limit]
    )


def pending_approvals(user) -> QuerySet:
    """Requests awaiting approval that `user` may decide: a coordinator sees all; a head
    of science or headteacher those from their academy (not their own)."""
    pending = access.scoped(user, Booking).filter(status=Booking.Status.PENDING_APPROVAL)
    if not user.is_coordinator:
        if not is_approver(user):
            return Booking.objects.none()
        pending = pending.filter(person__academy_id=user.person.academy_id).exclude(person_id=user.person_id)
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


def bookings_made_for_others(user) -> QuerySet:
    """Bookings for events that have not ended which `user` made for other people, soonest
    first, so a coordinator or trust science lead can follow and manage them from My
    bookings (empty for anyone who cannot book on behalf)."""
    if not has(user, "events.book_on_behalf"):
        return Booking.objects.none()
    made = bookings_changeable_by(user).filter(booked_by=user, event__ends_at__gt=timezone.now())
    if user.person_id:
        made = made.exclude(person_id=user.person_id)
    return made.select_related("event", "session", "person__academy", "person__trust").order_by(
        "event__starts_at", "person__last_name", "person__first_name", "pk"
    )


def booking_for_change(user, pk: int) -> Booking:
    """A booking the user may cancel or confirm (`bookings_changeable_by`); any other is
    404, whether or not the user may see it."""
    return get_object_or_404(bookings_changeable_by(user).select_related("event", "person__academy", "session"), pk=pk)
