"""Fullscreen windows on KDE Plasma (Wayland), reported by a small KWin script.

A Wayland client cannot see other clients' windows, and KWin offers no
``zwlr_foreign_toplevel_manager_v1``. Its own window list for other programs,
``org_kde_plasma_window_management``, is a restricted interface: KWin hands it only
to programs whose desktop file asks for it. What any session program may do is load a
KWin script over D-Bus (``org.kde.kwin.Scripting.loadScript(path, name)``, then
``start``), and a script sees every window's ``fullScreen`` property.

So the probe writes a script that counts fullscreen windows whenever a window comes,
goes or changes its ``fullScreen`` state, and sends the answer with ``callDBus`` to a
tiny object this probe serves on its own bus connection (``Report(b)`` on
``/io/github/movebreak/Fullscreen``, addressed to the connection's unique name, so
nothing is claimed on the bus). One daemon thread blocks on that connection and keeps
the value current; ``reason()`` is a read under a lock, and ``on_change`` callbacks let
the app look again the moment a fullscreen window goes. The script is unloaded on
``close``; if the app dies first, KWin's calls to the vanished name simply fail.
"""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from movebreak.quiet.base import QuietReason, QuietUnavailable

KWIN = "org.kde.KWin"
SCRIPTING_PATH = "/Scripting"
SCRIPTING_INTERFACE = "org.kde.kwin.Scripting"
REPORT_PATH = "/io/github/movebreak/Fullscreen"
REPORT_INTERFACE = "io.github.movebreak.Fullscreen"
CALL_TIMEOUT_S = 2.0
FIRST_REPORT_TIMEOUT_S = 3.0  # KWin runs a started script on its next event-loop pass

SCRIPT = """// movebreak: is any window fullscreen? (see movebreak/quiet/kwin.py)
var SERVICE = %(service)s;
function report(gone) {
    var clients = workspace.clientList();
    var any = false;
    for (var i = 0; i < clients.length; i++) {
        if (clients[i] !== gone && clients[i].fullScreen) { any = true; }
    }
    callDBus(SERVICE, %(path)s, %(interface)s, "Report", any);
}
function watch(client) {
    client.fullScreenChanged.connect(function () { report(null); });
}
var clients = workspace.clientList();
for (var i = 0; i < clients.length; i++) { watch(clients[i]); }
workspace.clientAdded.connect(function (client) { watch(client); report(null); });
workspace.clientRemoved.connect(function (client) { report(client); });
report(null);
"""


def is_kde(env: Mapping[str, str]) -> bool:
    """True when ``XDG_CURRENT_DESKTOP`` (a colon-separated list) names KDE."""
    return "kde" in env.get("XDG_CURRENT_DESKTOP", "").lower().split(":")


def script_source(service: str) -> str:
    """The KWin script for one app connection (JSON strings are valid JS literals)."""
    import json

    return SCRIPT % {"service": json.dumps(service), "path": json.dumps(REPORT_PATH),
                     "interface": json.dumps(REPORT_INTERFACE)}


class KWinFullscreenProbe:
    """``QuietProbe``: FULLSCREEN while KWin's script last reported a fullscreen window."""

    name = "kwin-fullscreen"
    sees_fullscreen = True

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        try:
            from jeepney.io.blocking import open_dbus_connection
        except ImportError as error:
            raise QuietUnavailable("jeepney is not installed") from error
        try:
            self._bus = open_dbus_connection(bus=env.get("DBUS_SESSION_BUS_ADDRESS") or "SESSION")
        except (OSError, KeyError, ValueError, TimeoutError) as error:
            raise QuietUnavailable(f"no D-Bus session bus: {error}") from error
        self._lock = threading.Lock()  # guards the state below and serialises sends
        self._fullscreen: bool | None = None  # None until the script's first report
        self._lost: str | None = None
        self._reported = threading.Event()
        self._callbacks: list[Callable[[], None]] = []
        self._replies: dict[int, tuple[threading.Event, list[Any]]] = {}
        self._script_name = "movebreak-fullscreen-" + str(self._bus.unique_name).translate(
            str.maketrans(":.", "__"))
        self._script_path: Path | None = None
        self._loaded = False
        self._thread = threading.Thread(target=self._run, name="kwin-fullscreen", daemon=True)
        self._thread.start()
        try:
            self._load_script(env)
        except BaseException:
            self.close()
            raise

    # ----- set-up --------------------------------------------------------------
    def _load_script(self, env: Mapping[str, str]) -> None:
        (owned,) = self._call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                              "org.freedesktop.DBus", "NameHasOwner", "s", (KWIN,))
        if not owned:
            raise QuietUnavailable("KWin is not on the session bus")
        folder = Path(env.get("XDG_RUNTIME_DIR") or tempfile.gettempdir())
        fd, path = tempfile.mkstemp(prefix="movebreak-kwin-", suffix=".js", dir=folder)
        with os.fdopen(fd, "w") as script:
            script.write(script_source(str(self._bus.unique_name)))
        self._script_path = Path(path)
        (script_id,) = self._call(KWIN, SCRIPTING_PATH, SCRIPTING_INTERFACE, "loadScript", "ss",
                                  (path, self._script_name))
        if int(script_id) < 0:
            raise QuietUnavailable(f"KWin did not load the script {path}")
        self._loaded = True
        self._call(KWIN, SCRIPTING_PATH, SCRIPTING_INTERFACE, "start")
        if not self._reported.wait(FIRST_REPORT_TIMEOUT_S):
            raise QuietUnavailable("KWin's script never reported (scripting disabled?)")

    # ----- the connection --------------------------------------------------------
    def _call(self, name: str, path: str, interface: str, method: str,
              signature: str | None = None, body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        """A method call answered through the reader thread; ``QuietUnavailable`` on errors."""
        from jeepney import DBusAddress, MessageFlag, MessageType, new_method_call

        message = new_method_call(DBusAddress(path, bus_name=name, interface=interface),
                                  method, signature, body)
        message.header.flags = MessageFlag.no_auto_start
        done = threading.Event()
        answer: list[Any] = []
        with self._lock:
            if self._lost is not None:
                raise QuietUnavailable(f"{interface}.{method}: {self._lost}")
            serial = next(self._bus.outgoing_serial)
            self._replies[serial] = (done, answer)
            try:
                self._bus.send(message, serial=serial)
            except OSError as error:
                raise QuietUnavailable(f"{interface}.{method} failed: {error}") from error
        if not done.wait(CALL_TIMEOUT_S) or not answer:
            with self._lock:
                self._replies.pop(serial, None)
                why = self._lost or "no answer"
            raise QuietUnavailable(f"{interface}.{method}: {why}")
        reply = answer[0]
        if reply.header.message_type is MessageType.error:
            raise QuietUnavailable(f"{interface}.{method}: {reply.body}")
        return tuple(reply.body)

    def _run(self) -> None:
        """The reader thread: replies to our calls, and KWin's reports."""
        from jeepney import HeaderFields, MessageType

        while True:
            try:
                message = self._bus.receive()
            except (OSError, ValueError) as error:
                self._on_lost(f"the session bus connection ended: {error}")
                return
            kind = message.header.message_type
            fields = message.header.fields
            if kind in (MessageType.method_return, MessageType.error):
                with self._lock:
                    waiting = self._replies.pop(fields.get(HeaderFields.reply_serial, -1), None)
                if waiting is not None:
                    waiting[1].append(message)
                    waiting[0].set()
            elif kind is MessageType.method_call:
                self._answer(message)

    def _answer(self, message: Any) -> None:
        from jeepney import HeaderFields, new_error, new_method_return

        fields = message.header.fields
        if (fields.get(HeaderFields.path) == REPORT_PATH
                and fields.get(HeaderFields.member) == "Report" and len(message.body) == 1):
            with self._lock:
                changed = self._fullscreen is not None and self._fullscreen != bool(
                    message.body[0])
                self._fullscreen = bool(message.body[0])
                callbacks = list(self._callbacks) if changed else []
            self._reported.set()
            reply = new_method_return(message)
        else:
            callbacks = []
            reply = new_error(message, "org.freedesktop.DBus.Error.UnknownMethod",
                              "s", ("movebreak serves only Report here",))
        for callback in callbacks:  # before the reply: KWin's callDBus does not wait for it
            callback()
        with self._lock, contextlib.suppress(OSError):
            self._bus.send(reply)

    def _on_lost(self, why: str) -> None:
        with self._lock:
            if self._lost is None:
                self._lost = why
            waiting = list(self._replies.values())
            self._replies.clear()
        for done, _answer in waiting:
            done.set()
        self._reported.set()

    # ----- the probe -------------------------------------------------------------
    def reason(self) -> QuietReason | None:
        with self._lock:
            if self._lost is not None:
                raise QuietUnavailable(f"KWin's fullscreen reports lost: {self._lost}")
            return QuietReason.FULLSCREEN if self._fullscreen else None

    def on_change(self, callback: Callable[[], None]) -> None:
        """``QuietWatch``: called on the reader thread after a report that changed the answer."""
        with self._lock:
            self._callbacks.append(callback)

    def close(self) -> None:
        """Unload the script (best effort), then end the connection and its thread."""
        if self._loaded:
            with contextlib.suppress(QuietUnavailable):
                self._call(KWIN, SCRIPTING_PATH, SCRIPTING_INTERFACE, "unloadScript", "s",
                           (self._script_name,))
        self._on_lost("closed")
        with contextlib.suppress(OSError):
            self._bus.sock.shutdown(socket.SHUT_RDWR)  # wakes the reader's receive
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
        with contextlib.suppress(OSError):
            self._bus.close()
        if self._script_path is not None:
            with contextlib.suppress(OSError):
                self._script_path.unlink()
