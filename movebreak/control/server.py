"""The control server: the single-instance lock and a listener for commands.

Unix: a socket in a 0700 folder, mode 0600, with the peer's uid checked on every
connection. An ``flock`` on a file beside it is the lock: the kernel drops it when
the owner dies (even by SIGKILL), so a socket left behind by a crash is known to be
stale and replaced, and two instances starting at once cannot both win.

One thread blocks in ``accept`` (no polling; ``stop`` wakes it by connecting).
Each connection gets its own short-lived thread, one request, a read deadline and
a size limit. Past ``max_connections`` at once a caller waits ``admission_wait``
for a slot (a burst passes), then gets a "busy" reply, so a stuck or flooding
client cannot wedge the app.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from movebreak.control.dispatch import Dispatcher, refusal
from movebreak.control.errors import AlreadyRunning, ControlError
from movebreak.control.location import (
    check_socket_path,
    default_control_dir,
    ensure_private_dir,
    lock_path,
    pid_in_lock,
    socket_path,
)
from movebreak.control.peercred import peer_allowed, peer_of
from movebreak.control.protocol import MAX_REQUEST_BYTES, ErrorCode, LineReader, ProtocolError
from movebreak.control.target import ControlTarget

log = logging.getLogger(__name__)

# How much a refused client may still send before we stop reading and close.
DRAIN_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much one client may take: time to send its request, and slots at once."""

    read_deadline: float = 2.0
    write_timeout: float = 1.0
    max_connections: int = 8
    admission_wait: float = 0.2
    backlog: int = 32
    probe_timeout: float = 1.0  # how long a starting instance waits for the running one


class ControlServer:
    """``bind()`` takes the instance lock; ``start(target)`` serves; ``stop()`` lets go."""

    def __init__(self, folder: Path | None = None, limits: Limits | None = None) -> None:
        self.folder = folder or default_control_dir()
        self.socket_path = socket_path(self.folder)
        self.limits = limits or Limits()
        self._uid = os.getuid()
        self._lock_fd: int | None = None
        self._listener: socket.socket | None = None
        self._identity: tuple[int, int] | None = None
        self._dispatcher: Dispatcher | None = None
        self._acceptor: threading.Thread | None = None
        self._stopping = threading.Event()
        self._slots = threading.BoundedSemaphore(self.limits.max_connections)
        self._guard = threading.Lock()
        self._open: set[socket.socket] = set()
        self._workers: set[threading.Thread] = set()

    # ----- the lock ----------------------------------------------------------
    def bind(self) -> None:
        """Become the one instance, or raise AlreadyRunning naming the live one."""
        if self._listener is not None:
            return
        check_socket_path(self.socket_path)
        ensure_private_dir(self.folder)
        fd = os.open(lock_path(self.folder), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
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
        self._dispatcher = Dispatcher(target, os.getpid())
        self._acceptor = threading.Thread(
            target=self._accept_loop, name="movebreak-control", daemon=True
        )
        self._acceptor.start()
        log.info("control: listening on %s", self.socket_path)
        return self

    def _accept_loop(self) -> None:
        listener = self._listener
        assert listener is not None
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
            self._admit(conn)

    def _admit(self, conn: socket.socket) -> None:
        if not self._slots.acquire(timeout=self.limits.admission_wait):
            self._refuse(conn, ErrorCode.BUSY, "the app is busy with other commands; try again")
            return
        worker = threading.Thread(
            target=self._serve_one, args=(conn,), name="movebreak-control-conn", daemon=True
        )
        with self._guard:
            self._open.add(conn)
            self._workers.add(worker)
        worker.start()

    def _refuse(
        self, conn: socket.socket, code: ErrorCode, message: str, linger: float = 0.0
    ) -> None:
        self._reply_and_close(conn, refusal(code, message), linger)

    def _reply_and_close(self, conn: socket.socket, payload: bytes, linger: float) -> None:
        """Send ``payload``, then drop what the client still sends before closing.

        A Unix socket closed with unread bytes resets its peer, which then loses the
        reply already queued for it; reading the rest (at most DRAIN_BYTES, for at
        most ``linger`` seconds) lets even a refused flooder read why.
        """
        with contextlib.suppress(OSError):
            conn.settimeout(self.limits.write_timeout)
            conn.sendall(payload)
            conn.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + linger
            budget = DRAIN_BYTES
            while budget > 0:
                conn.settimeout(max(0.0, deadline - time.monotonic()))
                chunk = conn.recv(65536)
                if not chunk:
                    break
                budget -= len(chunk)
        conn.close()

    def _serve_one(self, conn: socket.socket) -> None:
        try:
            self._converse(conn)
        except OSError as error:  # the client went away mid-way: nothing to answer
            log.debug("control: connection dropped: %s", error)
        finally:
            conn.close()
            with self._guard:
                self._open.discard(conn)
                self._workers.discard(threading.current_thread())
            self._slots.release()

    def _converse(self, conn: socket.socket) -> None:
        try:
            peer = peer_of(conn)
        except OSError as error:
            log.warning("control: cannot tell who connected (%s); refused", error)
            self._refuse(conn, ErrorCode.FORBIDDEN, "cannot verify who is calling")
            return
        if not peer_allowed(peer.uid if peer else None, self._uid):
            assert peer is not None
            log.warning("control: refused uid %d (pid %s)", peer.uid, peer.pid or "?")
            self._refuse(
                conn, ErrorCode.FORBIDDEN, "only the user running movebreak may", 0.2
            )
            return
        try:
            line = self._read_request(conn)
        except ProtocolError as error:
            # Only an oversized request may still be arriving: wait for the rest of it.
            linger = self.limits.read_deadline if error.code is ErrorCode.TOO_LARGE else 0.0
            self._refuse(conn, error.code, error.message, linger)
            return
        if line is None:
            return  # connected and closed without a word (a probe)
        assert self._dispatcher is not None
        answer = self._dispatcher.answer(line)
        self._reply_and_close(conn, answer.payload, 0.0)
        if answer.after is not None:
            try:
                answer.after()
            except Exception:
                log.exception("control: quitting failed")

    def _read_request(self, conn: socket.socket) -> bytes | None:
        reader = LineReader(MAX_REQUEST_BYTES)
        deadline = time.monotonic() + self.limits.read_deadline
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            conn.settimeout(remaining)
            try:
                chunk = conn.recv(MAX_REQUEST_BYTES)
            except TimeoutError:
                break
            if not chunk:
                return reader.finish()
            line = reader.feed(chunk)
            if line is not None:
                return line
        raise ProtocolError(
            ErrorCode.TIMEOUT, f"no complete request within {self.limits.read_deadline:g} s"
        )

    # ----- stopping ------------------------------------------------------------
    def stop(self) -> None:
        """Stop serving, remove our socket, release the lock. Safe to call twice."""
        self._stopping.set()
        listener = self._listener
        if listener is not None:
            self._wake_acceptor()
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
        with self._guard:
            conns, workers = list(self._open), list(self._workers)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        me = threading.current_thread()
        for thread in [self._acceptor, *workers]:
            if thread is not None and thread is not me:
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

