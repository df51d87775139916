"""One client's turn on the control socket: who it is, its one request, the answer.

Each accepted connection gets its own short-lived thread, a read deadline and a size
limit. Past ``max_connections`` at once a caller waits ``admission_wait`` for a slot
(a burst passes), then gets a "busy" reply, so a stuck or flooding client cannot
wedge the app. Only the user running movebreak is served (the peer's uid).

Kept apart from ``server.py`` (the lock and the accept loop) so that the lock,
taken before the tray icon shows, does not import the dispatcher and protocol.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from typing import TYPE_CHECKING

from movebreak.control.dispatch import Dispatcher, refusal
from movebreak.control.peercred import peer_allowed, peer_of
from movebreak.control.protocol import MAX_REQUEST_BYTES, ErrorCode, LineReader, ProtocolError

if TYPE_CHECKING:
    from movebreak.control.server import Limits

log = logging.getLogger(__name__)

DRAIN_BYTES = 1024 * 1024
"""How much a refused client may still send before we stop reading and close."""


class Conversations:
    """Serves accepted connections, one request each, at most ``max_connections`` at once."""

    def __init__(self, dispatcher: Dispatcher, limits: Limits) -> None:
        self._dispatcher = dispatcher
        self.limits = limits
        self._uid = os.getuid()
        self._slots = threading.BoundedSemaphore(limits.max_connections)
        self._guard = threading.Lock()
        self._open: set[socket.socket] = set()
        self._workers: set[threading.Thread] = set()
        self._closed = False  # after cut_off nothing new is served: the app is stopping

    def admit(self, conn: socket.socket) -> None:
        """Serve ``conn`` on its own thread, or tell it the app is busy."""
        if not self._slots.acquire(timeout=self.limits.admission_wait):
            self._refuse(conn, ErrorCode.BUSY, "the app is busy with other commands; try again")
            return
        worker = threading.Thread(
            target=self._serve_one, args=(conn,), name="movebreak-control-conn", daemon=True
        )
        with self._guard:
            closed = self._closed
            if not closed:
                self._open.add(conn)
                self._workers.add(worker)
        if closed:
            self._slots.release()
            self._refuse(conn, ErrorCode.BUSY, "movebreak is quitting")
            return
        worker.start()

    def cut_off(self) -> list[threading.Thread]:
        """Shut every open connection down and admit no more; returns the threads to wait for."""
        with self._guard:
            self._closed = True
            conns, workers = list(self._open), list(self._workers)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        return workers

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
