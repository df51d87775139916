"""Idle time from the Wayland compositor itself (sway and other wlroots desktops, KDE).

Under Wayland only the compositor sees input, and wlroots compositors offer no D-Bus
service for it, only Wayland protocols. Both say the same thing, "no input for T ms"
and "input again", never "idle for N ms now":

- ``ext_idle_notifier_v1`` (the standard, newer compositors):
  ``get_idle_notification(id, timeout_ms, seat)`` = 1; the notification sends
  ``idled`` = 0 and ``resumed`` = 1; ``destroy`` = 0.
- ``org_kde_kwin_idle`` (sway 1.7, KDE): ``get_idle_timeout(id, seat, timeout_ms)`` = 0;
  the timeout object sends ``idle`` = 0 and ``resumed`` = 1; ``release`` = 0.

So idle time is derived: 0 while the user is active, and ``T + (now - idled_at)`` once
``idled`` came. ``T`` (``timeout_ms``) is the trade-off: the reading is exact while
idle and at most ``T`` too low while active, and every pause longer than ``T`` costs
the compositor two small events. The app's thresholds are minutes, so 2 s keeps the
error far below them while a typist's pauses still rarely cross it. A compositor
starts counting at the notification's creation, so idle time before the app started
is not seen; and compositors hold idle back while a client inhibits it (a video).

One daemon thread blocks on the socket and records the events (``IdleClock``, a pure
state with an injected monotonic clock); ``idle_seconds`` is a read, and
``wait_for_activity`` waits on an event set by ``resumed``: nothing polls.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from movebreak.idle.base import IdleUnavailable
from movebreak.wayland.client import Connection, WaylandError, connect

DEFAULT_TIMEOUT_MS = 2000

EXT_NOTIFIER = "ext_idle_notifier_v1"
KDE_IDLE = "org_kde_kwin_idle"
SEAT = "wl_seat"


@dataclass
class IdleClock:
    """What the compositor said last, and the idle time that follows from it."""

    timeout_s: float
    idled_at: float | None = None  # monotonic time of the last ``idled``; None while active

    def idled(self, now: float) -> None:
        self.idled_at = now

    def resumed(self) -> None:
        self.idled_at = None

    @property
    def idle(self) -> bool:
        return self.idled_at is not None

    def idle_seconds(self, now: float) -> float:
        """0 while active (the truth is below ``timeout_s``); else timeout plus time since."""
        if self.idled_at is None:
            return 0.0
        return self.timeout_s + max(0.0, now - self.idled_at)


class WaylandIdleSource:
    """``IdleSource`` and ``ActivityWatch`` from ext-idle-notify-v1 or org_kde_kwin_idle."""

    name = "wayland-idle"  # then "wayland-<the protocol used>"

    def __init__(self, env: Mapping[str, str] | None = None,
                 timeout_ms: int = DEFAULT_TIMEOUT_MS,
                 monotonic: Callable[[], float] = time.monotonic,
                 open_connection: Callable[[Mapping[str, str] | None], Connection] = connect
                 ) -> None:
        self._monotonic = monotonic
        self._clock = IdleClock(timeout_ms / 1000.0)
        self._lock = threading.Lock()
        self._active = threading.Event()
        self._active.set()
        self._lost: str | None = None
        try:
            self._connection = open_connection(env)
        except WaylandError as error:
            raise IdleUnavailable(f"no Wayland compositor: {error}") from error
        try:
            self._subscribe(timeout_ms)
        except (WaylandError, IdleUnavailable):
            self._connection.close()
            raise

    def _subscribe(self, timeout_ms: int) -> None:
        connection = self._connection
        seat = connection.find(SEAT)
        notifier = connection.find(EXT_NOTIFIER, KDE_IDLE)
        if seat is None or notifier is None:
            raise IdleUnavailable(f"the compositor offers neither {EXT_NOTIFIER} nor {KDE_IDLE}"
                                  if notifier is None else "the compositor offers no seat")
        seat_id = connection.bind(seat, 1)
        manager = connection.bind(notifier, 1)
        watch = connection.new_id(self._event)
        if notifier.interface == EXT_NOTIFIER:
            connection.send(manager, 1, "nuo", watch, timeout_ms, seat_id)
        else:
            connection.send(manager, 0, "nou", watch, seat_id, timeout_ms)
        self.name = f"wayland-{notifier.interface}"
        connection.roundtrip()
        if connection.error is not None:
            raise IdleUnavailable(f"{notifier.interface}: {connection.error}")
        connection.start_thread("wayland-idle", self._on_lost)

    def _event(self, opcode: int, _payload: bytes) -> None:
        """On the reader thread: ``idled``/``idle`` = 0, ``resumed`` = 1 in both protocols."""
        with self._lock:
            if opcode == 0:
                self._clock.idled(self._monotonic())
                self._active.clear()
            elif opcode == 1:
                self._clock.resumed()
                self._active.set()

    def _on_lost(self, why: str) -> None:
        with self._lock:
            self._lost = why
        self._active.set()  # wake a waiter so it sees the loss

    def idle_seconds(self) -> float:
        with self._lock:
            if self._lost is not None:
                raise IdleUnavailable(f"Wayland idle source lost: {self._lost}")
            return self._clock.idle_seconds(self._monotonic())

    def wait_for_activity(self, timeout: float) -> bool:
        """True at once while active (input within the last ``timeout_ms``), else on ``resumed``."""
        came = self._active.wait(timeout)
        with self._lock:
            if self._lost is not None:
                raise IdleUnavailable(f"Wayland idle source lost: {self._lost}")
        return came

    def close(self) -> None:
        self._connection.close()


