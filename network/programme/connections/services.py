"""Connections: asking to be put in touch, the answer (by a signed link, so a person
without a login can answer), withdrawing, and a person's preferences. Contact details
go to the asker only in the acceptance email and on their connections page after
acceptance. Every email through the outbox, once (keys name the request and kind)."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from network.base import access, outbox
from network.base.models import User
from network.base.rules import ensure
from network.programme.connections.models import ConnectionRequest, ProgrammePreference
from trusts.models import Person

RESPONSE_SALT = "connections.respond"
RESPONSE_MAX_AGE = 60 * 60 * 24 * 30  # seconds


def _url(name, *args) -> str:
    return settings.PORTAL_BASE_URL + reverse(name, args=args)


def preference_of(person: Person) -> ProgrammePreference:
    return ProgrammePreference.objects.filter(person=person).first() or ProgrammePreference(person=person)


def response_token(request: ConnectionRequest) -> str:
    return signing.dumps({"c": request.pk, "p": request.recipient_id}, salt=RESPONSE_SALT, compress=True)


def request_from_token(token: str) -> ConnectionRequest | None:
    try:
        data = signing.loads(token, salt=RESPONSE_SALT, max_age=RESPONSE_MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        ConnectionRequest.objects.select_related("asker__academy", "recipient")
        .filter(pk=data.get("c"), recipient_id=data.get("p"))
        .first()
    )


@transaction.atomic
def connection_request(*, recipient: Person, topic: str, message: str = "", by: User) -> ConnectionRequest:
    """Ask to be put in touch with someone in the directory (within the asker's network),
    about a topic. Refused if they have paused requests, if the asker already has the
    maximum open requests, or already asked them and is waiting."""
    ensure(by, "network.ask_for_connection")
    if not access.directory(by).filter(pk=recipient.pk).exists():
        raise ValidationError("This person is not in your network's directory.")
    if recipient.pk == by.person_id:
        raise ValidationError("You cannot ask to be put in touch with yourself.")
    if preference_of(recipient).requests_paused:
        raise ValidationError(f"{recipient.full_name} has paused requests for now; please try again later.")
    # Lock the asker's person row: two requests sent at once cannot both pass the count.
    asker = Person.objects.select_for_update().get(pk=by.person_id)
    open_requests = ConnectionRequest.objects.filter(asker=asker, status=ConnectionRequest.Status.OPEN)
    if open_requests.filter(recipient=recipient).exists():
        raise ValidationError(f"You have already asked {recipient.full_name}; they have not replied yet.")
    limit = settings.CONNECTIONS_MAX_OPEN_REQUESTS
    if open_requests.count() >= limit:
        raise ValidationError(
            f"You have {limit} requests waiting for a reply, the most at once. Withdraw one, or wait for answers."
        )
    if not topic.strip():
        raise ValidationError({"topic": "Please say what you would like to talk about."})
    request = ConnectionRequest.objects.create(
        asker=asker, recipient=recipient, topic=topic.strip()[:200], message=message.strip(), created_by=by
    )
    outbox.enqueue(
        key=f"connection:{request.pk}:request",
        to=recipient.email,
        template="network/connections/email/request",
        context={"request": request, "link": _url("network:connection_respond", response_token(request))},
    )
    return request


@transaction.atomic
def connection_respond(
    *, request: ConnectionRequest, accept: bool, phone: str = "", reply: str = "", pause: bool = False
) -> ConnectionRequest:
    """The recipient accepts (sharing their email and, if they give it, a phone number)
    or declines; they may pause further requests at the same time. Answering twice
    changes nothing."""
    request = ConnectionRequest.objects.select_for_update().select_related("asker", "recipient").get(pk=request.pk)
    if pause:
        preference_set(person=request.recipient, requests_paused=True)
    if request.status != ConnectionRequest.Status.OPEN:
        return request
    request.status = ConnectionRequest.Status.ACCEPTED if accept else ConnectionRequest.Status.DECLINED
    request.responded_at = timezone.now()
    request.shared_phone = phone.strip()[:30] if accept else ""
    request.reply = reply.strip()
    request.save(update_fields=["status", "responded_at", "shared_phone", "reply"])
    outbox.enqueue(
        key=f"connection:{request.pk}:{'accepted' if accept else 'declined'}",
        to=request.asker.email,
        template=f"network/connections/email/{'accepted' if accept else 'declined'}",
        context={"request": request, "link": _url("network:my_connections")},
    )
    return request


@transaction.atomic
def connection_withdraw(*, request: ConnectionRequest, by: User) -> ConnectionRequest:
    request = ConnectionRequest.objects.select_for_update().get(pk=request.pk)
    if request.asker_id != by.person_id:
        raise ValidationError("Only the person who asked can withdraw a request.")
    if request.status == ConnectionRequest.Status.OPEN:
        request.status = ConnectionRequest.Status.WITHDRAWN
        request.responded_at = timezone.now()
        request.save(update_fields=["status", "responded_at"])
    return request


def preference_set(*, person: Person, **values) -> ProgrammePreference:
    preference, _ = ProgrammePreference.objects.update_or_create(person=person, defaults=values)
    return preference
