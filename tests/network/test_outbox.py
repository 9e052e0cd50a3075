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


# -- Claim, send, mark: at least once, never lost, never in parallel ---------------------


def _message(key="booking:42:reminder-7d", **fields):
    return OutboxMessage.objects.create(key=key, to="a@school.example", subject="s", body_text="b", **fields)


@pytest.mark.django_db
def test_message_id_comes_from_the_key_so_a_repeat_can_be_dropped():
    message = _message()
    assert outbox.deliver(message.pk) is True
    sent_id = mail.outbox[0].message()["Message-ID"]
    assert sent_id == outbox.message_id_for("booking:42:reminder-7d")
    assert sent_id.startswith("<booking.42.reminder-7d.") and sent_id.endswith("@testserver>")
    # Stable (the same key, the same id) and unique (keys that read alike stay apart).
    assert outbox.message_id_for("booking:42:reminder-7d") == sent_id
    assert outbox.message_id_for("booking.42.reminder-7d") != sent_id


@pytest.mark.django_db
def test_a_message_being_sent_is_not_sent_again_in_parallel():
    message = _message(status=OutboxMessage.Status.SENDING, claimed_at=timezone.now(), attempts=1)
    assert outbox.deliver(message.pk) is False
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert outbox.sweep() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_message_whose_worker_died_is_sent_after_the_lease(settings):
    """The worker claimed it (committed) and was killed: after the lease the sweep sends it."""
    settings.OUTBOX_CLAIM_LEASE_SECONDS = 600
    claimed = timezone.now() - timedelta(seconds=601)
    message = _message(status=OutboxMessage.Status.SENDING, claimed_at=claimed, attempts=1, created_at=claimed)
    assert outbox.sweep() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 2
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_row_is_claimed_and_committed_before_the_smtp_exchange():
    """While the SMTP server is spoken to, the row already says "sending" (so a second
    worker, which reads committed rows, leaves it alone)."""
    message = _message()
    seen = []

    def send(self, *args, **kwargs):
        seen.append(OutboxMessage.objects.get(pk=message.pk).status)
        return 1

    with mock.patch("django.core.mail.EmailMultiAlternatives.send", send):
        assert outbox.deliver(message.pk) is True
    assert seen == [OutboxMessage.Status.SENDING]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.claimed_at is not None


@pytest.mark.django_db
def test_a_message_that_keeps_killing_its_worker_is_given_up(settings):
    stale = timezone.now() - timedelta(seconds=settings.OUTBOX_CLAIM_LEASE_SECONDS + 1)
    message = _message(status=OutboxMessage.Status.SENDING, claimed_at=stale, attempts=outbox.MAX_ATTEMPTS)
    assert outbox.sweep() == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert "worker stopped" in message.last_error
