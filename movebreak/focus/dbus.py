"""Do-not-disturb as the notification server reports it, over the session bus (jeepney).

- KDE Plasma (and servers copying it): the ``Inhibited`` property of
  ``org.freedesktop.Notifications`` is true while DND is on.
- dunst: the ``paused`` property of ``org.dunstproject.cmd0`` (``dunstctl set-paused``)
  on the same object is its DND.

Each is a property read on one shared connection. A server that lacks the property
answers with an error at detection time, and that probe is simply not used.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from movebreak.focus.base import ProbeUnavailable, QuietReason

NOTIFICATIONS = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
DUNST_INTERFACE = "org.dunstproject.cmd0"
CALL_TIMEOUT_S = 1.0


class SessionBus:
    """One jeepney connection shared by the D-Bus probes, with the lock it needs."""

    def __init__(self, address: str | None = None) -> None:
        try:
            from jeepney.io.blocking import open_dbus_connection
        except ImportError as error:
            raise ProbeUnavailable("jeepney is not installed") from error
        try:
            self._connection = open_dbus_connection(bus=address or "SESSION")
        except (OSError, KeyError, ValueError, TimeoutError) as error:
            raise ProbeUnavailable(f"no D-Bus session bus: {error}") from error
        self._lock = threading.Lock()

    def get_property(self, name: str, path: str, interface: str, prop: str) -> Any:
        """``org.freedesktop.DBus.Properties.Get``; ``ProbeUnavailable`` on any error."""
        from jeepney import DBusAddress, MessageFlag, Properties
        from jeepney.wrappers import DBusErrorResponse, unwrap_msg

        message = Properties(DBusAddress(path, bus_name=name, interface=interface)).get(prop)
        message.header.flags = MessageFlag.no_auto_start  # a question must not start a server
        with self._lock:
            try:
                reply = self._connection.send_and_get_reply(message, timeout=CALL_TIMEOUT_S)
                ((_signature, value),) = unwrap_msg(reply)
            except DBusErrorResponse as error:
                raise ProbeUnavailable(f"{interface}.{prop}: {error.name}") from error
            except (OSError, TimeoutError, ValueError) as error:
                raise ProbeUnavailable(f"{interface}.{prop} failed: {error}") from error
        return value

    def close(self) -> None:
        with self._lock, contextlib.suppress(OSError):
            self._connection.close()


class NotificationServerDndProbe:
    """``QuietProbe``: DO_NOT_DISTURB while a boolean property of the server is true."""

    sees_fullscreen = False

    def __init__(self, bus: SessionBus, name: str, interface: str, prop: str) -> None:
        self.name = name
        self._bus = bus
        self._interface = interface
        self._prop = prop

    @classmethod
    def kde(cls, bus: SessionBus) -> NotificationServerDndProbe:
        return cls(bus, "notifications-inhibited", NOTIFICATIONS, "Inhibited")

    @classmethod
    def dunst(cls, bus: SessionBus) -> NotificationServerDndProbe:
        return cls(bus, "dunst-paused", DUNST_INTERFACE, "paused")

    def reason(self) -> QuietReason | None:
        value = self._bus.get_property(NOTIFICATIONS, NOTIFICATIONS_PATH, self._interface,
                                       self._prop)
        return QuietReason.DO_NOT_DISTURB if value is True else None

    def close(self) -> None:
        """The shared bus is closed by its owner, the detector."""
