"""A real, private KDE Plasma 5.27 desktop for end-to-end tests: KWin and plasmashell.

What a Plasma Wayland user has, each part private to the test run:

1. a namespace holder, a session bus and an empty system bus (``WaylandSession``;
   ``/run/systemd`` is hidden, so KWin and plasmashell find no logind and go on);
2. ``kwin_wayland --virtual`` with Xwayland. Debian's binary carries a file capability
   (``cap_sys_resource``) that a sandbox may refuse to execute, so a plain copy runs.
   ``KWIN_WAYLAND_NO_PERMISSION_CHECKS=1`` lets the test's own Wayland client use
   ``org_kde_kwin_fake_input``; ``KWIN_SCREENSHOT_NO_PERMISSION_CHECKS=1`` opens
   ``org.kde.KWin.ScreenShot2`` to the test. The lock screen stays (``--no-lockscreen``
   would also drop ``org.freedesktop.ScreenSaver``); ``kscreenlockerrc`` turns autolock off;
3. ``plasmashell`` with its default panel: the system tray (the StatusNotifier watcher
   and host) and Plasma's own notification server. Services the bus starts on demand
   (kded5, kactivitymanagerd) get the session's environment first, as a real session
   start does. Ready when ``org.kde.StatusNotifierWatcher`` and
   ``org.freedesktop.Notifications`` have owners.

The tools for tests: screenshots (``ScreenShot2.CaptureWorkspace`` into a pipe), real
input (``org_kde_kwin_fake_input``, spoken over the Wayland socket with the app's own
wire code), KWin scripts (``org.kde.kwin.Scripting``) to read and change window state,
and Plasma's DND (``Inhibit`` on the notification server, a cookie to ``UnInhibit``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import DesktopError, wait_until
from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection
from jeepney.wrappers import unwrap_msg
from PIL import Image
from session import (
    NOTIFICATIONS,
    NOTIFICATIONS_PATH,
    SCREEN,
    START_TIMEOUT_S,
    WATCHER,
    WaylandSession,
)

from movebreak.wayland.client import Connection, connect

KWIN = "org.kde.KWin"
SCREENSHOT_PATH = "/org/kde/KWin/ScreenShot2"
SCREENSHOT_IFACE = "org.kde.KWin.ScreenShot2"
SCRIPTING_PATH = "/Scripting"
SCRIPTING_IFACE = "org.kde.kwin.Scripting"
PLASMA_START_TIMEOUT_S = 40.0  # plasmashell's first start builds its layout: slow under load

KSCREENLOCKERRC = "[Daemon]\nAutolock=false\nLockOnResume=false\n"
KWINRC = "[Compositing]\nAnimationSpeed=0\n"
# Plasma would show a first-start "what's new" and feedback nag otherwise.
PLASMASHELLRC = "[PlasmaViews][Panel 2]\nfloating=0\n"

# org_kde_kwin_fake_input requests (KWin 5.27 offers version 4).
FAKE_INPUT = "org_kde_kwin_fake_input"
FAKE_AUTHENTICATE, FAKE_POINTER_MOTION, FAKE_BUTTON = 0, 1, 2
FAKE_POINTER_ABSOLUTE, FAKE_KEYBOARD_KEY = 9, 10
BTN_LEFT = 0x110
KEY_LEFTSHIFT = 42


@dataclass
class KdeDesktop(WaylandSession):
    """Bring it up with ``start()`` (or ``with``); everything private to this object."""

    prefix = "mb-kde-"
    desktop_names = "KDE"
    system_bus = True

    def __post_init__(self) -> None:
        super().__post_init__()
        self._fake: Connection | None = None
        self._fake_input: int | None = None
        self._fake_lock = threading.Lock()
        self._cookies: list[int] = []

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        return [("kwin", self._start_kwin), ("plasmashell", self._start_plasmashell)]

    @property
    def env(self) -> dict[str, str]:
        env = super().env
        env.update({"KDE_FULL_SESSION": "true", "KDE_SESSION_VERSION": "5",
                    "QT_QPA_PLATFORM": "wayland", "XDG_SESSION_DESKTOP": "KDE"})
        return env

    def _start_kwin(self) -> None:
        config = self.base / "config"
        (config / "kscreenlockerrc").write_text(KSCREENLOCKERRC)
        (config / "kwinrc").write_text(KWINRC)
        (config / "plasmashellrc").write_text(PLASMASHELLRC)
        binary = self.base / "kwin_wayland"  # a plain copy: no file capability on it
        shutil.copyfile(_which("kwin_wayland"), binary)
        binary.chmod(0o755)
        self.wayland_socket = self.run / "wayland-0"
        env = self.env
        env.pop("DISPLAY")  # KWin starts Xwayland and picks the display itself
        env.pop("WAYLAND_DISPLAY")
        env.update({"KWIN_WAYLAND_NO_PERMISSION_CHECKS": "1",
                    "KWIN_SCREENSHOT_NO_PERMISSION_CHECKS": "1",
                    "QT_QPA_PLATFORM": "offscreen"})
        kwin = self.spawn("kwin", self.in_ns([
            str(binary), "--virtual", "--width", str(SCREEN[0]), "--height", str(SCREEN[1]),
            "--xwayland", "--socket", "wayland-0"]), env)

        def up() -> bool:
            self.alive(kwin)
            assert self.wayland_socket is not None
            return self.wayland_socket.exists() and self.name_owner(KWIN) is not None

        wait_until(up, START_TIMEOUT_S, lambda: f"kwin_wayland; {self.log_tail('kwin')}")
        self.update_activation_environment(self.env)

    def _start_plasmashell(self) -> None:
        shell = self.spawn("plasmashell", self.in_ns(["plasmashell", "--no-respawn"]), self.env)
        self.wait_owner(WATCHER, shell, PLASMA_START_TIMEOUT_S)
        self.start_monitor(self.wait_owner(NOTIFICATIONS, shell, PLASMA_START_TIMEOUT_S))

    def reset_for_test(self) -> None:
        for cookie in self._cookies:
            with contextlib.suppress(Exception):
                self.uninhibit(cookie)
        self._cookies.clear()
        for note in self.notifications():
            if note.open:
                with contextlib.suppress(Exception):
                    self.call(NOTIFICATIONS, NOTIFICATIONS_PATH, NOTIFICATIONS,
                              "CloseNotification", "u", (note.id,))

    def save_failure(self, artifacts: Path) -> None:
        self.screenshot(artifacts / "failure.png")
        for name in ("kwin", "plasmashell"):
            shutil.copy2(self.log_dir / f"{name}.log", artifacts / f"{name}.log")

    def stop(self) -> None:
        if self._fake is not None:
            self._fake.close()
            self._fake = None
        super().stop()

    # ----- Plasma's do-not-disturb ---------------------------------------------
    def inhibit(self, reason: str = "a test") -> int:
        """Turn DND on as an app does (``Inhibit``); the cookie turns it off again."""
        (cookie,) = self.call(NOTIFICATIONS, NOTIFICATIONS_PATH, NOTIFICATIONS, "Inhibit",
                              "ssa{sv}", ("movebreak-tests", reason, {}))
        self._cookies.append(int(cookie))
        return int(cookie)

    def uninhibit(self, cookie: int) -> None:
        self.call(NOTIFICATIONS, NOTIFICATIONS_PATH, NOTIFICATIONS, "UnInhibit", "u", (cookie,))
        if cookie in self._cookies:
            self._cookies.remove(cookie)

    def inhibited(self) -> bool:
        return bool(self.get_property(NOTIFICATIONS, NOTIFICATIONS_PATH, NOTIFICATIONS,
                                      "Inhibited"))

    # ----- the compositor ------------------------------------------------------
    def screenshot(self, path: Path | None = None) -> Image.Image:
        """The whole workspace from KWin (``CaptureWorkspace`` writes raw pixels to a pipe)."""
        read_end, write_end = os.pipe()
        chunks: list[bytes] = []

        def drain() -> None:
            with os.fdopen(read_end, "rb") as pipe:
                while chunk := pipe.read(1 << 16):
                    chunks.append(chunk)

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        with open_dbus_connection(self.bus_address, enable_fds=True) as bus:
            message = new_method_call(
                DBusAddress(SCREENSHOT_PATH, bus_name=KWIN, interface=SCREENSHOT_IFACE),
                "CaptureWorkspace", "a{sv}h", ({"native-resolution": ("b", True)}, write_end))
            try:
                (meta,) = unwrap_msg(bus.send_and_get_reply(message, timeout=10))
            finally:
                os.close(write_end)
        reader.join(timeout=10)
        info = {key: value for key, (_sig, value) in meta.items()}
        width, height, stride = int(info["width"]), int(info["height"]), int(info["stride"])
        raw = b"".join(chunks)
        if len(raw) < stride * height:
            raise DesktopError(f"screenshot: {len(raw)} bytes for {info}")
        # QImage::Format_ARGB32(_Premultiplied) / RGB32: 0xAARRGGBB words, BGRA in memory.
        image = Image.frombuffer("RGBA", (width, height), raw, "raw", "BGRA", stride, 1)
        image = image.convert("RGB")
        if path is not None:
            image.save(path)
        return image

    def fake_input(self) -> tuple[Connection, int]:
        """One authenticated ``org_kde_kwin_fake_input`` for the whole session."""
        with self._fake_lock:
            if self._fake is None:
                connection = connect(self.env | {"WAYLAND_DISPLAY": str(self.wayland_socket)})
                offered = connection.find(FAKE_INPUT)
                if offered is None:
                    connection.close()
                    raise DesktopError(f"KWin offers no {FAKE_INPUT}")
                device = connection.bind(offered, 4)
                connection.send(device, FAKE_AUTHENTICATE, "ss", "movebreak tests",
                                "input for end-to-end tests")
                connection.roundtrip()
                self._fake, self._fake_input = connection, device
            assert self._fake_input is not None
            return self._fake, self._fake_input

    def press_key(self, code: int = KEY_LEFTSHIFT) -> None:
        """A key press and release through KWin's input stack (Linux evdev code)."""
        connection, device = self.fake_input()
        connection.send(device, FAKE_KEYBOARD_KEY, "uu", code, 1)
        connection.send(device, FAKE_KEYBOARD_KEY, "uu", code, 0)
        connection.roundtrip()

    def move_pointer(self, x: float, y: float) -> None:
        connection, device = self.fake_input()
        connection.send(device, FAKE_POINTER_ABSOLUTE, "ff", x, y)
        connection.roundtrip()

    def click(self, x: float, y: float) -> None:
        connection, device = self.fake_input()
        connection.send(device, FAKE_POINTER_ABSOLUTE, "ff", x, y)
        connection.send(device, FAKE_BUTTON, "uu", BTN_LEFT, 1)
        connection.send(device, FAKE_BUTTON, "uu", BTN_LEFT, 0)
        connection.roundtrip()

    # ----- KWin scripts ----------------------------------------------------------
    def run_script(self, source: str, name: str | None = None) -> int:
        """Load and run a KWin script; its ``print`` output lands in kwin.log."""
        name = name or f"mb-test-{time.monotonic_ns()}"
        path = self.base / f"{name}.js"
        path.write_text(source)
        (script_id,) = self.call(KWIN, SCRIPTING_PATH, SCRIPTING_IFACE, "loadScript", "ss",
                                 (str(path), name))
        if int(script_id) < 0:
            raise DesktopError(f"KWin did not load {path}")
        self.call(KWIN, SCRIPTING_PATH, SCRIPTING_IFACE, "start")  # runs what is loaded
        return int(script_id)

    def unload_script(self, name: str) -> None:
        self.call(KWIN, SCRIPTING_PATH, SCRIPTING_IFACE, "unloadScript", "s", (name,))

    def windows(self) -> list[dict[str, Any]]:
        """Each client KWin manages: caption, geometry, fullScreen, Xwayland or not.

        A script prints one marked line per client into KWin's log; the lines of this
        call's marker are read back.
        """
        marker = f"mb-windows-{time.monotonic_ns()}"
        source = (
            "var out = [];\n"
            "var clients = workspace.clientList();\n"
            "for (var i = 0; i < clients.length; i++) { var c = clients[i];\n"
            "  out.push({caption: c.caption, x: c.x, y: c.y, width: c.width,\n"
            "            height: c.height, fullScreen: c.fullScreen,\n"
            "            x11: c.windowId > 0 && !c.wayland, resourceClass:\n"
            "            String(c.resourceClass)}); }\n"
            f"print('{marker}' + JSON.stringify(out));\n"
        )
        self.run_script(source, marker)

        def line() -> list[dict[str, Any]] | None:
            for text in self.log_tail_full("kwin").splitlines():
                if marker in text:
                    return list(json.loads(text.split(marker, 1)[1]))
            return None

        try:  # KWin runs a started script a moment later: unloaded only once it answered
            return wait_until(line, 10, f"KWin's answer {marker}")
        finally:
            with contextlib.suppress(Exception):
                self.unload_script(marker)

    def log_tail_full(self, name: str) -> str:
        with contextlib.suppress(OSError):
            return (self.log_dir / f"{name}.log").read_text(errors="replace")
        return ""


def _which(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        raise DesktopError(f"{program} is not installed")
    return found


__all__ = ["KdeDesktop"]

