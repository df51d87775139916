"""What every private Wayland desktop of the tests shares: namespace, bus, tray, apps.

A stack (``sway.SwayDesktop``, ``kde.KdeDesktop``) subclasses ``WaylandSession`` and
names its bring-up steps; this module gives it:

1. a namespace holder: ``unshare -m -n`` runs a small shell that mounts a fresh tmpfs
   over ``/tmp`` (with the harness's own folder bound back in at the same path),
   optionally hides ``/run/systemd`` and empties ``/run/dbus`` (for a private system
   bus), brings ``lo`` up and sleeps. Every other process joins it with ``nsenter -m
   -n``, so Xwayland's ``/tmp/.X11-unix``, its lock files and abstract sockets cannot
   clash with other sessions on the machine;
2. a session bus (``dbus-daemon --session`` at ``$RUN/bus``), and on request a system
   bus with nothing on it (desktops that look for logind find none, and go on);
3. daemons started with a full, explicit environment (``env -i``), readiness waits
   with deadlines (``wait_until``, 50 ms steps), teardown by PID in reverse order,
   each daemon's descendants included, the holder last;
4. the tools for tests: the tray's items over ``org.kde.StatusNotifierWatcher``, menus
   over ``com.canonical.dbusmenu``, what the notification server received (a D-Bus
   monitor), and programs started inside the session with their own HOME.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import (
    AppHandle,
    Daemon,
    DesktopError,
    MenuItem,
    Notification,
    _die_with_parent,
    _NotificationMonitor,
    _safe,
    all_procs,
    end_daemon,
    end_processes,
    menu_item,
    mount_namespace,
    read_proc,
    stop_clients,
    wait_until,
)
from jeepney import DBusAddress, MessageType, Properties, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import unwrap_msg

import movebreak

NOTIFICATIONS = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
SNI_IFACE = "org.kde.StatusNotifierItem"
DBUSMENU_IFACE = "com.canonical.dbusmenu"

SCREEN = (1280, 800)
START_TIMEOUT_S = 15.0

HOLDER_SCRIPT = r"""set -e
base="$1"
mount -t tmpfs -o mode=1777 tmpfs "$base/ns-tmp"
case "$base" in
  /tmp/*) mkdir -p "$base/ns-tmp/${base#/tmp/}"
          mount --bind "$base" "$base/ns-tmp/${base#/tmp/}" ;;
esac
mount --rbind "$base/ns-tmp" /tmp
mkdir -m 1777 /tmp/.X11-unix
if [ "$2" = system-bus ]; then
  if [ -d /run/systemd ]; then mount -t tmpfs -o mode=0755 tmpfs /run/systemd; fi
  mkdir -p /run/dbus
  mount -t tmpfs -o mode=0755 tmpfs /run/dbus
fi
ip link set lo up 2>/dev/null || true
echo ready > "$base/holder.ready"
exec sleep infinity
"""


@dataclass
class WaylandSession:
    """Bring it up with ``start()`` (or ``with``); everything private to this object."""

    log_dir: Path
    base: Path = field(init=False)
    timings: dict[str, float] = field(default_factory=dict)

    prefix = "mb-wl-"
    desktop_names = "wayland"  # XDG_CURRENT_DESKTOP
    system_bus = False  # a private, empty system bus (and no /run/systemd)

    def __post_init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix=self.prefix))
        self.run = self.base / "run"
        self._daemons: list[Daemon] = []
        self._holder: Daemon | None = None
        self._bus: DBusConnection | None = None
        self._monitor: _NotificationMonitor | None = None
        self._apps: list[AppHandle] = []
        self._app_count = 0
        self.wayland_socket: Path | None = None
        self.floor = 0  # notification ids up to this one came before the current test

    # ------------------------------------------------------------------ bring-up
    def __enter__(self) -> WaylandSession:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        """The stack's own bring-up, after the namespace and the buses."""
        raise NotImplementedError

    def reset_for_test(self) -> None:
        """Undo what an earlier test may have left on (notifications, DND)."""

    def save_failure(self, artifacts: Path) -> None:
        """Keep what explains a failed test (a screenshot, the compositor's log)."""

    def start(self) -> WaylandSession:
        started = time.monotonic()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        common = [("namespace", self._start_holder), ("dbus", self._start_bus)]
        if self.system_bus:
            common.append(("system-dbus", self._start_system_bus))
        try:
            for name, step in [*common, *self.steps()]:
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
        """The session's environment (a copy): what a program started in it would see."""
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
            "XDG_CURRENT_DESKTOP": self.desktop_names,
            "XDG_SESSION_DESKTOP": self.desktop_names.split(":")[0].lower(),
            "NO_AT_BRIDGE": "1",
        }

    @property
    def bus_address(self) -> str:
        return f"unix:path={self.run / 'bus'}"

    @property
    def holder_pid(self) -> int:
        """The namespace holder: ``nsenter -t PID -m -n`` joins the session's namespaces."""
        assert self._holder is not None
        return self._holder.info.pid

    def in_ns(self, args: Sequence[str]) -> list[str]:
        assert self._holder is not None
        return ["nsenter", "-t", str(self._holder.info.pid), "-m", "-n", "--", *args]

    def spawn(self, name: str, args: Sequence[str], env: Mapping[str, str],
              stdout: int | None = None) -> Daemon:
        with (self.log_dir / f"{name}.log").open("wb") as log:
            popen = subprocess.Popen(
                list(args), env=dict(env), stdin=subprocess.DEVNULL,
                stdout=log if stdout is None else stdout, stderr=log,
                preexec_fn=_die_with_parent,
            )
        info = read_proc(popen.pid)
        if info is None:
            raise DesktopError(f"{name} exited at once: {self.log_tail(name)}")
        daemon = Daemon(name, info, popen)
        self._daemons.append(daemon)
        return daemon

    def log_tail(self, name: str) -> str:
        with contextlib.suppress(OSError):
            return (self.log_dir / f"{name}.log").read_text(errors="replace")[-2000:]
        return ""

    def alive(self, daemon: Daemon) -> None:
        if daemon.popen.poll() is not None:
            raise DesktopError(f"{daemon.name} exited ({daemon.popen.returncode}): "
                               f"{self.log_tail(daemon.name)}")

    def _start_holder(self) -> None:
        for sub in ("ns-tmp", "home", "config", "data", "cache", "state", "apps"):
            (self.base / sub).mkdir(mode=0o700)
        self.run.mkdir(mode=0o700)
        script = self.base / "holder.sh"
        script.write_text(HOLDER_SCRIPT)
        self._holder = self.spawn(
            "namespace", ["unshare", "-m", "-n", "--propagation", "private", "sh", str(script),
                          str(self.base), "system-bus" if self.system_bus else "-"],
            {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
        self._daemons.remove(self._holder)  # stopped last, separately

        def ready() -> bool:
            self.alive(self._holder)  # type: ignore[arg-type]
            return (self.base / "holder.ready").exists()

        wait_until(ready, START_TIMEOUT_S, "the namespace holder")

    def _start_bus(self) -> None:
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.base / "home"),
               "XDG_RUNTIME_DIR": str(self.run)}
        bus = self.spawn("dbus", self.in_ns([
            "dbus-daemon", "--session", "--nofork", f"--address={self.bus_address}"]), env)

        def listening() -> DBusConnection | None:
            self.alive(bus)
            if not (self.run / "bus").exists():
                return None
            try:
                return open_dbus_connection(self.bus_address)
            except OSError:
                return None

        self._bus = wait_until(listening, START_TIMEOUT_S, "the session bus")

    def _start_system_bus(self) -> None:
        """An empty system bus at the standard path, seen only inside the namespace."""
        system = self.spawn("system-dbus", self.in_ns([
            "dbus-daemon", "--system", "--nofork", "--nopidfile"]), {"PATH": "/usr/bin:/bin"})

        def listening() -> bool:  # /run/dbus is private to the namespace: look from inside
            self.alive(system)
            done = subprocess.run(self.in_ns(["test", "-S", "/run/dbus/system_bus_socket"]),
                                  check=False, timeout=5)
            return done.returncode == 0

        wait_until(listening, START_TIMEOUT_S, "the system bus")

    def update_activation_environment(self, env: Mapping[str, str]) -> None:
        """What a session start does: services the bus starts on demand get this env."""
        self.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                  "UpdateActivationEnvironment", "a{ss}", (dict(env),))

    def wait_owner(self, name: str, daemon: Daemon, timeout: float = START_TIMEOUT_S) -> str:
        def owned() -> str | None:
            self.alive(daemon)
            return self.name_owner(name)

        return wait_until(owned, timeout, f"{daemon.name} to own {name}")

    def start_monitor(self, owner: str) -> None:
        """Record what the notification server (bus name ``owner``) receives and sends."""
        self._monitor = _NotificationMonitor(self.bus_address, owner)

    # ------------------------------------------------------------------ teardown
    def stop(self) -> None:
        stop_clients(self._apps, self._monitor, self._bus)
        self._monitor, self._bus = None, None
        namespace = mount_namespace(self._holder.info.pid) if self._holder else None
        if namespace == mount_namespace(os.getpid()):
            namespace = None  # never sweep the machine's own namespace
        for daemon in [*reversed(self._daemons), *([self._holder] if self._holder else [])]:
            if daemon is self._holder and namespace is not None:
                # Programs a daemon started detached (KDE's kconf_update double-forks) are
                # no one's descendants any more, but they are still in the namespace.
                strays = [p for p in all_procs() if p.alive and p.pid != daemon.info.pid
                          and mount_namespace(p.pid) == namespace]
                end_processes(strays, grace=2.0)
            end_daemon(daemon, wait=1)
        self._daemons.clear()
        self._holder = None
        shutil.rmtree(self.base, ignore_errors=True)

    # ------------------------------------------------------------------ D-Bus
    def call(self, name: str, path: str, interface: str, method: str,
             signature: str | None = None, body: tuple[Any, ...] = (),
             timeout: float = 5) -> tuple[Any, ...]:
        """A method call on the session bus; the reply's body (errors raise)."""
        assert self._bus is not None
        message = new_method_call(DBusAddress(path, bus_name=name, interface=interface),
                                  method, signature, body)
        return tuple(unwrap_msg(self._bus.send_and_get_reply(message, timeout=timeout)))

    def name_owner(self, name: str) -> str | None:
        assert self._bus is not None
        message = new_method_call(
            DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                        interface="org.freedesktop.DBus"), "GetNameOwner", "s", (name,))
        reply = self._bus.send_and_get_reply(message, timeout=5)
        if reply.header.message_type is MessageType.error:
            return None
        return str(reply.body[0])

    def sender_pid(self, name: str) -> int:
        """The process behind a bus name (``GetConnectionUnixProcessID``)."""
        (pid,) = self.call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                           "org.freedesktop.DBus", "GetConnectionUnixProcessID", "s", (name,))
        return int(pid)

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
        return menu_item(layout)

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

    # ----- the notification server ---------------------------------------------
    @property
    def monitor(self) -> _NotificationMonitor:
        assert self._monitor is not None
        return self._monitor

    def notifications(self, after_id: int | None = None) -> list[Notification]:
        """What the server received after ``after_id`` (default: since this test began)."""
        return self.monitor.snapshot(self.floor if after_id is None else after_id)

    def wait_for_notification(self, after_id: int | None = None, timeout: float = 15.0,
                              summary: str | None = None) -> Notification:
        def found() -> Notification | None:
            for note in reversed(self.notifications(after_id)):
                if summary is None or summary in note.summary:
                    return note
            return None

        return wait_until(found, timeout, lambda: f"a notification after #{after_id} "
                          f"(have {[n.summary for n in self.notifications()]})")

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
        # The app runs the code the tests imported. (A tree under /tmp is not seen: the
        # namespace has its own /tmp, with only the harness's folder bound in.)
        env["PYTHONPATH"] = str(Path(movebreak.__file__).resolve().parents[1])
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
        handle = AppHandle(name=log_name, args=self.in_ns(args), env=env, home=root / "home",
                           config_path=config_path, out_dir=out, cwd=root / "home")
        self._apps.append(handle)
        return handle


