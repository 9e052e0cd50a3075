"""An email backend for worker processes in integration tests: it takes a while, like an
SMTP server, and appends each message's Message-ID to a file, so a test in another
process can count what was sent, even by a worker it killed with -9 (a line written
before the kill is in the file)."""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class RecordingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        path = os.environ["RECORDING_MAIL_FILE"]
        delay = float(os.environ.get("RECORDING_MAIL_DELAY", "0"))
        for message in email_messages:
            time.sleep(delay / 2)  # the exchange before the server says "accepted"
            line = f"{message.message()['Message-ID']}\n".encode()
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line)  # one write of a short line: appended whole
            finally:
                os.close(fd)
            time.sleep(delay / 2)  # "accepted", and the connection closing
        return len(email_messages)
