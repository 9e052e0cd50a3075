"""Science leaders' event pages: browse, book, cancel, waitlist, offers, approvals and
booking on behalf. Thin: parse, call a selector or a service, render. Every state
change is a POST with CSRF; anything out of the user's scope is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from events import booking_rows, event_rows, selectors
from events.filters import EventFilter
from events.forms import BookingForm, BookOnBehalfForm
from events.models import Booking
from events.services import booking as bookings
from events.services import notifications, overlaps
from network.base import remembered
from network.base.ratelimit import rate_limited
from network.base.rules import has
from network.base.web import permission_required
from network.programme.selectors import hub_choice_rows, hub_choices

PAGE_SIZE = 20
BOOKED_PAGE_SIZE = 50  # the coordinator's list of who is booked, on the event page
PEOPLE_SHOWN = 50  # on the book-on-behalf page; the search box finds the rest


def _problem(error: ValidationError) -> str:
    return " ".join(error.messages)


def _back(request, default: str):
    target = request.POST.get("next") or ""
    # A path of this site only. Not `redirect(target)`: it would read "home" (or "²") as
    # the name of a view, and a name that is none is a 500.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(default)


def _say_booked(request, booking: Booking, *, name: str = "You are") -> None:
    title = booking.event.title
    if booking.status == Booking.Status.CONFIRMED:
        messages.success(request, f"{name} booked on “{title}”. A confirmation email is on its way.")
    elif booking.status == Booking.Status.WAITLISTED:
        messages.info(
            request,
            f"{name} on the waitlist for “{title}”. {booking.status_reason} We will email as soon as a place comes up.",
        )
    elif booking.status == Booking.Status.PENDING_APPROVAL:
        messages.info(
            request,
            f"The request for “{title}” has gone to the academy's head of science or headteacher for approval.",
        )
    elif booking.status == Booking.Status.OFFERED:
        messages.info(request, f"A place on “{title}” is on offer: please confirm it on your bookings page.")


@login_required
def event_list(request):
    user = request.user
    # Read only if "only events for my role" is ticked (its audience filter needs them).
    person = SimpleLazyObject(lambda: user.person) if user.person_id else None
    filterset = EventFilter(
        request.GET or None,
        queryset=selectors.upcoming_events(user),
        hubs=hub_choices(user),
        hub_rows=hub_choice_rows(user),
        person=person,
    )
    valid = filterset.is_bound and filterset.is_valid()
    events = filterset.qs if valid else filterset.queryset
    chosen = filterset.form.cleaned_data if valid else {}
    page = selectors.upcoming_page(user, events, request.GET.get("page"), size=PAGE_SIZE, chosen=chosen)
    page.object_list = event_rows.with_rows(user, selectors.add_booking_figures(user, list(page.object_list)))
    return render(
        request,
        "events/event_list.html",
        {"page": page, "filter": filterset},
    )


@login_required
def event_detail(request, pk):
    page = selectors.event_detail(request.user, pk)
    return render(request, "events/event_detail.html", _detail_context(request, page))


def _detail_context(request, page, form=None):
    booked = None
    if page.booked is not None:
        # The same for every coordinator (the only readers the rule lets see it), and
        # changed only by a booking, which moves the records' generation on: remembered
        # under it, as its rows written. Fifty rows joined across six tables were over
        # half of the coordinator's event page (speed, issue 14).
        sessions = bool(page.sessions)
        booked = remembered.remember_page(
            "booked-on",
            (page.event.pk, sessions),
            page.booked,
            request.GET.get("booked_page"),
            size=BOOKED_PAGE_SIZE,
            prepare=lambda bookings: booking_rows.booked_rows(bookings, sessions=sessions),
        )
    actions = ""
    if page.booking is not None:  # the reader's own booking's buttons, as My bookings writes them
        next_url = reverse("events:event_detail", args=[page.event.pk])
        actions = booking_rows.Actions(csrf_token=get_token(request), next_url=next_url, now=timezone.now())
        actions = actions(page.booking, for_other=False)
    return {
        "page": page,
        "event": page.event,
        "booking": page.booking,
        "booking_actions": actions,
        "form": form or BookingForm(sessions=page.sessions),
        "overlap_warning": overlaps.warning(page.overlaps) if page.overlaps else "",
        "booked": booked,
    }


@login_required
@require_POST
@rate_limited("booking_create")
def event_book(request, pk):
    """Book the signed-in person. A double click books once (the service returns the
    live booking); a full event puts them on the waitlist, which the page offered."""
    page = selectors.event_detail(request.user, pk)
    if not request.user.person_id:
        messages.error(
            request, "Your login is not linked to a person record, so it cannot book. Please ask your coordinator."
        )
        return redirect("events:event_detail", pk=pk)
    form = BookingForm(request.POST, sessions=page.sessions)
    if not form.is_valid():
        return render(request, "events/event_detail.html", _detail_context(request, page, form), status=400)
    if page.overlaps and not page.problem and not request.POST.get("overlap_ok"):
        # The clash appeared after the page was drawn (the page warns before the first
        # click otherwise): show it, and let them choose to book anyway.
        messages.warning(request, overlaps.warning(page.overlaps) + " Book anyway only if you mean to go to both.")
        return redirect("events:event_detail", pk=pk)
    try:
        booking = bookings.booking_create(
            event=page.event, person=request.user.person, by=request.user, session=form.cleaned_data.get("session")
        )
    except ValidationError as error:
        messages.error(request, _problem(error))
    else:
        _say_booked(request, booking)
    return redirect("events:event_detail", pk=pk)


@permission_required("events.book_on_behalf")
@rate_limited("booking_create")
def book_on_behalf(request, pk):
    """A coordinator or a trust science lead books someone in their scope; the booking
    records who made it. The search box (`q`, a GET) narrows the people listed to
    PEOPLE_SHOWN; the booking form posts back to the same address, search included."""
    page = selectors.event_detail(request.user, pk)
    query = request.GET.get("q", "").strip()[:100]
    shown, more = selectors.people_matching(request.user, query, limit=PEOPLE_SHOWN)
    form = BookOnBehalfForm(
        request.POST or None,
        sessions=page.sessions,
        people=selectors.people_bookable_by(request.user),
        shown=shown,
        full_trust_ids=selectors.trusts_at_cap(page.event),
    )
    overlap_warning = ""
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        clashes = overlaps.overlapping_bookings(person=person, event=page.event)
        if clashes and overlaps.policy(page.event) == overlaps.WARN and not request.POST.get("overlap_ok"):
            overlap_warning = overlaps.warning(clashes, whose=f"{person.full_name}'s")
        else:
            try:
                booking = bookings.booking_create(
                    event=page.event, person=person, by=request.user, session=form.cleaned_data.get("session")
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _say_booked(request, booking, name=f"{person.full_name} is")
                url = reverse("events:book_on_behalf", args=[pk])
                return redirect(f"{url}?{urlencode({'q': query})}" if query else url)
    return render(
        request,
        "events/book_on_behalf.html",
        {
            "event": page.event,
            "page": page,
            "form": form,
            "q": query,
            "shown": shown,
            "more": more,
            "limit": PEOPLE_SHOWN,
            "overlap_warning": overlap_warning,
        },
    )


@login_required
def my_bookings(request):
    """The person's own bookings and, for those who book on behalf, the bookings they made
    for others (each list paginated on its own)."""
    now = timezone.now()  # one moment for both lists and for how long the past one holds
    upcoming_bookings, past = selectors.my_bookings(request.user, now)
    # The person's upcoming bookings (a waitlist position on each), remembered for them
    # under the records' generation, which any booking moves on, until the first of
    # them ends and leaves the list. The buttons are written for each request.
    upcoming = remembered.remember(
        "upcoming-bookings",
        ("person", request.user.person_id),
        lambda: list(upcoming_bookings),
        fresh=lambda kept: all(now < booking.event.ends_at for booking in kept),
    )
    # The person's own past bookings, with their rows, remembered for them under the
    # records' generation until the next of their booked events ends (and joins the list).
    past_page = remembered.remember_page(
        "past-bookings",
        ("person", request.user.person_id),
        past,
        request.GET.get("page"),
        size=PAGE_SIZE,
        prepare=booking_rows.with_past_rows,
        until=lambda _past: selectors.next_booking_end(request.user, now),
    )
    # The buttons are written in Python with the rows: CSRF field and URLs once a page.
    actions = booking_rows.Actions(csrf_token=get_token(request), next_url=reverse("events:my_bookings"), now=now)
    made_page = None
    made_q = request.GET.get("made_q", "").strip()[:100]
    if has(request.user, "events.book_on_behalf"):
        made_page = selectors.made_for_others_page(request.user, made_q, request.GET.get("made_page"), size=PAGE_SIZE)
        made_page.object_list = booking_rows.with_upcoming_rows(made_page.object_list, actions, for_others=True)
    return render(
        request,
        "events/my_bookings.html",
        {
            "upcoming": booking_rows.with_upcoming_rows(upcoming, actions),
            "page": past_page,
            "made": made_page,
            "made_q": made_q,
            "has_person": bool(request.user.person_id),
        },
    )


def _whose(request, booking: Booking) -> str:
    """ "Your", or the person's name when someone manages a booking they made for them."""
    return "Your" if booking.person_id == request.user.person_id else f"{booking.person.full_name}'s"


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


@login_required
def booking_cancel(request, pk):
    """Cancel a booking the user may change (their own, or one they manage); any other
    is 404. It cannot be undone (the place goes to the waitlist, a waitlist position is
    lost), so it asks first: a GET, or a POST without `confirm=yes`, shows what will
    happen and a button that confirms. No JavaScript needed."""
    booking = selectors.booking_for_change(request.user, pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            booking = bookings.booking_cancel(booking=booking, by=request.user)
        except ValidationError as error:
            messages.error(request, _problem(error))
        else:
            messages.success(request, f"{_whose(request, booking)} booking for “{booking.event.title}” is cancelled.")
        return _back(request, "events:my_bookings")
    return render(
        request,
        "events/booking_cancel.html",
        {
            "booking": booking,
            "next": _safe_next(request, "events:my_bookings"),
            "for_other": booking.person_id != request.user.person_id,
            "may_cancel": has(request.user, "events.cancel_booking_now", booking),
            "waitlist_position": selectors.waitlist_position(booking),
        },
    )


@login_required
@require_POST
def booking_confirm(request, pk):
    """Accept an offered place."""
    booking = selectors.booking_for_change(request.user, pk)
    try:
        booking = bookings.booking_confirm_offer(booking=booking, by=request.user)
    except ValidationError as error:
        messages.error(request, _problem(error))
    else:
        messages.success(request, f"{_whose(request, booking)} place on “{booking.event.title}” is confirmed.")
    return _back(request, "events:my_bookings")


@permission_required("events.open_approvals")
def approvals(request):
    """Heads of science and headteachers approve or decline their academy's requests."""
    pending = selectors.pending_approvals(request.user)
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/approvals.html", {"page": page})


def _decide(request, pk, decide, done: str):
    booking = selectors.pending_approvals(request.user).filter(pk=pk).first()
    if booking is None:
        raise Http404
    try:
        booking = decide(booking=booking, by=request.user)
    except ValidationError as error:
        messages.error(request, _problem(error))
    else:
        messages.success(request, f"{done}: {booking.person.full_name}, “{booking.event.title}”.")
    return redirect("events:approvals")


@login_required
@require_POST
@permission_required("events.open_approvals")
def booking_approve(request, pk):
    return _decide(request, pk, bookings.booking_approve, "Approved")


@login_required
@require_POST
@permission_required("events.open_approvals")
def booking_decline(request, pk):
    return _decide(request, pk, bookings.booking_decline, "Declined")


def approval_by_link(request, token):
    """The emailed link: a head of science or headteacher without a login approves or
    declines one request. The signed token names the booking and the approver."""
    found = notifications.approval_from_token(token)
    if found is None:
        return render(request, "events/approval_link_invalid.html", status=410)
    booking, approver = found
    if request.method == "POST":
        action = request.POST.get("action")
        decide = {"approve": bookings.booking_approve, "decline": bookings.booking_decline}.get(action)
        if decide is None:
            return render(request, "events/approval_link.html", {"booking": booking, "approver": approver}, status=400)
        # The link is the credential and names who decides: whoever happens to be signed
        # in (a forwarded email, a shared computer) is not credited. The approver is
        # recorded in the change reason.
        try:
            booking = decide(booking=booking, by=None, approver=approver)
        except ValidationError as error:
            messages.error(request, _problem(error))
        return redirect("events:approval_by_link", token=token)
    return render(request, "events/approval_link.html", {"booking": booking, "approver": approver})
