"""Settings for a worker process started by an integration test: the portal's own,
with email recorded to a file (tests/integration/recording_mail.py)."""

import os

from network.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.integration.recording_mail.RecordingBackend"
# Tasks the worker itself queues (an email after the sweep's commit) go to the test's own
# queue, which this worker listens to, not to the shared default queue.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("TEST_CELERY_QUEUE", "celery")
