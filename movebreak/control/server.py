"""The control server: the single-instance lock and a listener for commands.

Unix: a socket in a 0700 folder, mode 0600, with the peer's uid checked on every
connection. An ``flock`` on a file beside it is the lock: the kernel drops it when
the owner dies (even by SIGKILL), so a socket left behind by a crash is known to be
stale and replaced, and two instances starting at once cannot both win.

One thread blocks in ``accept`` (no polling; ``stop`` wakes it by connecting) and
hands each connection to ``conversation.py``: its own short-lived thread, one
request, a read deadline and a size limit, and a "busy" reply past
``max_connections`` at once, so a stuck or flooding client cannot wedge the app.

The lock is taken before the tray icon shows, so this module imports none of the
protocol: the conversations (the dispatcher, JSON, the command table) are imported
by ``start``, which the app calls once it exists behind the icon.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import socket
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from movebreak.control.errors import AlreadyRunning, ControlError
from movebreak.control.location import (
    check_socket_path,
    default_control_dir,
    ensure_private_dir,
    lock_path,
    pid_in_lock,
    socket_path,
)

if TYPE_CHECKING:
    from movebreak.control.conversation import Conversations
    from movebreak.control.target import ControlTarget

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """How much one client may take: time to send its request, and slots at once."""

    read_deadline: float = 2.0
    write_timeout: float = 1.0
    max_connections: int = 8
    admission_wait: float = 0.2
    backlog: int = 32
    probe_timeout: float = 1.0  # how long a starting instance waits for the running one


def open_lock_file(path: Path) -> int:
    """Open (or make) the lock file: our own regular file, never what a link points to.

    We truncate and rewrite it, so a symlink planted there would cost its target its
    content; a FIFO or a device is no lock file either. ``O_NONBLOCK``: opening a FIFO
    must not wait for a writer.
    """
    flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ControlError(f"{path} is a symbolic link, not the app's lock file; "
                               "remove it and start again") from None
        raise ControlError(f"cannot open the lock file {path}: {error.strerror}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise ControlError(f"{path} is not a regular file (a FIFO, a device or a folder?); "
                           "remove it and start again")
    os.set_blocking(fd, True)
    return fd


class ControlServer:
    """``bind()`` takes the instance lock; ``start(target)`` serves; ``stop()`` lets go."""

    def __init__(self, folder: Path | None = None, limits: Limits | None = None) -> None:
        self.folder = folder or default_control_dir()
        self.socket_path = socket_path(self.folder)
        self.limits = limits or Limits()
        self._lock_fd: int | None = None
        self._listener: socket.socket | None = None
        self._identity: tuple[int, int] | None = None
        self._conversations: Conversations | None = None
        self._acceptor: threading.Thread | None = None
        self._stopping = threading.Event()

    # ----- the lock ----------------------------------------------------------
    def bind(self) -> None:
        """Become the one instance, or raise AlreadyRunning naming the live one."""
        if self._listener is not None:
            return
        check_socket_path(self.socket_path)
        ensure_private_dir(self.folder)
        fd = open_lock_file(lock_path(self.folder))
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise self._already_running() from None
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            self._listener = self._listen()
        except BaseException:
            os.close(fd)
            raise
        self._lock_fd = fd

    def _listen(self) -> socket.socket:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.socket_path)  # we hold the lock: whatever is there is stale
            log.info("control: replaced a stale socket at %s", self.socket_path)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(os.fspath(self.socket_path))
            os.chmod(self.socket_path, 0o600)
            listener.listen(self.limits.backlog)
        except OSError as error:
            listener.close()
            raise ControlError(f"cannot listen on {self.socket_path}: {error}") from error
        info = os.stat(self.socket_path)
        self._identity = (info.st_dev, info.st_ino)
        return listener

    def _already_running(self) -> AlreadyRunning:
        from movebreak.control.client import ping

        try:
            return AlreadyRunning(ping(self.folder, self.limits.probe_timeout).get("pid"))
        except ControlError:
            return AlreadyRunning(pid_in_lock(self.folder), answering=False)

    # ----- serving -------------------------------------------------------------
    def start(self, target: ControlTarget) -> ControlServer:
        """Serve ``target`` on a background thread; returns self (call ``stop``)."""
        self.bind()
        if self._acceptor is not None:
            raise ControlError("the control server is already serving")
        from movebreak.control.conversation import Conversations
        from movebreak.control.dispatch import Dispatcher

        self._conversations = Conversations(Dispatcher(target, os.getpid()), self.limits)
        self._acceptor = threading.Thread(
            target=self._accept_loop, name="movebreak-control", daemon=True
        )
        self._acceptor.start()
        log.info("control: listening on %s", self.socket_path)
        return self

    def _accept_loop(self) -> None:
        listener, conversations = self._listener, self._conversations
        assert listener is not None and conversations is not None
        while not self._stopping.is_set():
            try:
                conn, _ = listener.accept()
            except OSError as error:
                if self._stopping.is_set():
                    return
                log.warning("control: accept failed: %s", error)
                self._stopping.wait(0.2)  # e.g. out of file handles: back off, do not spin
                continue
            if self._stopping.is_set():
                conn.close()
                return
            conversations.admit(conn)

    # ----- stopping ------------------------------------------------------------
    def stop(self) -> None:
        """Stop serving, remove our socket, release the lock. Safe to call twice."""
        self._stopping.set()
        listener = self._listener
        if listener is not None:
            self._wake_acceptor()
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
        me = threading.current_thread()
        # The acceptor first: one it was still admitting must be among those cut off.
        if self._acceptor is not None and self._acceptor is not me:
            self._acceptor.join(timeout=2.0)
        workers = self._conversations.cut_off() if self._conversations else []
        for thread in workers:
            if thread is not me:
                thread.join(timeout=2.0)
        if listener is not None:
            listener.close()
            self._listener = None
            self._remove_socket_if_ours()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def _wake_acceptor(self) -> None:
        if self._acceptor is None or not self._acceptor.is_alive():
            return
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as waker:
            waker.settimeout(0.5)
            waker.connect(os.fspath(self.socket_path))

    def _remove_socket_if_ours(self) -> None:
        """Unlink the socket only if it is still the one we bound."""
        try:
            info = os.stat(self.socket_path)
        except FileNotFoundError:
            return
        if (info.st_dev, info.st_ino) == self._identity:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.socket_path)

