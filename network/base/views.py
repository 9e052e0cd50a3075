from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from network.base import services
from network.base.forms import AcceptInvitationForm, InvitationForm
from network.base.models import Invitation
from network.base.personal_data import personal_data_for
from network.base.privacy import retention
from network.base.privacy.views import export_response
from network.base.ratelimit import rate_limited
from network.base.web import form_errors, permission_required

PAGE_SIZE = 25


@rate_limited("invitation_accept", key=lambda request, token: Invitation.digest(token))
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
            return redirect("network:home")
    return render(request, "network/invitation_accept.html", {"form": form, "invitation": invitation})


@permission_required("network.invite_people")
@rate_limited("invitation_create")
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
            form_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("network:invitation_create")
    return render(request, "network/invitation_create.html", {"form": form})


@login_required
@require_GET
def my_data(request):
    """Everything the portal holds about the signed-in person, as a page and as a JSON
    download (UK GDPR right of access)."""
    if not request.user.is_active:
        raise PermissionDenied
    return export_response(request, personal_data_for(request.user), template="network/my_data.html")


@require_GET
def privacy(request):
    """The privacy notice, written from the retention configuration (network/base/privacy/retention.py):
    what is kept, why, for how long, who sees it. Public: people read it before signing in."""
    return render(
        request,
        "network/privacy.html",
        {"rules": retention.rules(), "contact": settings.PRIVACY_CONTACT},
    )


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


# -- Speed (issue 14): the benchmark's floor ------------------------------------------
@never_cache
@require_GET
@login_required
def healthz_session(request):
    """The floor of a signed-in page: the session and the user are loaded (by the
    middleware and `login_required`), nothing else; a few bytes, no template. The
    benchmark (bench/http.py) divides every page's CPU cost by this one's."""
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")
