"""One Wayland connection over ``$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY``: send, receive, dispatch.

Objects are plain ids with a handler each, ``handler(opcode, payload)``; the caller
decodes the payload with ``wire.decode_args``. Set-up (registry, binds) runs on the
caller's thread with ``roundtrip``; afterwards ``start_thread`` hands the socket to one
daemon thread that blocks in ``recv`` and dispatches, until ``close`` shuts the socket
down (which wakes that ``recv``), so nothing ever polls.

The core objects used here (wl_display is object 1):

- wl_display: requests ``sync(n)`` = 0, ``get_registry(n)`` = 1; events
  ``error(o, u, s)`` = 0, ``delete_id(u)`` = 1.
- wl_registry: request ``bind(u, s, u, n)`` = 0; events ``global(u, s, u)`` = 0,
  ``global_remove(u)`` = 1.
- wl_callback: event ``done(u)`` = 0.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from movebreak.wayland import wire

log = logging.getLogger(__name__)

Handler = Callable[[int, bytes], None]
DISPLAY_ID = 1
RECV_BYTES = 65536
ROUNDTRIP_TIMEOUT_S = 2.0


class WaylandError(RuntimeError):
    """No compositor here, the connection broke, or the compositor reported an error."""


@dataclass(frozen=True)
class Global:
    """An interface the compositor offers: its registry name, interface and version."""

    name: int
    interface: str
    version: int


def socket_path(env: Mapping[str, str]) -> Path:
    """Where the compositor listens, as libwayland-client finds it."""
    display = env.get("WAYLAND_DISPLAY") or "wayland-0"
    if display.startswith("/"):
        return Path(display)
    runtime = env.get("XDG_RUNTIME_DIR")
    if not runtime:
        raise WaylandError("XDG_RUNTIME_DIR is not set")
    return Path(runtime) / display


class Connection:
    """A client connection: object ids, handlers, and one reader thread once started."""

    def __init__(self, path: Path, timeout: float = ROUNDTRIP_TIMEOUT_S) -> None:
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
        self._socket.settimeout(timeout)
        try:
            self._socket.connect(os.fspath(path))
        except OSError as error:
            self._socket.close()
            raise WaylandError(f"cannot connect to {path}: {error}") from error
        self._handlers: dict[int, Handler] = {DISPLAY_ID: self._display_event}
        self._next_id = 2
        self._registry = 0  # wl_registry's id once load_globals asked for it
        self._send_lock = threading.Lock()
        self._buffer = b""
        self._closed = False
        self._thread: threading.Thread | None = None
        self.error: str | None = None  # set once the connection is unusable, says why
        self.globals: dict[int, Global] = {}

    # ----- objects and requests ------------------------------------------------
    def new_id(self, handler: Handler | None = None) -> int:
        """A fresh client-side object id (events for it go to ``handler``)."""
        object_id = self._next_id
        self._next_id += 1
        self._handlers[object_id] = handler or _ignore
        return object_id

    def handle(self, object_id: int, handler: Handler) -> None:
        """Route the events of ``object_id`` (e.g. one the compositor created) to ``handler``."""
        self._handlers[object_id] = handler

    def forget(self, object_id: int) -> None:
        """Stop dispatching to an object the client destroyed (late events are dropped)."""
        self._handlers[object_id] = _ignore

    def send(self, object_id: int, opcode: int, signature: str = "", *args: wire.Arg) -> None:
        data = wire.encode(object_id, opcode, signature, *args)
        with self._send_lock:
            if self.error is not None:
                raise WaylandError(self.error)
            try:
                self._socket.sendall(data)
            except OSError as error:
                self._fail(f"send failed: {error}")
                raise WaylandError(self.error or "send failed") from error

    # ----- set-up on the caller's thread (never once the reader thread runs) --------
    def roundtrip(self, timeout: float = ROUNDTRIP_TIMEOUT_S) -> None:
        """Block until the compositor has handled every request sent so far."""
        done = threading.Event()
        callback = self.new_id(lambda _opcode, _payload: done.set())
        self.send(DISPLAY_ID, 0, "n", callback)
        deadline = time.monotonic() + timeout
        while not done.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WaylandError(f"no answer from the compositor in {timeout:.1f} s")
            self._socket.settimeout(remaining)
            self._read_once()
        self.forget(callback)

    def load_globals(self) -> dict[int, Global]:
        """Ask the registry for every global (one roundtrip); keep following changes."""
        registry = self.new_id(self._registry_event)
        self._registry = registry
        self.send(DISPLAY_ID, 1, "n", registry)
        self.roundtrip()
        return self.globals

    def find(self, *interfaces: str) -> Global | None:
        """The first offered global among ``interfaces``, in the order given."""
        for interface in interfaces:
            for known in self.globals.values():
                if known.interface == interface:
                    return known
        return None

    def bind(self, offered: Global, version: int, handler: Handler | None = None) -> int:
        """Bind a global at ``min(version, offered)``; return the new object's id."""
        if not self._registry:
            raise WaylandError("bind before load_globals")
        object_id = self.new_id(handler)
        self.send(self._registry, 0, "usun", offered.name, offered.interface,
                  min(version, offered.version), object_id)
        return object_id

    # ----- the reader thread -------------------------------------------------------
    def start_thread(self, name: str, on_lost: Callable[[str], None]) -> None:
        """Dispatch events on a daemon thread from now on; ``on_lost(why)`` when it ends."""
        self._socket.settimeout(None)  # block in recv: close() shuts the socket down

        def run() -> None:
            while self.error is None:
                self._read_once()
            on_lost(self.error)

        self._thread = threading.Thread(target=run, name=name, daemon=True)
        self._thread.start()

    def close(self) -> None:
        with self._send_lock:
            self._closed = True
            if self.error is None:
                self.error = "closed"
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
        self._socket.close()

    # ----- internals ---------------------------------------------------------------
    def _read_once(self) -> None:
        try:
            data = self._socket.recv(RECV_BYTES)
        except TimeoutError:
            return
        except OSError as error:
            self._fail(f"receive failed: {error}")
            return
        if not data:
            self._fail("the compositor closed the connection")
            return
        try:
            messages, self._buffer = wire.split(self._buffer + data)
        except wire.WireError as error:
            self._fail(f"garbled data from the compositor: {error}")
            return
        for message in messages:
            handler = self._handlers.get(message.object_id, _ignore)
            try:
                handler(message.opcode, message.payload)
            except wire.WireError as error:
                self._fail(f"bad event for object {message.object_id}: {error}")
                return

    def _fail(self, why: str) -> None:
        if self.error is None:
            self.error = "closed" if self._closed else why

    def _display_event(self, opcode: int, payload: bytes) -> None:
        if opcode == 0:  # error(object, code, message): the connection is dead now
            object_id, code, message = wire.decode_args("ous", payload)
            text = message.decode(errors="replace") if isinstance(message, bytes) else message
            self._fail(f"protocol error {code!r} on object {object_id!r}: {text}")
        elif opcode == 1:  # delete_id(id): the id may be reused; we never reuse ids
            pass

    def _registry_event(self, opcode: int, payload: bytes) -> None:
        if opcode == 0:
            name, interface, version = wire.decode_args("usu", payload)
            assert isinstance(name, int) and isinstance(version, int)
            self.globals[name] = Global(name, str(interface), version)
        elif opcode == 1:
            (name,) = wire.decode_args("u", payload)
            assert isinstance(name, int)
            self.globals.pop(name, None)


def _ignore(_opcode: int, _payload: bytes) -> None:
    """Events of objects nobody asked about."""


def connect(env: Mapping[str, str] | None = None) -> Connection:
    """A connection to this session's compositor with its globals loaded."""
    env = os.environ if env is None else env
    connection = Connection(socket_path(env))
    try:
        connection.load_globals()
    except WaylandError:
        connection.close()
        raise
    if connection.error is not None:
        error = connection.error
        connection.close()
        raise WaylandError(error)
    return connection
