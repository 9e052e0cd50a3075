"""Emails the seed's services write: kept in the outbox, never sent.

The demo goes through the real services (so their rules, history and credit hold), and
those services queue emails to hundreds of fictional people. Inside `held()`:

- nothing is handed to the broker: `outbox.dispatch`, which the outbox calls after
  commit for each new message, does nothing, so no task is queued (on a Redis that is
  down each task would otherwise wait for its 2-second timeout);
- every message the seed creates is recorded, and `settle()` marks them, in the seed's
  transaction, as *sent* with no `sent_at` and a note saying they were not. "Sent" is the
  one status that nothing acts on (the sweep and the admin's retry action take pending
  and failed messages), so `make run`'s worker never emails them; the rows stay, so a
  coordinator can read in the admin what each service would have written.
"""

from contextlib import contextmanager

from django.db.models import Max

from network import outbox
from network.models import OutboxMessage

NOT_SENT = "Not sent: written by seed_demo with the demo data."


class Held:
    def __init__(self):
        self.ids: list[int] = []
        # Messages with a higher id than this are new (an enqueue may find an old one).
        self.last_before = OutboxMessage.objects.aggregate(last=Max("pk"))["last"] or 0

    def settle(self) -> int:
        """Mark the messages written so far as handled; returns how many. A message that
        was already there (an enqueue that found its key) is left as it was."""
        ids, self.ids = [pk for pk in self.ids if pk > self.last_before], []
        settled = 0
        for i in range(0, len(ids), 500):  # keep under SQLite's limit on query parameters
            settled += OutboxMessage.objects.filter(
                pk__in=ids[i : i + 500], status=OutboxMessage.Status.PENDING
            ).update(status=OutboxMessage.Status.SENT, sent_at=None, last_error=NOT_SENT)
        return settled


@contextmanager
def held():
    """Hold the emails of everything done inside (commit included): see the module."""
    record = Held()
    enqueue_rendered, dispatch = outbox.enqueue_rendered, outbox.dispatch

    def recording(**kwargs):
        message = enqueue_rendered(**kwargs)
        record.ids.append(message.pk)
        return message

    outbox.enqueue_rendered = recording
    outbox.dispatch = lambda message_id: None
    try:
        yield record
    finally:
        outbox.enqueue_rendered, outbox.dispatch = enqueue_rendered, dispatch
