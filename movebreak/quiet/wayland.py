"""Fullscreen windows on Wayland, from wlr-foreign-toplevel-management (sway, wlroots).

A Wayland client cannot look at other clients' windows; compositors built on wlroots
list them through ``zwlr_foreign_toplevel_manager_v1``. Binding the manager makes the
compositor announce every toplevel (``toplevel(new_id)`` = 0, later ``finished`` = 1),
and each ``zwlr_foreign_toplevel_handle_v1`` reports its changes: ``state(array)`` = 4
(uint32 values; 3 = fullscreen, since version 2), closed with ``done`` = 5, and
``closed`` = 6 when the window is gone. ``destroy`` = 7 is the request that lets go of a
closed handle.

One daemon thread blocks on the socket and keeps ``ToplevelStates`` current, so
``reason()`` is a read under a lock, cheap enough for every prompt.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from movebreak.quiet.base import QuietReason, QuietUnavailable
from movebreak.wayland import wire
from movebreak.wayland.client import Connection, WaylandError, connect

MANAGER = "zwlr_foreign_toplevel_manager_v1"
MANAGER_VERSION = 3
FULLSCREEN = 3
HANDLE_STATE, HANDLE_DONE, HANDLE_CLOSED = 4, 5, 6
HANDLE_DESTROY = 7


@dataclass
class ToplevelStates:
    """Each toplevel's state as of its last ``done``; pure bookkeeping, no I/O."""

    current: dict[int, frozenset[int]] = field(default_factory=dict)
    pending: dict[int, frozenset[int]] = field(default_factory=dict)

    def added(self, handle: int) -> None:
        self.current.setdefault(handle, frozenset())

    def state(self, handle: int, values: list[int]) -> None:
        self.pending[handle] = frozenset(values)

    def done(self, handle: int) -> None:
        if handle in self.pending:
            self.current[handle] = self.pending.pop(handle)

    def closed(self, handle: int) -> None:
        self.current.pop(handle, None)
        self.pending.pop(handle, None)

    @property
    def any_fullscreen(self) -> bool:
        return any(FULLSCREEN in states for states in self.current.values())


class WaylandFullscreenProbe:
    """``QuietProbe``: FULLSCREEN while any toplevel the compositor lists is fullscreen."""

    name = "wayland-fullscreen"
    sees_fullscreen = True

    def __init__(self, env: Mapping[str, str] | None = None,
                 open_connection: Callable[[Mapping[str, str] | None], Connection] = connect
                 ) -> None:
        self._states = ToplevelStates()
        self._lock = threading.Lock()
        self._lost: str | None = None
        try:
            self._connection = open_connection(env)
        except WaylandError as error:
            raise QuietUnavailable(f"no Wayland compositor: {error}") from error
        try:
            offered = self._connection.find(MANAGER)
            if offered is None:
                raise QuietUnavailable(f"the compositor offers no {MANAGER}")
            self._manager = self._connection.bind(offered, MANAGER_VERSION, self._manager_event)
            self._connection.roundtrip()  # the toplevels that exist now, with their states
            if self._connection.error is not None:
                raise QuietUnavailable(f"{MANAGER}: {self._connection.error}")
            self._connection.start_thread("wayland-toplevels", self._on_lost)
        except (WaylandError, QuietUnavailable) as error:
            self._connection.close()
            if isinstance(error, QuietUnavailable):
                raise
            raise QuietUnavailable(f"{MANAGER}: {error}") from error

    def _manager_event(self, opcode: int, payload: bytes) -> None:
        if opcode == 0:  # toplevel(new_id): an id the compositor chose
            (handle,) = wire.decode_args("n", payload)
            assert isinstance(handle, int)
            with self._lock:
                self._states.added(handle)
            self._connection.handle(handle, lambda op, data: self._handle_event(handle, op, data))
        elif opcode == 1:  # finished: no more toplevel events will come
            self._on_lost("the compositor finished the toplevel list")

    def _handle_event(self, handle: int, opcode: int, payload: bytes) -> None:
        if opcode == HANDLE_STATE:
            (raw,) = wire.decode_args("a", payload)
            assert isinstance(raw, bytes)
            with self._lock:
                self._states.state(handle, wire.uint_array(raw))
        elif opcode == HANDLE_DONE:
            with self._lock:
                self._states.done(handle)
        elif opcode == HANDLE_CLOSED:
            with self._lock:
                self._states.closed(handle)
            self._connection.forget(handle)
            with contextlib.suppress(WaylandError):  # a dying connection: _on_lost says so
                self._connection.send(handle, HANDLE_DESTROY)

    def _on_lost(self, why: str) -> None:
        with self._lock:
            if self._lost is None:
                self._lost = why

    def reason(self) -> QuietReason | None:
        with self._lock:
            if self._lost is not None:
                raise QuietUnavailable(f"toplevel list lost: {self._lost}")
            return QuietReason.FULLSCREEN if self._states.any_fullscreen else None

    def close(self) -> None:
        self._connection.close()
