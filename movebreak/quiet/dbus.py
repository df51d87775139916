"""Do-not-disturb as the notification server reports it, over the session bus (jeepney).

- KDE Plasma (and servers copying it): the ``Inhibited`` property of
  ``org.freedesktop.Notifications`` is true while DND is on.
- dunst: the ``paused`` property of ``org.dunstproject.cmd0`` (``dunstctl set-paused``)
  on the same object is its DND.
- mako: no DND switch, but *modes* (``makoctl mode -a NAME``); ``fr.emersion.Mako.ListModes``
  on ``/fr/emersion/Mako`` lists the active ones. See ``MakoModeDndProbe``.

Each is a property read on one shared connection. A server that lacks the property
answers with an error at detection time, and that probe is simply not used.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from movebreak.quiet.base import QuietReason, QuietUnavailable

NOTIFICATIONS = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
DUNST_INTERFACE = "org.dunstproject.cmd0"
MAKO_PATH = "/fr/emersion/Mako"
MAKO_INTERFACE = "fr.emersion.Mako"
PROPERTIES = "org.freedesktop.DBus.Properties"
CALL_TIMEOUT_S = 1.0


class SessionBus:
    """One jeepney connection shared by the D-Bus probes, with the lock it needs."""

    def __init__(self, address: str | None = None) -> None:
        try:
            from jeepney.io.blocking import open_dbus_connection
        except ImportError as error:
            raise QuietUnavailable("jeepney is not installed") from error
        self.address = address or "SESSION"
        try:
            self._connection = open_dbus_connection(bus=self.address)
        except (OSError, KeyError, ValueError, TimeoutError) as error:
            raise QuietUnavailable(f"no D-Bus session bus: {error}") from error
        self._lock = threading.Lock()

    def get_property(self, name: str, path: str, interface: str, prop: str) -> Any:
        """``org.freedesktop.DBus.Properties.Get``; ``QuietUnavailable`` on any error."""
        from jeepney import DBusAddress, MessageFlag, Properties
        from jeepney.wrappers import DBusErrorResponse, unwrap_msg

        message = Properties(DBusAddress(path, bus_name=name, interface=interface)).get(prop)
        message.header.flags = MessageFlag.no_auto_start  # a question must not start a server
        with self._lock:
            try:
                reply = self._connection.send_and_get_reply(message, timeout=CALL_TIMEOUT_S)
                ((_signature, value),) = unwrap_msg(reply)
            except DBusErrorResponse as error:
                raise QuietUnavailable(f"{interface}.{prop}: {error.name}") from error
            except (OSError, TimeoutError, ValueError) as error:
                raise QuietUnavailable(f"{interface}.{prop} failed: {error}") from error
        return value

    def call(self, name: str, path: str, interface: str, method: str,
             signature: str | None = None, body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        """A method call's reply body; ``QuietUnavailable`` on any error."""
        from jeepney import DBusAddress, MessageFlag, new_method_call
        from jeepney.wrappers import DBusErrorResponse, unwrap_msg

        message = new_method_call(DBusAddress(path, bus_name=name, interface=interface),
                                  method, signature, body)
        message.header.flags = MessageFlag.no_auto_start
        with self._lock:
            try:
                reply = self._connection.send_and_get_reply(message, timeout=CALL_TIMEOUT_S)
                return tuple(unwrap_msg(reply))
            except DBusErrorResponse as error:
                raise QuietUnavailable(f"{interface}.{method}: {error.name}") from error
            except (OSError, TimeoutError, ValueError) as error:
                raise QuietUnavailable(f"{interface}.{method} failed: {error}") from error

    def owner_pid(self, name: str) -> int | None:
        """The process that owns ``name`` on the bus, if the bus will say."""
        try:
            (pid,) = self.call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                               "org.freedesktop.DBus", "GetConnectionUnixProcessID", "s",
                               (name,))
        except QuietUnavailable:
            return None
        return int(pid)

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
        self._watch: PropertyWatch | None = None

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

    def on_change(self, callback: Callable[[], None]) -> None:
        """``QuietWatch``: the server's ``PropertiesChanged`` for the property (Plasma sends it)."""
        if self._watch is None:
            self._watch = PropertyWatch(self._bus.address, NOTIFICATIONS, NOTIFICATIONS_PATH,
                                        self._interface, self._prop)
        self._watch.callbacks.append(callback)

    def close(self) -> None:
        """Its own watch, if any; the shared bus is closed by its owner, the detector."""
        if self._watch is not None:
            self._watch.close()


class PropertyWatch:
    """One connection and thread waiting for ``PropertiesChanged`` of one property.

    The match rule names the server's well-known name, path and interface, so the bus
    sends nothing else; the thread blocks in ``receive`` until ``close`` shuts the
    socket down. Callbacks run on that thread.
    """

    def __init__(self, address: str, name: str, path: str, interface: str, prop: str) -> None:
        from jeepney import MatchRule, message_bus
        from jeepney.io.blocking import open_dbus_connection
        from jeepney.wrappers import DBusErrorResponse, unwrap_msg

        self._prop = prop
        self.callbacks: list[Callable[[], None]] = []
        rule = MatchRule(type="signal", sender=name, path=path, interface=PROPERTIES,
                         member="PropertiesChanged")
        rule.add_arg_condition(0, interface)
        try:
            self._connection = open_dbus_connection(bus=address)
        except (OSError, KeyError, ValueError, TimeoutError) as error:
            raise QuietUnavailable(f"no D-Bus session bus: {error}") from error
        try:
            unwrap_msg(self._connection.send_and_get_reply(message_bus.AddMatch(rule),
                                                           timeout=CALL_TIMEOUT_S))
        except (DBusErrorResponse, OSError, TimeoutError, ValueError) as error:
            self._connection.close()
            raise QuietUnavailable(f"cannot watch {interface}.{prop}: {error}") from error
        self._thread = threading.Thread(target=self._run, name=f"watch-{prop}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                message = self._connection.receive()
            except (OSError, ValueError):
                return  # closed, or the bus went away: the probe's reads say so
            body = message.body
            if len(body) == 3 and (self._prop in body[1] or self._prop in body[2]):
                for callback in list(self.callbacks):
                    callback()

    def close(self) -> None:
        import socket

        with contextlib.suppress(OSError):
            self._connection.sock.shutdown(socket.SHUT_RDWR)
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
        with contextlib.suppress(OSError):
            self._connection.close()


CONVENTIONAL_DND_MODES = frozenset({"do-not-disturb", "dnd"})
"""Mode names mako's own documentation and most dotfiles use for DND."""
_TRUE, _FALSE = {"1", "true"}, {"0", "false"}


def mako_config_modes(text: str) -> dict[str, bool]:
    """Each ``[mode=NAME]`` section's ``invisible`` setting: NAME -> hides notifications.

    Only sections whose criteria are just the mode (optionally with
    ``app-name=movebreak``) count: ``[mode=dnd urgency=low]`` hides only some
    notifications, which does not make the mode a do-not-disturb for our prompts.
    """
    modes: dict[str, bool] = {}
    current: str | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = _mode_of(line[1:-1])
            continue
        key, _, value = line.partition("=")
        value = value.strip().strip('"').lower()
        if current is not None and key.strip() == "invisible" and value in _TRUE | _FALSE:
            modes[current] = value in _TRUE
    return modes


def _mode_of(criteria: str) -> str | None:
    try:
        parts = shlex.split(criteria)
    except ValueError:
        return None
    fields = dict(part.partition("=")[::2] for part in parts)
    mode = fields.pop("mode", None)
    if fields.pop("app-name", "movebreak") != "movebreak" or fields:
        return None
    return mode or None


def mako_config_paths(env: Mapping[str, str], server_args: Iterable[str] = ()) -> list[Path]:
    """Where the running mako read its config: its ``-c``/``--config``, else mako's defaults."""
    args = list(server_args)
    for i, arg in enumerate(args):
        if arg in ("-c", "--config") and i + 1 < len(args):
            return [Path(args[i + 1])]
        if arg.startswith("--config="):
            return [Path(arg.partition("=")[2])]
    home = Path(env.get("HOME") or Path.home())
    config_home = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
    return [config_home / "mako" / "config", home / ".mako" / "config"]


class MakoModeDndProbe:
    """``QuietProbe``: DO_NOT_DISTURB while mako has a mode on that hides notifications.

    mako has no DND switch; people define a mode that hides everything (mako's man page:
    ``[mode=do-not-disturb]`` with ``invisible=1``) and turn it on with ``makoctl mode
    -a``. Mode names are the user's own, so a mode counts as DND when mako's config gives
    it ``invisible`` true, or when it has one of the conventional names (unless the
    config says ``invisible=0`` for it). The config is read at the start and read again
    only when an active mode is one it did not mention (``makoctl reload`` after an edit).

    mako 1.7.1 answers ``ListModes`` with a reply *and* an UnknownMethod error for the
    same serial; the blocking connection takes the first and drops the stray error.
    """

    name = "mako-mode"
    sees_fullscreen = False

    def __init__(self, bus: SessionBus, env: Mapping[str, str] | None = None,
                 read_text: Callable[[Path], str] = Path.read_text) -> None:
        self._bus = bus
        self._env = os.environ if env is None else env
        self._read_text = read_text
        self._server_args = self._owner_args()
        self._modes = self._read_modes()
        self._reread_for: frozenset[str] = frozenset()

    def _owner_args(self) -> list[str]:
        pid = self._bus.owner_pid(NOTIFICATIONS)
        if pid is None:
            return []
        try:
            raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return []
        return [part.decode(errors="replace") for part in raw.split(b"\0") if part]

    def _read_modes(self) -> dict[str, bool]:
        for path in mako_config_paths(self._env, self._server_args):
            try:
                return mako_config_modes(self._read_text(path))
            except OSError:
                continue
        return {}

    def hides(self, mode: str) -> bool:
        if mode in self._modes:
            return self._modes[mode]
        return mode in CONVENTIONAL_DND_MODES

    def reason(self) -> QuietReason | None:
        (active,) = self._bus.call(NOTIFICATIONS, MAKO_PATH, MAKO_INTERFACE, "ListModes")
        modes = [str(mode) for mode in active]
        unknown = frozenset(m for m in modes if m not in self._modes and m != "default")
        if unknown and unknown != self._reread_for:  # once per new set of unknown modes
            self._reread_for = unknown
            self._modes = self._read_modes()
        return QuietReason.DO_NOT_DISTURB if any(self.hides(m) for m in modes) else None

    def close(self) -> None:
        """The shared bus is closed by its owner, the detector."""
