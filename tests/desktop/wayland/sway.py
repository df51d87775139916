"""A real, private sway desktop for end-to-end tests: sway 1.7, waybar (tray), mako.

What a sway user has, each part private to the test run:

1-2. a namespace holder and a session bus (``session.WaylandSession``, shared with the
   KDE stack);
3. ``sway`` with the headless wlroots backend and software rendering, in a user
   namespace (sway refuses to run as root), Xwayland on (started lazily);
4. ``waybar`` with only the ``tray`` module: the StatusNotifier watcher and host;
5. ``mako``, the notification server, with a ``do-not-disturb`` mode in its config.

Bring-up, teardown, the tray and the notification monitor are ``WaylandSession``'s;
this module adds mako's actions and modes over ``fr.emersion.Mako``, ``grim``
screenshots, ``swaymsg`` and ``wtype``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import DesktopError, Notification, wait_until
from PIL import Image
from session import (
    NOTIFICATIONS,
    SCREEN,
    START_TIMEOUT_S,
    WATCHER,
    MenuItem,
    WaylandSession,
)

from movebreak.wayland.client import Connection
from movebreak.wayland.client import connect as wayland_connect

MAKO_PATH = "/fr/emersion/Mako"
MAKO_IFACE = "fr.emersion.Mako"

BTN_LEFT = 0x110  # linux/input-event-codes.h
SWAY_UID = 1000  # sway runs as this user inside its own user namespace

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_timer_rule() -> str:
    """The ``for_window`` rule the README gives sway users for the timer window."""
    for line in README.read_text().splitlines():
        if line.startswith('for_window [class="Movebreak-timer"]'):
            return line
    raise DesktopError("README.md has no sway for_window rule for the timer window")


SWAY_CONFIG = f"""output HEADLESS-1 resolution {SCREEN[0]}x{SCREEN[1]}
xwayland enable
default_border pixel 2
focus_follows_mouse no
{readme_timer_rule()}
"""

WAYBAR_CONFIG = {
    "layer": "top",
    "position": "top",
    "height": 30,
    "modules-left": [],
    "modules-center": [],
    "modules-right": ["tray"],
    "tray": {"icon-size": 24, "spacing": 8},
}
WAYBAR_STYLE = "* { font-size: 12px; } window#waybar { background: #303030; }\n"

MAKO_CONFIG = """anchor=bottom-right
default-timeout=0
max-visible=10

[mode=do-not-disturb]
invisible=1
"""


@dataclass
class SwayDesktop(WaylandSession):
    """Bring it up with ``start()`` (or ``with``); everything private to this object."""

    prefix = "mb-sway-"
    desktop_names = "sway"

    def __post_init__(self) -> None:
        super().__post_init__()
        self.swaysock: Path | None = None
        self._pointer: tuple[Connection, int] | None = None

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        return [("sway", self._start_sway), ("waybar", self._start_waybar),
                ("mako", self._start_mako)]

    @property
    def env(self) -> dict[str, str]:
        env = super().env
        env["SWAYSOCK"] = str(self.swaysock or "")
        return env

    def _start_sway(self) -> None:
        config = self.base / "sway.conf"
        config.write_text(SWAY_CONFIG)
        env = {
            "PATH": "/usr/bin:/bin", "HOME": str(self.base / "home"),
            "XDG_RUNTIME_DIR": str(self.run),
            "XDG_CONFIG_HOME": str(self.base / "config"),
            "DBUS_SESSION_BUS_ADDRESS": self.bus_address,
            "WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1",
            "WLR_RENDERER": "pixman", "LANG": "C.UTF-8",
        }
        sway = self.spawn("sway", self.in_ns([
            "unshare", "--user", f"--map-user={SWAY_UID}", f"--map-group={SWAY_UID}",
            "sway", "-c", str(config), "-d"]), env)

        def sockets() -> bool:
            self.alive(sway)
            names = [p.name for p in self.run.iterdir()]
            wayland = [n for n in names if n.startswith("wayland-") and not n.endswith(".lock")]
            ipc = [n for n in names if n.startswith("sway-ipc.")]
            if not wayland or not ipc:
                return False
            self.wayland_socket = self.run / wayland[0]
            self.swaysock = self.run / ipc[0]
            return self.swaymsg_ok()

        wait_until(sockets, START_TIMEOUT_S, lambda: f"sway's sockets; {self.log_tail('sway')}")

    def swaymsg_ok(self) -> bool:
        done = subprocess.run(["swaymsg", "-s", str(self.swaysock), "-t", "get_version"],
                              capture_output=True, timeout=5, check=False)
        return done.returncode == 0

    def _start_waybar(self) -> None:
        config = self.base / "waybar.json"
        config.write_text(json.dumps(WAYBAR_CONFIG))
        style = self.base / "waybar.css"
        style.write_text(WAYBAR_STYLE)
        waybar = self.spawn("waybar", self.in_ns(
            ["waybar", "-c", str(config), "-s", str(style)]), self.env)
        self.wait_owner(WATCHER, waybar)

    def _start_mako(self) -> None:
        config = self.base / "mako.conf"
        config.write_text(MAKO_CONFIG)
        mako = self.spawn("mako", self.in_ns(["mako", "-c", str(config)]), self.env)
        self.start_monitor(self.wait_owner(NOTIFICATIONS, mako))

    # ----- mako -------------------------------------------------------------
    def reset_for_test(self) -> None:
        self.set_modes(["default"])
        self.dismiss_all()

    def save_failure(self, artifacts: Path) -> None:
        self.screenshot(artifacts / "failure.png")
        shutil.copy2(self.log_dir / "sway.log", artifacts / "sway.log")

    def mako_list(self) -> list[dict[str, Any]]:
        """What mako shows now (``ListNotifications``), variants unwrapped."""
        (items,) = self.call(NOTIFICATIONS, MAKO_PATH, MAKO_IFACE, "ListNotifications")
        return [{key: value for key, (_sig, value) in entry.items()} for entry in items]

    def invoke_action(self, notification_id: int, action: str) -> None:
        """What a click on a button does: mako's ``InvokeAction(id, key)``."""
        self.call(NOTIFICATIONS, MAKO_PATH, MAKO_IFACE, "InvokeAction", "us",
                  (notification_id, action))

    def dismiss_all(self) -> None:
        self.call(NOTIFICATIONS, MAKO_PATH, MAKO_IFACE, "DismissAllNotifications")

    def modes(self) -> list[str]:
        (modes,) = self.call(NOTIFICATIONS, MAKO_PATH, MAKO_IFACE, "ListModes")
        return [str(m) for m in modes]

    def set_modes(self, modes: Sequence[str]) -> None:
        self.call(NOTIFICATIONS, MAKO_PATH, MAKO_IFACE, "SetModes", "as", (list(modes),))

    # ----- the compositor ------------------------------------------------------
    def screenshot(self, path: Path | None = None) -> Image.Image:
        """A ``grim`` PNG of the whole output."""
        target = path or self.base / "shot.png"
        subprocess.run(["grim", str(target)], env=self.env, check=True, timeout=10,
                       capture_output=True)
        with Image.open(target) as image:
            image.load()
            return image.copy()

    def swaymsg(self, *args: str) -> Any:
        done = subprocess.run(["swaymsg", "-s", str(self.swaysock), "-r", *args],
                              capture_output=True, text=True, timeout=10, check=False)
        if done.returncode != 0:
            raise DesktopError(f"swaymsg {args}: {done.stdout} {done.stderr}")
        return json.loads(done.stdout) if done.stdout.strip() else None

    def windows(self) -> list[dict[str, Any]]:
        """Every window in sway's tree (Wayland and Xwayland), with rect and state."""
        found: list[dict[str, Any]] = []

        def walk(node: dict[str, Any]) -> None:
            if node.get("pid") and node.get("type") in ("con", "floating_con"):
                found.append(node)
            for child in node.get("nodes", []) + node.get("floating_nodes", []):
                walk(child)

        walk(self.swaymsg("-t", "get_tree"))
        return found

    def type_key(self, *keys: str) -> None:
        """Press keys through the compositor's virtual keyboard (``wtype -k``)."""
        args = [part for key in keys for part in ("-k", key)]
        subprocess.run(["wtype", *args], env=self.env, check=True, timeout=10,
                       capture_output=True)

    def stop(self) -> None:
        super().stop()
        if self._pointer is not None:  # after sway: unplugging it could crash sway 1.7
            self._pointer[0].close()
            self._pointer = None

    def move_pointer(self, x: int, y: int) -> None:
        """Move the virtual pointer to (x, y) (see ``click``)."""
        connection, pointer = self._virtual_pointer()
        connection.send(pointer, 1, "uuuuu", _stamp(), x, y, SCREEN[0], SCREEN[1])
        connection.send(pointer, 4)
        self._pointer_sync(connection)

    def click(self, x: int, y: int, button: int = BTN_LEFT) -> None:
        """Move a virtual pointer to (x, y) and click: real input through the compositor.

        Headless sway has no pointer; ``zwlr_virtual_pointer_v1`` (spoken by the app's
        own Wayland client) gives it one. Manager: ``create_virtual_pointer(seat, id)``
        = 0. Pointer: ``motion_absolute(time, x, y, x_extent, y_extent)`` = 1,
        ``button(time, button, state)`` = 2, ``frame`` = 4. The pointer stays plugged in
        for the session: sway 1.7 died on the next IPC request after a virtual pointer
        was destroyed right after its click.

        An X client on Xwayland may see the press before it has handled the pointer's
        entry (a Tk button then ignores the click): move first with ``move_pointer`` and
        wait for the hover to show before clicking.
        """
        self.move_pointer(x, y)
        connection, pointer = self._virtual_pointer()
        for state in (1, 0):  # pressed, released
            connection.send(pointer, 2, "uuu", _stamp(), button, state)
            connection.send(pointer, 4)
        self._pointer_sync(connection)

    @staticmethod
    def _pointer_sync(connection: Connection) -> None:
        connection.roundtrip()
        if connection.error is not None:
            raise DesktopError(f"virtual pointer: {connection.error}")

    def _virtual_pointer(self) -> tuple[Connection, int]:
        if self._pointer is None:
            connection = wayland_connect(self.env)
            manager = connection.find("zwlr_virtual_pointer_manager_v1")
            seat = connection.find("wl_seat")
            if manager is None or seat is None:
                connection.close()
                raise DesktopError("sway offers no virtual pointer")
            seat_id = connection.bind(seat, 1)
            manager_id = connection.bind(manager, 1)
            pointer = connection.new_id()
            connection.send(manager_id, 0, "on", seat_id, pointer)
            self._pointer = (connection, pointer)
        return self._pointer


def _stamp() -> int:
    """An input event's time in ms (any monotonic counter will do)."""
    return int(time.monotonic() * 1000) & 0xFFFFFFFF


__all__ = ["MenuItem", "Notification", "SwayDesktop"]
