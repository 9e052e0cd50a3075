"""A Redis server of the test's own, on a free local port, that the test can stop and
freeze (SIGSTOP: it still accepts connections, as the kernel queues them, and never
answers) without touching the Redis other tests and helpers share."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time

from tests.conftest import require

FIRST_PORT = 6391


def _free_port() -> int:
    for port in range(FIRST_PORT, FIRST_PORT + 200):
        with contextlib.closing(socket.socket()) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for a Redis of the test's own")


class OwnRedis:
    def __init__(self):
        binary = shutil.which("redis-server")
        require(binary is not None, "redis-server (apt-get install redis-server)")
        self.binary = binary
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._spawn()

    def _spawn(self) -> None:
        binary = self.binary
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.answers():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        self.thaw()
        self.process.terminate()
        self.process.wait(timeout=10)

    def restart(self) -> None:
        """Stopped and started again on the same port, empty (it keeps nothing on disk)."""
        self.stop()
        self._spawn()

    def close(self) -> None:
        if self.process.poll() is None:
            self.stop()
