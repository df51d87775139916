"""Idle time over the session D-Bus (jeepney): GNOME's Mutter, and the freedesktop API.

Under Wayland no client can see other clients' input, so the compositor must say:

- GNOME (Wayland and X11): ``org.gnome.Mutter.IdleMonitor`` at
  ``/org/gnome/Mutter/IdleMonitor/Core``, ``GetIdletime() -> t`` in milliseconds. It can
  also *tell* us when the user is back: ``AddUserActiveWatch() -> u`` makes Mutter emit
  ``WatchFired(u)`` on the next input, once; ``wait_for_activity`` waits on that signal.
- KDE on X11 and others: ``org.freedesktop.ScreenSaver.GetSessionIdleTime() -> u`` (ms).
  GNOME answers it with an error, and KDE under Wayland may too; then detection
  moves on.

One connection per source, opened once; calls hold a lock because a jeepney blocking
connection is not thread-safe. The activity wait uses a second connection of its own.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

from movebreak.idle.base import IdleUnavailable

CALL_TIMEOUT_S = 2.0

MUTTER_NAME = "org.gnome.Mutter.IdleMonitor"
MUTTER_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
SCREENSAVER_NAME = "org.freedesktop.ScreenSaver"
SCREENSAVER_PATH = "/org/freedesktop/ScreenSaver"


def open_bus(address: str | None) -> Any:
    """A blocking jeepney connection to the session bus at ``address`` (None: the default)."""
    try:
        from jeepney.io.blocking import open_dbus_connection
    except ImportError as error:
        raise IdleUnavailable("jeepney is not installed") from error
    try:
        return open_dbus_connection(bus=address or "SESSION")
    except (OSError, KeyError, ValueError, TimeoutError) as error:  # KeyError: no address set
        raise IdleUnavailable(f"no D-Bus session bus: {error}") from error


def call(connection: Any, name: str, path: str, method: str, timeout: float = CALL_TIMEOUT_S,
         signature: str | None = None, body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
    """Call ``method`` on ``name`` (interface = bus name) and return the reply's body."""
    from jeepney import DBusAddress, MessageFlag, new_method_call
    from jeepney.wrappers import DBusErrorResponse, unwrap_msg

    message = new_method_call(DBusAddress(path, bus_name=name, interface=name), method,
                              signature, body)
    message.header.flags = MessageFlag.no_auto_start  # asking must not start a screensaver
    try:
        reply = connection.send_and_get_reply(message, timeout=timeout)
        return tuple(unwrap_msg(reply))
    except DBusErrorResponse as error:
        raise IdleUnavailable(f"{name}.{method}: {error.name}") from error
    except (OSError, TimeoutError, ValueError) as error:
        raise IdleUnavailable(f"{name}.{method} failed: {error}") from error


class _BusSource:
    """What both D-Bus sources share: one connection, a lock, and closing."""

    def __init__(self, address: str | None) -> None:
        self._address = address
        self._connection = open_bus(address)
        self._lock = threading.Lock()

    def _call(self, name: str, path: str, method: str) -> tuple[Any, ...]:
        with self._lock:
            return call(self._connection, name, path, method)

    def close(self) -> None:
        with self._lock, contextlib.suppress(OSError):
            self._connection.close()


class MutterIdleSource(_BusSource):
    """``IdleSource`` and ``ActivityWatch`` from GNOME's Mutter."""

    name = "gnome-mutter"

    def idle_seconds(self) -> float:
        (milliseconds,) = self._call(MUTTER_NAME, MUTTER_PATH, "GetIdletime")
        return int(milliseconds) / 1000.0

    def wait_for_activity(self, timeout: float) -> bool:
        """Ask Mutter for a one-shot user-active watch and wait for its ``WatchFired``."""
        from jeepney import MatchRule

        rule = MatchRule(type="signal", interface=MUTTER_NAME, member="WatchFired",
                         path=MUTTER_PATH)
        connection = open_bus(self._address)  # signals must not queue up on the call lock
        try:
            call(connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "AddMatch",
                 signature="s", body=(rule.serialise(),))
            with connection.filter(rule, bufsize=16) as fired:
                (watch_id,) = call(connection, MUTTER_NAME, MUTTER_PATH, "AddUserActiveWatch")
                return _until_fired(connection, fired, int(watch_id), timeout)
        finally:
            with contextlib.suppress(OSError):
                connection.close()  # Mutter drops a closed client's watches


def _until_fired(connection: Any, fired: Any, watch_id: int, timeout: float) -> bool:
    """Block on the bus until ``WatchFired(watch_id)`` or the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        try:
            message = connection.recv_until_filtered(fired, timeout=remaining)
        except TimeoutError:
            return False
        except OSError as error:
            raise IdleUnavailable(f"waiting for Mutter's watch failed: {error}") from error
        if message.body and int(message.body[0]) == watch_id:
            return True


class FreedesktopIdleSource(_BusSource):
    """``IdleSource`` from ``org.freedesktop.ScreenSaver`` (KDE on X11, some others)."""

    name = "freedesktop-screensaver"

    def idle_seconds(self) -> float:
        (milliseconds,) = self._call(SCREENSAVER_NAME, SCREENSAVER_PATH, "GetSessionIdleTime")
        return int(milliseconds) / 1000.0
