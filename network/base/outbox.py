"""The outbox: email is written to the database with the change that causes it, and
sent after commit. If the broker is down, the change still succeeds and the next sweep
(every minute) sends what is pending. The unique `key` means a retry, a double click or
a second worker never queues the same message twice.

Delivery is at least once and never lost (README, "Delivery guarantee"): a message is
claimed and committed before it is sent and marked sent after, so a worker killed in
between leaves it to be sent again; the email's Message-ID comes from the key, so a
repeat can be recognised by the receiving system.

Use `enqueue(...)` inside the service's transaction; never call `send_mail` directly.
"""

import contextvars
import hashlib
import logging
import re
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from network.base.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# The sweep leaves very fresh messages to the task queued on commit, so they are not
# picked up by both at once (the claim would stop a double send anyway).
SWEEP_GRACE = timedelta(seconds=30)


def render(template: str, context: dict) -> tuple[str, str, str]:
    """Render `<template>_subject.txt`, `<template>.txt` and, if present, `<template>.html`."""
    context = {"portal_name": settings.PORTAL_NAME, "base_url": settings.PORTAL_BASE_URL, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context)
    try:
        html = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        html = ""
    return subject, text, html


def enqueue(*, key: str, to: str, template: str, context: dict) -> OutboxMessage:
    """Store one email for sending after commit. Idempotent: a second call with the same
    key returns the first message and queues nothing."""
    subject, text, html = render(template, context)
    return enqueue_rendered(key=key, to=to, subject=subject, body_text=text, body_html=html)


_held = contextvars.ContextVar("outbox_held", default="")


@contextmanager
def held(reason: str):
    """Inside, messages are written (status HELD, with `reason`) but never handed to the
    broker or sent: for demo data and bulk back-fills, whose services would otherwise
    email hundreds of people. Nothing sweeps or retries a held message; a coordinator
    can still read it, or send it on purpose from the admin."""
    token = _held.set(reason)
    try:
        yield
    finally:
        _held.reset(token)


def enqueue_rendered(*, key: str, to: str, subject: str, body_text: str, body_html: str = "") -> OutboxMessage:
    hold = _held.get()
    defaults = {"to": to, "subject": subject[:250], "body_text": body_text, "body_html": body_html}
    if hold:
        defaults.update(status=OutboxMessage.Status.HELD, last_error=hold)
    message, created = OutboxMessage.objects.get_or_create(key=key, defaults=defaults)
    if created and not hold:
        transaction.on_commit(lambda: dispatch(message.pk))
    return message


def dispatch(message_id: int) -> None:
    """Hand one message to the worker. A broker that is down or hung must not break the
    request that caused the email: log it and leave the row for the sweep."""
    try:
        send_outbox_message.delay(message_id)
    except Exception:  # kombu raises several kinds; all mean "not queued now"
        logger.warning("Broker unavailable; outbox message %s left for the sweep", message_id, exc_info=True)


def message_id_for(key: str) -> str:
    """A stable, unique Message-ID for the outbox key: the same message sent twice (a
    worker killed after the SMTP server took it, before the row was marked sent) carries
    the same Message-ID, so receiving systems can drop the repeat. The key is kept
    readable (dots for what RFC 5322 does not allow) with a digest of it, so two keys
    that read alike stay apart, at the portal's own host name."""
    readable = re.sub(r"[^A-Za-z0-9-]+", ".", key).strip(".")[:80] or "message"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    host = urlsplit(settings.PORTAL_BASE_URL).hostname or "portal.invalid"
    return f"<{readable}.{digest}@{host}>"


def claim_lease() -> timedelta:
    """How long a claimed message may stay "sending" before another worker takes it
    over (its worker died). Longer than any SMTP exchange (EMAIL_TIMEOUT)."""
    return timedelta(seconds=settings.OUTBOX_CLAIM_LEASE_SECONDS)


def _claimable(now) -> Q:
    """Pending, or claimed by a worker that has not finished within the lease."""
    return Q(status=OutboxMessage.Status.PENDING) | Q(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=now - claim_lease(), attempts__lt=MAX_ATTEMPTS
    )


def _claim(message_id: int) -> OutboxMessage | None:
    """Mark one message "sending" and commit, so no other worker sends it meanwhile.
    One conditional UPDATE: of two workers racing, exactly one changes the row."""
    now = timezone.now()
    with transaction.atomic():
        claimed = OutboxMessage.objects.filter(_claimable(now), pk=message_id).update(
            status=OutboxMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return OutboxMessage.objects.filter(pk=message_id).first() if claimed else None


def deliver(message_id: int) -> bool:
    """Send one message. Returns True if it was sent now.

    Claim, commit, send, mark sent: the row is "sending" (committed) while the SMTP
    server is spoken to, so a second worker never sends it in parallel, and no database
    lock is held during the network call. If the worker dies after claiming, the
    message is sent again once the claim's lease has passed (at least once, never
    lost); only a death between the SMTP server's "accepted" and the mark can send it
    twice, and both copies carry the same Message-ID (`message_id_for`)."""
    message = _claim(message_id)
    if message is None:  # already sent or being sent, given up, held or deleted
        return False
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        to=[message.to],
        from_email=settings.DEFAULT_FROM_EMAIL,
        headers={"Message-ID": message_id_for(message.key)},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    mine = OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.SENDING)
    try:
        email.send()
    except Exception as exc:
        gave_up = message.attempts >= MAX_ATTEMPTS
        mine.update(
            status=OutboxMessage.Status.FAILED if gave_up else OutboxMessage.Status.PENDING,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        logger.warning("Outbox message %s failed (attempt %s): %s", message.pk, message.attempts, exc)
        return False
    mine.update(status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error="")
    return True


def give_up_stale(*, now=None) -> int:
    """Messages whose worker died while sending them MAX_ATTEMPTS times are given up
    (a message that kills its worker must not kill every worker after it)."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=now - claim_lease(), attempts__gte=MAX_ATTEMPTS
    ).update(status=OutboxMessage.Status.FAILED, last_error="Gave up: the worker stopped while sending it.")


def sweep(*, limit: int = 500) -> int:
    """Send whatever is pending and older than the grace period, and whatever a dead
    worker left "sending" beyond the lease. Returns how many were sent."""
    now = timezone.now()
    give_up_stale(now=now)
    ids = list(
        OutboxMessage.objects.filter(_claimable(now))
        .exclude(status=OutboxMessage.Status.PENDING, created_at__gt=now - SWEEP_GRACE)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if deliver(pk))


@shared_task(name="network.send_outbox_message", acks_late=True, max_retries=3)
def send_outbox_message(message_id: int) -> bool:
    """The outbox's own task, defined beside it so the outbox needs no tasks module (and
    the tasks module, which imports services, can import the outbox: no cycle)."""
    return deliver(message_id)
