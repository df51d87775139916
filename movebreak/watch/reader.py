"""One thread asleep on one file descriptor until the kernel has something to say.

Both Linux watches (clock changes on a timerfd, file events on an inotify descriptor)
need the same loop: block in ``select`` on the descriptor and on a private pipe, hand
each wake to ``on_readable``, and end when ``stop`` writes to the pipe. No timeout, so
the thread makes no wake-ups of its own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class DescriptorThread:
    """Calls ``on_readable`` each time ``fd`` becomes readable; owns and closes ``fd``."""

    def __init__(self, fd: int, name: str, on_readable: Callable[[], None]) -> None:
        self.fd = fd
        self._name = name
        self._on_readable = on_readable
        self._stop_read, self._stop_write = os.pipe()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            ready, _, _ = select.select([self.fd, self._stop_read], [], [])
            if self._stop_read in ready:
                return
            try:
                self._on_readable()
            except Exception:
                log.exception("%s: handling an event failed", self._name)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._stop_write, b"x")
        if self._thread is not None:
            self._thread.join(timeout=2)
        for fd in (self.fd, self._stop_read, self._stop_write):
            with contextlib.suppress(OSError):
                os.close(fd)
