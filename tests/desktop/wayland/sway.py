"""A real, private sway desktop for end-to-end tests: sway 1.7, waybar (tray), mako.

What a sway user has, each part private to the test run:

1. a namespace holder: ``unshare -m -n`` runs a small shell that mounts a fresh tmpfs
   over ``/tmp`` (with the harness's own folder bound back in at the same path),
   brings ``lo`` up and sleeps. Every other process joins it with ``nsenter -m -n``,
   so Xwayland's ``/tmp/.X11-unix``, its lock files and abstract sockets cannot clash
   with other sessions on the machine;
2. a session bus (``dbus-daemon --session`` at ``$RUN/bus``);
3. ``sway`` with the headless wlroots backend and software rendering, in a user
   namespace (sway refuses to run as root), Xwayland on (started lazily);
4. ``waybar`` with only the ``tray`` module: the StatusNotifier watcher and host;
5. ``mako``, the notification server, with a ``do-not-disturb`` mode in its config.

Every process gets a full, explicit environment (``env -i``). Readiness waits have
deadlines (``wait_until``, 50 ms steps, or a socket that appears); teardown goes by
PID in reverse order, each daemon's descendants included, the holder last.

The tools for tests: the tray's items over ``org.kde.StatusNotifierWatcher``, menus
over ``com.canonical.dbusmenu``, what mako received (a D-Bus monitor), mako's actions
and modes over ``fr.emersion.Mako``, ``grim`` screenshots, ``swaymsg`` and ``wtype``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import (
    AppHandle,
    DesktopError,
    Notification,
    ProcInfo,
    _die_with_parent,
    _NotificationMonitor,
    _safe,
    descendants,
    end_processes,
    read_proc,
    wait_until,
)
from jeepney import DBusAddress, MessageType, Properties, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import unwrap_msg
from PIL import Image

from movebreak.wayland.client import Connection
from movebreak.wayland.client import connect as wayland_connect

NOTIFICATIONS = "org.freedesktop.Notifications"
MAKO_PATH = "/fr/emersion/Mako"
MAKO_IFACE = "fr.emersion.Mako"
WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
SNI_IFACE = "org.kde.StatusNotifierItem"
DBUSMENU_IFACE = "com.canonical.dbusmenu"

SCREEN = (1280, 800)
BTN_LEFT = 0x110  # linux/input-event-codes.h
SWAY_UID = 1000  # sway runs as this user inside its own user namespace
START_TIMEOUT_S = 15.0

SWAY_CONFIG = f"""output HEADLESS-1 resolution {SCREEN[0]}x{SCREEN[1]}
xwayland enable
default_border pixel 2
focus_follows_mouse no
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

HOLDER_SCRIPT = r"""set -e
base="$1"
mount -t tmpfs -o mode=1777 tmpfs "$base/ns-tmp"
case "$base" in
  /tmp/*) mkdir -p "$base/ns-tmp/${base#/tmp/}"
          mount --bind "$base" "$base/ns-tmp/${base#/tmp/}" ;;
esac
mount --rbind "$base/ns-tmp" /tmp
ip link set lo up 2>/dev/null || true
echo ready > "$base/holder.ready"
exec sleep infinity
"""


@dataclass
class _Daemon:
    name: str
    info: ProcInfo
    popen: subprocess.Popen[bytes]


@dataclass(frozen=True)
class MenuItem:
    """One dbusmenu entry: its id, label (mnemonic underscores removed) and flags."""

    id: int
    label: str
    enabled: bool
    visible: bool
    type: str
    children: tuple[MenuItem, ...] = ()

    def walk(self) -> list[MenuItem]:
        items = [self]
        for child in self.children:
            items += child.walk()
        return items


@dataclass
class SwayDesktop:
    """Bring it up with ``start()`` (or ``with``); everything private to this object."""

    log_dir: Path
    base: Path = field(init=False)
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="mb-sway-"))
        self.run = self.base / "run"
        self._daemons: list[_Daemon] = []
        self._holder: _Daemon | None = None
        self._bus: DBusConnection | None = None
        self._monitor: _NotificationMonitor | None = None
        self._apps: list[AppHandle] = []
        self._app_count = 0
        self._seen = 0
        self._pointer: tuple[Connection, int] | None = None
        self.wayland_socket: Path | None = None
        self.swaysock: Path | None = None

    # ------------------------------------------------------------------ bring-up
    def __enter__(self) -> SwayDesktop:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> SwayDesktop:
        started = time.monotonic()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        try:
            for name, step in (("namespace", self._start_holder), ("dbus", self._start_bus),
                               ("sway", self._start_sway), ("waybar", self._start_waybar),
                               ("mako", self._start_mako)):
                t0 = time.monotonic()
                step()
                self.timings[name] = round(time.monotonic() - t0, 3)
        except BaseException:
            self.stop()
            raise
        self.timings["total"] = round(time.monotonic() - started, 3)
        (self.log_dir / "timings.json").write_text(json.dumps(self.timings, indent=1))
        return self

    @property
    def env(self) -> dict[str, str]:
        """The session's environment (a copy): what a program started in sway would see."""
        assert self.wayland_socket is not None
        return {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(self.base / "home"),
            "XDG_CONFIG_HOME": str(self.base / "config"),
            "XDG_DATA_HOME": str(self.base / "data"),
            "XDG_CACHE_HOME": str(self.base / "cache"),
            "XDG_STATE_HOME": str(self.base / "state"),
            "XDG_RUNTIME_DIR": str(self.run),
            "DBUS_SESSION_BUS_ADDRESS": f"unix:path={self.run / 'bus'}",
            "WAYLAND_DISPLAY": self.wayland_socket.name,
            "DISPLAY": ":0",  # the private /tmp/.X11-unix is empty: Xwayland takes :0
            "XDG_SESSION_TYPE": "wayland",
            "XDG_CURRENT_DESKTOP": "sway",
            "XDG_SESSION_DESKTOP": "sway",
            "SWAYSOCK": str(self.swaysock or ""),
            "NO_AT_BRIDGE": "1",
        }

    @property
    def holder_pid(self) -> int:
        """The namespace holder: ``nsenter -t PID -m -n`` joins the session's namespaces."""
        assert self._holder is not None
        return self._holder.info.pid

    def _in_ns(self, args: Sequence[str]) -> list[str]:
        assert self._holder is not None
        return ["nsenter", "-t", str(self._holder.info.pid), "-m", "-n", "--", *args]

    def _spawn(self, name: str, args: Sequence[str], env: Mapping[str, str],
               stdout: int | None = None) -> _Daemon:
        with (self.log_dir / f"{name}.log").open("wb") as log:
            popen = subprocess.Popen(
                list(args), env=dict(env), stdin=subprocess.DEVNULL,
                stdout=log if stdout is None else stdout, stderr=log,
                preexec_fn=_die_with_parent,
            )
        info = read_proc(popen.pid)
        if info is None:
            raise DesktopError(f"{name} exited at once: {self._log_tail(name)}")
        daemon = _Daemon(name, info, popen)
        self._daemons.append(daemon)
        return daemon

    def _log_tail(self, name: str) -> str:
        with contextlib.suppress(OSError):
            return (self.log_dir / f"{name}.log").read_text(errors="replace")[-2000:]
        return ""

    def _alive(self, daemon: _Daemon) -> None:
        if daemon.popen.poll() is not None:
            raise DesktopError(f"{daemon.name} exited ({daemon.popen.returncode}): "
                               f"{self._log_tail(daemon.name)}")

    def _start_holder(self) -> None:
        for sub in ("ns-tmp", "home", "config", "data", "cache", "state", "apps"):
            (self.base / sub).mkdir(mode=0o700)
        self.run.mkdir(mode=0o700)
        script = self.base / "holder.sh"
        script.write_text(HOLDER_SCRIPT)
        self._holder = self._spawn(
            "namespace", ["unshare", "-m", "-n", "--propagation", "private", "sh", str(script),
                          str(self.base)], {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
        self._daemons.remove(self._holder)  # stopped last, separately

        def ready() -> bool:
            self._alive(self._holder)  # type: ignore[arg-type]
            return (self.base / "holder.ready").exists()

        wait_until(ready, START_TIMEOUT_S, "the namespace holder")

    def _start_bus(self) -> None:
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.base / "home"),
               "XDG_RUNTIME_DIR": str(self.run)}
        bus = self._spawn("dbus", self._in_ns([
            "dbus-daemon", "--session", "--nofork", f"--address=unix:path={self.run / 'bus'}"]),
            env)

        def listening() -> DBusConnection | None:
            self._alive(bus)
            if not (self.run / "bus").exists():
                return None
            try:
                return open_dbus_connection(f"unix:path={self.run / 'bus'}")
            except OSError:
                return None

        self._bus = wait_until(listening, START_TIMEOUT_S, "the session bus")

    def _start_sway(self) -> None:
        config = self.base / "sway.conf"
        config.write_text(SWAY_CONFIG)
        env = {
            "PATH": "/usr/bin:/bin", "HOME": str(self.base / "home"),
            "XDG_RUNTIME_DIR": str(self.run),
            "XDG_CONFIG_HOME": str(self.base / "config"),
            "DBUS_SESSION_BUS_ADDRESS": f"unix:path={self.run / 'bus'}",
            "WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1",
            "WLR_RENDERER": "pixman", "LANG": "C.UTF-8",
        }
        sway = self._spawn("sway", self._in_ns([
            "unshare", "--user", f"--map-user={SWAY_UID}", f"--map-group={SWAY_UID}",
            "sway", "-c", str(config), "-d"]), env)

        def sockets() -> bool:
            self._alive(sway)
            names = [p.name for p in self.run.iterdir()]
            wayland = [n for n in names if n.startswith("wayland-") and not n.endswith(".lock")]
            ipc = [n for n in names if n.startswith("sway-ipc.")]
            if not wayland or not ipc:
                return False
            self.wayland_socket = self.run / wayland[0]
            self.swaysock = self.run / ipc[0]
            return self.swaymsg_ok()

        wait_until(sockets, START_TIMEOUT_S, lambda: f"sway's sockets; {self._log_tail('sway')}")

    def swaymsg_ok(self) -> bool:
        done = subprocess.run(["swaymsg", "-s", str(self.swaysock), "-t", "get_version"],
                              capture_output=True, timeout=5, check=False)
        return done.returncode == 0

    def _start_waybar(self) -> None:
        config = self.base / "waybar.json"
        config.write_text(json.dumps(WAYBAR_CONFIG))
        style = self.base / "waybar.css"
        style.write_text(WAYBAR_STYLE)
        waybar = self._spawn("waybar", self._in_ns(
            ["waybar", "-c", str(config), "-s", str(style)]), self.env)
        self._wait_owner(WATCHER, waybar)

    def _start_mako(self) -> None:
        config = self.base / "mako.conf"
        config.write_text(MAKO_CONFIG)
        mako = self._spawn("mako", self._in_ns(["mako", "-c", str(config)]), self.env)
        owner = self._wait_owner(NOTIFICATIONS, mako)
        self._monitor = _NotificationMonitor(f"unix:path={self.run / 'bus'}", owner)

    def _wait_owner(self, name: str, daemon: _Daemon) -> str:
        def owned() -> str | None:
            self._alive(daemon)
            return self.name_owner(name)

        return wait_until(owned, START_TIMEOUT_S, f"{daemon.name} to own {name}")

    # ------------------------------------------------------------------ teardown
    def stop(self) -> None:
        for handle in reversed(self._apps):
            with contextlib.suppress(Exception):
                handle.stop()
        if self._monitor is not None:
            self._monitor.stop()
            self._monitor = None
        if self._bus is not None:
            with contextlib.suppress(OSError):
                self._bus.close()
            self._bus = None
        for daemon in [*reversed(self._daemons), *([self._holder] if self._holder else [])]:
            family = [daemon.info, *descendants(daemon.info.pid)]
            end_processes(family, grace=2.0)
            with contextlib.suppress(subprocess.TimeoutExpired):
                daemon.popen.wait(timeout=1)
        self._daemons.clear()
        self._holder = None
        if self._pointer is not None:  # after sway: unplugging it could crash sway 1.7
            self._pointer[0].close()
            self._pointer = None
        shutil.rmtree(self.base, ignore_errors=True)

    # ------------------------------------------------------------------ D-Bus
    def call(self, name: str, path: str, interface: str, method: str,
             signature: str | None = None, body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        """A method call on the session bus; the reply's body (errors raise)."""
        assert self._bus is not None
        message = new_method_call(DBusAddress(path, bus_name=name, interface=interface),
                                  method, signature, body)
        return tuple(unwrap_msg(self._bus.send_and_get_reply(message, timeout=5)))

    def name_owner(self, name: str) -> str | None:
        assert self._bus is not None
        message = new_method_call(
            DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                        interface="org.freedesktop.DBus"), "GetNameOwner", "s", (name,))
        reply = self._bus.send_and_get_reply(message, timeout=5)
        if reply.header.message_type is MessageType.error:
            return None
        return str(reply.body[0])

    def get_property(self, name: str, path: str, interface: str, prop: str) -> Any:
        assert self._bus is not None
        message = Properties(DBusAddress(path, bus_name=name, interface=interface)).get(prop)
        ((_signature, value),) = unwrap_msg(self._bus.send_and_get_reply(message, timeout=5))
        return value

    # ----- the tray (StatusNotifier + dbusmenu) ---------------------------------
    def tray_items(self) -> list[str]:
        """``RegisteredStatusNotifierItems``: ``"busname/object/path"`` for each icon."""
        return [str(item) for item in self.get_property(
            WATCHER, WATCHER_PATH, WATCHER, "RegisteredStatusNotifierItems")]

    def wait_for_item(self, timeout: float = 15.0) -> str:
        def one() -> str | None:
            items = self.tray_items()
            return items[0] if len(items) == 1 else None

        return wait_until(one, timeout, lambda: f"one tray item (have {self.tray_items()})")

    def wait_for_no_item(self, timeout: float = 10.0) -> None:
        wait_until(lambda: not self.tray_items(), timeout,
                   lambda: f"an empty tray (have {self.tray_items()})")

    @staticmethod
    def split_item(item: str) -> tuple[str, str]:
        name, _, path = item.partition("/")
        return name, "/" + path

    def item_property(self, item: str, prop: str) -> Any:
        name, path = self.split_item(item)
        return self.get_property(name, path, SNI_IFACE, prop)

    def menu(self, item: str) -> MenuItem:
        """The item's whole menu, as a host reads it (``GetLayout(0, -1, [])``)."""
        name, _ = self.split_item(item)
        menu_path = str(self.item_property(item, "Menu"))
        _revision, layout = self.call(name, menu_path, DBUSMENU_IFACE, "GetLayout", "iias",
                                      (0, -1, []))
        return _menu_item(layout)

    def menu_labels(self, item: str) -> list[str]:
        return [m.label for m in self.menu(item).walk()[1:] if m.visible and m.label]

    def click_menu(self, item: str, label_start: str) -> MenuItem:
        """Send ``Event(id, "clicked", 0, time)`` for the first item whose label starts so."""
        name, _ = self.split_item(item)
        menu_path = str(self.item_property(item, "Menu"))
        for entry in self.menu(item).walk()[1:]:
            if entry.label.startswith(label_start) and entry.enabled and entry.visible:
                self.call(name, menu_path, DBUSMENU_IFACE, "Event", "isvu",
                          (entry.id, "clicked", ("i", 0), int(time.time()) & 0xFFFFFFFF))
                return entry
        raise AssertionError(f"no enabled menu item {label_start!r} in {self.menu_labels(item)}")

    # ----- mako -------------------------------------------------------------
    @property
    def monitor(self) -> _NotificationMonitor:
        assert self._monitor is not None
        return self._monitor

    def forget_notifications(self) -> None:
        """From now on ``notifications()`` lists only newer ones (each test its own)."""
        self._seen = self.monitor.max_id()

    def notifications(self, after_id: int | None = None) -> list[Notification]:
        """What mako received since ``forget_notifications`` (or after ``after_id``)."""
        return self.monitor.snapshot(self._seen if after_id is None else after_id)

    def wait_for_notification(self, after_id: int | None = None, timeout: float = 15.0,
                              summary: str | None = None) -> Notification:
        """The newest notification (its summary containing ``summary``) to arrive."""
        def found() -> Notification | None:
            for note in reversed(self.notifications(after_id)):
                if summary is None or summary in note.summary:
                    return note
            return None

        return wait_until(found, timeout, lambda: f"a notification {summary!r} "
                          f"(have {[n.summary for n in self.notifications(after_id)]})")

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

    def type_key(self, *keys: str) -> None:
        """Press keys through the compositor's virtual keyboard (``wtype -k``)."""
        args = [part for key in keys for part in ("-k", key)]
        subprocess.run(["wtype", *args], env=self.env, check=True, timeout=10,
                       capture_output=True)

    # ----- programs ------------------------------------------------------------
    def start_app(self, args: Sequence[str], env_extra: Mapping[str, str] | None = None,
                  config_text: str | None = None, *, name: str = "app",
                  out_dir: Path | None = None) -> AppHandle:
        """Start a program inside the namespace with its own HOME and XDG folders."""
        self._app_count += 1
        root = self.base / "apps" / f"{self._app_count:02d}-{_safe(name)}"
        env = self.env
        for sub in ("home", "config", "data", "cache", "state", "runtime"):
            (root / sub).mkdir(mode=0o700, parents=True)
        env.update({
            "HOME": str(root / "home"), "XDG_CONFIG_HOME": str(root / "config"),
            "XDG_DATA_HOME": str(root / "data"), "XDG_CACHE_HOME": str(root / "cache"),
            "XDG_STATE_HOME": str(root / "state"), "XDG_RUNTIME_DIR": str(root / "runtime"),
        })
        assert self.wayland_socket is not None
        env["WAYLAND_DISPLAY"] = str(self.wayland_socket)  # absolute: own runtime folder
        config_path = None
        if config_text is not None:
            config_path = root / "config" / "movebreak" / "config.toml"
            config_path.parent.mkdir(parents=True)
            config_path.write_text(config_text)
        env.update(env_extra or {})
        out = out_dir or root
        out.mkdir(parents=True, exist_ok=True)
        log_name, k = _safe(name), 1
        while (out / f"{log_name}.stdout.log").exists():
            k += 1
            log_name = f"{_safe(name)}-{k}"
        handle = AppHandle(name=log_name, args=self._in_ns(args), env=env, home=root / "home",
                           config_path=config_path, out_dir=out, cwd=root / "home")
        self._apps.append(handle)
        return handle


def _stamp() -> int:
    """An input event's time in ms (any monotonic counter will do)."""
    return int(time.monotonic() * 1000) & 0xFFFFFFFF


def _menu_item(layout: Any) -> MenuItem:
    item_id, props, children = layout
    plain = {key: value for key, (_sig, value) in props.items()}
    return MenuItem(
        id=int(item_id),
        label=str(plain.get("label", "")).replace("_", ""),
        enabled=bool(plain.get("enabled", True)),
        visible=bool(plain.get("visible", True)),
        type=str(plain.get("type", "standard")),
        children=tuple(_menu_item(value) for _sig, value in children),
    )


__all__ = ["MenuItem", "Notification", "SwayDesktop"]
