import json

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from network import access, selectors, services
from network.forms import AcceptInvitationForm, DirectorySearchForm, InvitationForm
from network.membership.views import steering_home_context
from network.models import Role
from network.personal_data import personal_data_for

PAGE_SIZE = 25


def coordinator_required(view):
    """Coordinator pages answer 404 to everyone else, like any object out of scope."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_coordinator:
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@login_required
def home(request):
    user = request.user
    if user.is_coordinator:
        return render(request, "network/home_coordinator.html", selectors.coordinator_overview(user))
    if user.role == Role.TRUST_EXECUTIVE:
        return render(request, "network/home_executive.html", selectors.executive_overview(user))
    if user.role == Role.LEADER:
        return render(request, "network/home_leader.html", selectors.leader_overview(user))
    if user.role == Role.STEERING:
        return render(request, "network/home_steering.html", steering_home_context(user))
    return render(request, "network/home_visitor.html", {})


@login_required
def directory(request):
    user = request.user
    if not access.directory_is_open_to(user):
        # Say why, rather than an empty list that reads "nobody has shared yet".
        return render(request, "network/directory_unavailable.html")
    form = DirectorySearchForm(request.GET or None, hubs=selectors.hubs_for(user))
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.directory_people(
        user,
        q=(filters.get("q") or "").strip(),
        expertise=filters.get("expertise"),
        designation=filters.get("designation"),
        hub=filters.get("hub"),
        region=filters.get("region") or "",
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "network/directory.html", {"form": form, "page": page, "searched": bool(filters.get("q"))})


@login_required
def directory_person(request, pk):
    """One person's directory profile: only someone the directory shows this user
    (consented, in one of their networks); anyone else is 404."""
    return render(request, "network/directory_person.html", selectors.directory_profile(request.user, pk))


def invitation_accept(request, token):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "network/invitation_invalid.html", status=410)
    form = AcceptInvitationForm(
        request.POST or None, initial={"full_name": invitation.person.full_name if invitation.person else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token, password=form.cleaned_data["password1"], full_name=form.cleaned_data["full_name"]
            )
        except ValidationError as error:
            form.add_error("password1" if "password" in " ".join(error.messages).lower() else None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome! Your account is ready.")
            return redirect("home")
    return render(request, "network/invitation_accept.html", {"form": form, "invitation": invitation})


@coordinator_required
def invitation_create(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
                person=form.cleaned_data["person"],
                trusts=form.cleaned_data["trusts"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("invitation_create")
    return render(request, "network/invitation_create.html", {"form": form})


@login_required
@require_GET
def my_data(request):
    """Everything the portal holds about the signed-in person, as a JSON download
    (UK GDPR right of access)."""
    if not request.user.is_active:
        raise PermissionDenied
    payload = json.dumps(personal_data_for(request.user), indent=2, default=str)
    response = HttpResponse(payload, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@require_GET
def favicon(request):
    """Pages link their icon (static/img/favicon.svg); browsers and feed readers that ask
    for /favicon.ico anyway (a PDF, a 500 page) get the same icon, never a 404."""
    return redirect(static("img/favicon.ico"), permanent=True)


@never_cache
@require_GET
def healthz(request):
    """For the load balancer and `docker compose`: no login, "ok" once the database
    answers. A database that is down raises, so the answer is a 500."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")
