"""Connections and the contribution ledger. Privacy: no page shows a person's email or
phone number before they accept a request, and then only to the asker."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from network.base import access
from network.base.ratelimit import rate_limited
from network.base.web import permission_required, service_errors
from network.programme.connections import selectors, services
from network.programme.connections.forms import ConnectionRequestForm, PreferenceForm, ResponseForm
from network.programme.connections.models import ConnectionRequest
from network.programme.membership.models import year_start


@permission_required("network.ask_for_connection")
@rate_limited("connection_request")
def connection_request(request, pk):
    recipient = selectors.directory_person(request.user, pk)
    form = ConnectionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.connection_request(recipient=recipient, by=request.user, **form.cleaned_data)
        if not form.errors:
            messages.success(
                request, f"Your request is sent. If {recipient.first_name} accepts, you will see their contact details."
            )
            return redirect("network:my_connections")
    return render(
        request,
        "network/connections/request.html",
        {"recipient": recipient, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def connection_respond(request, token):
    """The emailed link: the person asked answers, signed in or not (the signed token
    names the request and the recipient)."""
    found = services.request_from_token(token)
    if found is None:
        return render(request, "network/connections/respond_invalid.html", status=410)
    form = ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.connection_respond(
            request=found,
            accept=data["decision"] == "accept",
            phone=data["phone"],
            reply=data["reply"],
            pause=data["pause"],
        )
        messages.success(request, "Thank you: your answer is sent.")
        return redirect("network:connection_respond", token=token)
    return render(request, "network/connections/respond.html", {"connection": found, "form": form})


@permission_required("network.open_connections")
def my_connections(request):
    return render(
        request,
        "network/connections/mine.html",
        {"sent": selectors.sent_by(request.user), "received": selectors.received_by(request.user)},
    )


@permission_required("network.open_connections")
@require_POST
def connection_withdraw(request, pk):
    connection = access.get_scoped_or_404(request.user, ConnectionRequest, pk=pk)
    try:
        services.connection_withdraw(request=connection, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your request is withdrawn.")
    return redirect("network:my_connections")


@permission_required("network.open_connections")
def programme_preferences(request):
    person = request.user.person
    form = PreferenceForm(request.POST or None, instance=services.preference_of(person))
    if request.method == "POST" and form.is_valid():
        services.preference_set(person=person, **form.cleaned_data)
        messages.success(request, "Your preferences are saved.")
        return redirect("network:programme_preferences")
    return render(request, "network/connections/preferences.html", {"form": form})


@permission_required("network.open_contribution_ledger")
def contribution_ledger(request):
    day = timezone.localdate()
    label = request.GET.get("year", "")
    if label:
        try:
            day = datetime.date(year_start(label), 4, 1)
        except ValueError:
            messages.error(request, f"“{label}” is not a year like 2025-26; showing this year.")
    context = selectors.contribution_ledger(request.user, day=day)
    return render(request, "network/connections/ledger.html", context)
