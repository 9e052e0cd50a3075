"""The outbox: written with the change, sent after commit, swept when the broker missed
it, never sent twice."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from network.base import outbox
from network.base.models import OutboxMessage
from network.base.tasks import sweep_outbox


def _enqueue(key="test:1", to="a@school.example"):
    return outbox.enqueue(
        key=key,
        to=to,
        template="network/email/invitation",
        context={
            "role": "Science leader",
            "link": "http://testserver/x",
            "invitation": {"email": to},
            "expires_at": timezone.now(),
        },
    )


@pytest.mark.django_db
def test_enqueue_sends_after_commit_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
        assert mail.outbox == []  # nothing leaves before the change commits
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].alternatives  # the HTML part is attached


@pytest.mark.django_db
def test_same_key_is_stored_and_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue()
        _enqueue()
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1
    assert outbox.deliver(OutboxMessage.objects.get().pk) is False  # already sent
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        _enqueue()
        raise RuntimeError("the booking failed")
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_broker_down_leaves_message_for_the_sweep(django_capture_on_commit_callbacks):
    refusing = mock.patch(
        "network.base.tasks.send_outbox_message.delay", side_effect=ConnectionRefusedError("redis down")
    )
    with refusing, django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert mail.outbox == []
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    assert sweep_outbox() == 1
    assert sweep_outbox() == 0  # a second sweep finds nothing to do
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_sweep_leaves_fresh_messages_to_their_task():
    message = OutboxMessage.objects.create(key="k", to="a@x.example", subject="s", body_text="b")
    assert outbox.sweep() == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING


@pytest.mark.django_db
def test_smtp_failure_is_retried_then_given_up():
    message = OutboxMessage.objects.create(key="k", to="a@x.example", subject="s", body_text="b")
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("smtp down")):
        for _ in range(outbox.MAX_ATTEMPTS):
            assert outbox.deliver(message.pk) is False
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == outbox.MAX_ATTEMPTS
    assert "smtp down" in message.last_error


@pytest.mark.django_db
def test_held_messages_are_written_but_never_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), outbox.held("demo data"):
        message = _enqueue()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.HELD and message.last_error == "demo data"
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert outbox.sweep() == 0
    assert outbox.deliver(message.pk) is False
    assert mail.outbox == []
    # Outside the block, messages go out as usual.
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue(key="test:2")
    assert len(mail.outbox) == 1
