"""The outbox: email is written to the database with the change that causes it, and
sent after commit. If the broker is down, the change still succeeds and the next sweep
(every minute) sends what is pending. The unique `key` means a retry, a double click or
a second worker never sends the same message twice.

Use `enqueue(...)` inside the service's transaction; never call `send_mail` directly.
"""

import contextvars
import logging
from contextlib import contextmanager
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from network.base.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# The sweep leaves very fresh messages to the task queued on commit, so they are not
# picked up by both at once (the row lock would stop a double send anyway).
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


def deliver(message_id: int) -> bool:
    """Send one pending message, at most once. Returns True if it was sent now."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update().filter(pk=message_id, status=OutboxMessage.Status.PENDING).first()
        )
        if message is None:  # already sent, given up, or deleted
            return False
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            to=[message.to],
            from_email=settings.DEFAULT_FROM_EMAIL,
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        message.attempts += 1
        try:
            email.send()
        except Exception as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
            message.save(update_fields=["attempts", "last_error", "status"])
            logger.warning("Outbox message %s failed (attempt %s): %s", message.pk, message.attempts, exc)
            return False
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return True


def sweep(*, limit: int = 500) -> int:
    """Send whatever is pending and older than the grace period. Returns how many sent."""
    cutoff = timezone.now() - SWEEP_GRACE
    ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if deliver(pk))


@shared_task(name="network.send_outbox_message", acks_late=True, max_retries=3)
def send_outbox_message(message_id: int) -> bool:
    """The outbox's own task, defined beside it so the outbox needs no tasks module (and
    the tasks module, which imports services, can import the outbox: no cycle)."""
    return deliver(message_id)
