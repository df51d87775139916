"""A real GNOME Shell 43 session, headless on Wayland, private to one test run.

``harness.py`` gives the tests an X11 desktop (Xvfb, trayer, dunst). This module gives
them GNOME as most Linux users have it, with the shell's own parts doing the work:

1. a private mount + network namespace (``unshare -m -n``) whose holder mounts a fresh
   tmpfs over ``/tmp`` (with the harness folder bound back in at the same path), hides
   ``/run/systemd`` and brings ``lo`` up: mutter always takes Xwayland display ``:0`` and
   uses abstract sockets, which must not clash with anyone else's session;
2. an empty private *system* bus (no logind: the shell gets on without seats) and a
   private *session* bus whose activatable services are the system's minus other
   notification servers (dunst, mako), so only GNOME's can answer;
3. ``gnome-shell --headless --wayland --virtual-monitor 1280x800`` with the Debian
   extension "Ubuntu AppIndicators" (``ubuntu-appindicators@ubuntu.com``, the
   StatusNotifier host) and a test-only extension that sets ``unsafe_mode``, which opens
   ``org.gnome.Shell.Screenshot`` and ``org.gnome.Shell.Eval`` to the test.

Ready when ``org.kde.StatusNotifierWatcher`` and ``org.freedesktop.Notifications`` (the
gjs relay ``org.gnome.Shell.Notifications``) have owners. Every process runs inside the
namespace with a full, explicit environment (``env -i``); teardown goes by PID, the
namespace holder last. Waits have deadlines; nothing sleeps for a fixed time.

How GNOME 43 delivers a notification button (read from its JavaScript and seen on the
bus): the banner's button calls the action's callback, which makes the *shell* emit
``ActionInvoked`` as a broadcast signal; the relay that owns
``org.freedesktop.Notifications`` hears it and sends it again, unicast, to the app. So an
app that listens to any sender gets every press twice. ``press_action`` runs that real
path: it clicks the banner's own button when the banner is up, else calls the action
on the shell's notification object in ``Main.messageTray`` as the button would.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from harness import (
    AppHandle,
    Daemon,
    DesktopError,
    MenuItem,
    Notification,
    ProcInfo,
    _die_with_parent,
    _NotificationMonitor,
    _safe,
    all_procs,
    descendants,
    end_daemon,
    end_processes,
    menu_item,
    mount_namespace,
    read_proc,
    still_running,
    stop_clients,
    wait_until,
)
from jeepney import DBusAddress, HeaderFields, MessageType, new_method_call
from jeepney.bus_messages import DBus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from PIL import Image

SCREEN = (1280, 800)
NOTIFICATIONS = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
WATCHER = "org.kde.StatusNotifierWatcher"
APPINDICATOR_UUID = "ubuntu-appindicators@ubuntu.com"
UNSAFE_UUID = "movebreak-test-unsafe@movebreak.invalid"

# Programs the stack needs -> the Debian package that ships them.
TOOLS = {
    "gnome-shell": "gnome-shell",
    "Xwayland": "xwayland",
    "gjs": "gjs",
    "dconf": "dconf-cli",
    "gsettings": "libglib2.0-bin",
    "dbus-daemon": "dbus",
    "unshare": "util-linux",
    "nsenter": "util-linux",
    "ip": "iproute2",
}
APT_PACKAGES = (
    "gnome-shell gnome-shell-extension-appindicator mutter xwayland gjs "
    "gir1.2-ayatanaappindicator3-0.1 dconf-cli gnome-settings-daemon"
)
APPINDICATOR_DIR = Path("/usr/share/gnome-shell/extensions") / APPINDICATOR_UUID

# The extension that opens Screenshot and Eval. The "unsafe mode" banner the shell would
# show is skipped the way the shell skips it for Looking Glass: it asks whether that is open.
UNSAFE_EXTENSION = """\
const Main = imports.ui.main;

function init() {}

function enable() {
    const saved = Main.lookingGlass;
    Main.lookingGlass = { isOpen: true };
    try {
        global.context.unsafe_mode = true;
    } finally {
        Main.lookingGlass = saved;
    }
}

function disable() {
    global.context.unsafe_mode = false;
}
"""

DCONF_SETTINGS = f"""\
[org/gnome/shell]
disable-user-extensions=false
enabled-extensions=['{APPINDICATOR_UUID}', '{UNSAFE_UUID}']
welcome-dialog-last-shown-version='999'

[org/gnome/desktop/interface]
enable-animations=false

[org/gnome/desktop/session]
idle-delay=uint32 0

[org/gnome/desktop/screensaver]
lock-enabled=false
idle-activation-enabled=false

[org/gnome/desktop/notifications]
show-banners=true
"""

SESSION_BUS_CONF = """\
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{services}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
  <limit name="reply_timeout">60000</limit>
</busconfig>
"""

# The empty system bus: no services to activate, nobody there; the shell's calls to
# logind, UPower, NetworkManager ... fail fast instead of hanging or reaching the host.
SYSTEM_BUS_CONF = """\
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=/run/dbus/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

# The namespace holder: private mounts, then it only waits. $1 = the harness folder.
HOLDER_SCRIPT = r"""
set -e
base=$1
ns=$base/ns
mount -t tmpfs -o mode=1777 mb-gnome-tmp "$ns"
mkdir -p "$ns/${base#/tmp/}" "$ns/.X11-unix" "$ns/.ICE-unix"
chmod 1777 "$ns/.X11-unix" "$ns/.ICE-unix"
mount --bind "$base" "$ns/${base#/tmp/}"
mount --rbind "$ns" /tmp
if [ -d /run/systemd ]; then mount -t tmpfs mb-gnome-nosystemd /run/systemd; fi
mkdir -p /run/dbus
mount -t tmpfs mb-gnome-dbus /run/dbus
ip link set lo up
echo ready
exec sleep infinity
"""

# Services a private session bus must not offer: other notification servers (GNOME's
# relay must be the only one that can answer) and systemd's, which cannot work here.
_SERVICE_DENY = ("org.knopwob.dunst", "fr.emersion.mako", "org.freedesktop.systemd1")


def missing_requirements() -> str | None:
    """A message naming what to install for the GNOME stack, or None."""
    programs = [tool for tool in TOOLS if shutil.which(tool) is None]
    problems = []
    if programs:
        packages = sorted({TOOLS[p] for p in programs})
        problems.append(f"missing {', '.join(programs)}: apt-get install {' '.join(packages)}")
    if not APPINDICATOR_DIR.is_dir():
        problems.append("missing the 'Ubuntu AppIndicators' extension: "
                        "apt-get install gnome-shell-extension-appindicator")
    if problems:
        problems.append(f"(all of them: apt-get install --no-install-recommends {APT_PACKAGES})")
    return "; ".join(problems) or None


@dataclass(frozen=True)
class Signal:
    """A notification signal as it crossed the bus: who sent it, to whom, and when."""

    member: str  # ActionInvoked or NotificationClosed
    sender: str
    destination: str | None  # None: a broadcast
    body: tuple[Any, ...]
    at: float  # time.monotonic()


@dataclass
class GnomeNotification(Notification):
    """What the shell's notification server received, and every signal about it."""

    signals: list[Signal] = field(default_factory=list)


class GnomeNotificationMonitor(_NotificationMonitor):
    """Records Notify calls to the relay, their ids and every notification signal.

    A monitor connection (``BecomeMonitor``) sees unicast signals too, so both copies
    of an ``ActionInvoked`` show: the shell's broadcast and the relay's unicast one.
    """

    record = GnomeNotification

    def __init__(self, address: str) -> None:
        self.signals: list[Signal] = []
        super().__init__(address, None, "gnome")

    def _wants(self, fields: Mapping[Any, Any]) -> bool:
        # Only the app's calls to the relay: the relay's own call on to the shell
        # (same arguments, one more hint) would otherwise count twice.
        return bool(fields.get(HeaderFields.destination) == NOTIFICATIONS)

    @staticmethod
    def _carry(old: Notification, new: Notification) -> None:
        assert isinstance(old, GnomeNotification) and isinstance(new, GnomeNotification)
        new.invoked, new.signals = old.invoked, old.signals

    def _signal(self, msg: Any) -> None:
        fields = msg.header.fields
        member = fields.get(HeaderFields.member)
        if member not in ("ActionInvoked", "NotificationClosed"):
            return
        sig = Signal(
            member=member, sender=fields.get(HeaderFields.sender, ""),
            destination=fields.get(HeaderFields.destination), body=tuple(msg.body),
            at=time.monotonic(),
        )
        self.signals.append(sig)
        record = self._by_id.get(int(msg.body[0]))
        if isinstance(record, GnomeNotification):
            record.signals.append(sig)
            if member == "NotificationClosed" and record.closed_reason is None:
                record.closed_reason = int(msg.body[1])
            elif member == "ActionInvoked" and sig.destination is None:
                record.invoked.append(str(msg.body[1]))  # the shell's own broadcast

    @staticmethod
    def _copy(n: Notification) -> Notification:
        assert isinstance(n, GnomeNotification)
        return replace(n, actions=dict(n.actions), hints=dict(n.hints),
                       invoked=list(n.invoked), signals=list(n.signals))


@dataclass(frozen=True)
class SniItem:
    """A StatusNotifierItem the watcher knows: its bus name and object path."""

    service: str
    path: str


class GnomeDesktop:
    """A headless GNOME Shell session; ``with GnomeDesktop() as g:`` or start()/stop()."""

    def __init__(self, *, screen: tuple[int, int] = SCREEN, log_dir: Path | None = None) -> None:
        self.screen = screen
        self.log_dir = log_dir
        self.timings: dict[str, float] = {}
        self.tmp = Path()
        self.bus_address = ""
        self._env: dict[str, str] = {}
        self._holder: Daemon | None = None
        self._procs: list[Daemon] = []
        self._apps: list[AppHandle] = []
        self._bus: DBusConnection | None = None
        self._bus_lock = threading.Lock()
        self._monitor: GnomeNotificationMonitor | None = None
        self._baseline_id = 0
        self._app_count = 0
        self._shots = 0
        self._pointer_ready = False
        self._started = False

    # ------------------------------------------------------------ lifecycle

    def __enter__(self) -> GnomeDesktop:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> GnomeDesktop:
        """Bring the session up, each part ready before the next starts."""
        if self._started:
            return self
        self._started = True
        atexit.register(self.stop)
        t0 = time.monotonic()
        try:
            self._stage("files", self._make_files)
            self._stage("namespace", self._start_namespace)
            self._stage("buses", self._start_buses)
            self._stage("dconf", self._load_settings)
            self._stage("shell", self._start_shell)
        except BaseException:
            self.stop()
            raise
        self.timings["up"] = (time.monotonic() - t0) * 1000
        return self

    def _stage(self, name: str, step: Callable[[], None]) -> None:
        t = time.monotonic()
        step()
        self.timings[name] = (time.monotonic() - t) * 1000

    def _make_files(self) -> None:
        # Short: unix socket paths must stay under 108 bytes. Directly in /tmp, because
        # the namespace binds it back at the same path under its own /tmp.
        self.tmp = Path(tempfile.mkdtemp(prefix="mb-gnome-", dir="/tmp"))
        self.tmp.chmod(0o700)
        for sub in ("ns", "home", "config", "data", "cache", "state", "run", "logs", "apps",
                    "services", "shots"):
            (self.tmp / sub).mkdir(mode=0o700)
        run = self.tmp / "run"
        self.bus_address = f"unix:path={run / 'bus'}"
        (self.tmp / "session.conf").write_text(
            SESSION_BUS_CONF.format(socket=run / "bus", services=self.tmp / "services"))
        (self.tmp / "system.conf").write_text(SYSTEM_BUS_CONF)
        for service in Path("/usr/share/dbus-1/services").glob("*.service"):
            if not service.stem.startswith(_SERVICE_DENY):
                shutil.copy(service, self.tmp / "services" / service.name)
        ext = self.tmp / "data" / "gnome-shell" / "extensions" / UNSAFE_UUID
        ext.mkdir(parents=True)
        (ext / "extension.js").write_text(UNSAFE_EXTENSION)
        (ext / "metadata.json").write_text(json.dumps({
            "uuid": UNSAFE_UUID, "name": "movebreak tests: unsafe mode",
            "description": "Opens Screenshot and Eval to the test suite.",
            "shell-version": ["43"],
        }))
        (self.tmp / "dconf.ini").write_text(DCONF_SETTINGS)
        self._env = {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(self.tmp / "home"),
            "USER": "root",
            "LOGNAME": "root",
            "SHELL": "/bin/sh",
            **self.home_env(self.tmp),
            "XDG_RUNTIME_DIR": str(run),
            "DBUS_SESSION_BUS_ADDRESS": self.bus_address,
            "DBUS_SYSTEM_BUS_ADDRESS": "unix:path=/run/dbus/system_bus_socket",
            "XDG_CURRENT_DESKTOP": "GNOME",
            "XDG_SESSION_DESKTOP": "gnome",
            "XDG_SESSION_TYPE": "wayland",
            "XDG_DATA_DIRS": "/usr/local/share:/usr/share",
            "NO_AT_BRIDGE": "1",
            "GTK_A11Y": "none",
        }
        if os.environ.get("PYTHONPATH"):  # to run the apps from another source tree
            self._env["PYTHONPATH"] = os.environ["PYTHONPATH"]

    @staticmethod
    def home_env(root: Path) -> dict[str, str]:
        return {
            "HOME": str(root / "home"),
            "XDG_CONFIG_HOME": str(root / "config"),
            "XDG_DATA_HOME": str(root / "data"),
            "XDG_CACHE_HOME": str(root / "cache"),
            "XDG_STATE_HOME": str(root / "state"),
        }

    def _log(self, name: str) -> Path:
        return self.tmp / "logs" / f"{name}.log"

    def log_tail(self, name: str, size: int = 3000) -> str:
        try:
            return self._log(name).read_text(errors="replace")[-size:]
        except OSError:
            return ""

    def _start_namespace(self) -> None:
        with self._log("holder").open("wb") as log:
            popen = subprocess.Popen(
                ["unshare", "-m", "-n", "--propagation", "private", "--", "sh", "-c",
                 HOLDER_SCRIPT, "holder", str(self.tmp)],
                env=self._env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log,
                preexec_fn=_die_with_parent,
            )
        info = read_proc(popen.pid)
        if info is not None:
            self._holder = Daemon("namespace", info, popen)
        assert popen.stdout is not None
        ready, _, _ = select.select([popen.stdout], [], [], 10)
        line = popen.stdout.readline().decode().strip() if ready else ""
        if line != "ready":
            raise DesktopError(f"the namespace holder failed: {self.log_tail('holder')}")

    def inside(self, args: Sequence[str]) -> list[str]:
        """``args`` run inside the session's namespaces (nsenter execs: same PID)."""
        assert self._holder is not None
        return ["nsenter", "-t", str(self._holder.info.pid), "-m", "-n", "--", *args]

    def _spawn(self, name: str, args: Sequence[str], env: Mapping[str, str] | None = None,
               stdout: int | None = None) -> subprocess.Popen[bytes]:
        with self._log(name).open("ab") as log:
            popen = subprocess.Popen(
                self.inside(args), env=dict(env or self._env), stdin=subprocess.DEVNULL,
                stdout=stdout if stdout is not None else log, stderr=log,
                preexec_fn=_die_with_parent,
            )
        info = read_proc(popen.pid)
        if info is not None:
            self._procs.append(Daemon(name, info, popen))
        return popen

    def _start_buses(self) -> None:
        system = self._spawn("system-bus", ["dbus-daemon", f"--config-file={self.tmp}/system.conf",
                                            "--nofork", "--nopidfile"])
        session = self._spawn(
            "session-bus",
            ["dbus-daemon", f"--config-file={self.tmp}/session.conf", "--nofork",
             "--print-address=1"],
            stdout=subprocess.PIPE,
        )
        assert session.stdout is not None
        with session.stdout:
            ready, _, _ = select.select([session.stdout], [], [], 10)
            line = session.stdout.readline().decode().strip() if ready else ""
        if not line.startswith("unix:"):
            raise DesktopError(f"session bus did not start: {self.log_tail('session-bus')}")
        self._bus = open_dbus_connection(self.bus_address)
        sock = "/run/dbus/system_bus_socket"
        wait_until(lambda: system.poll() is None and self._exists_inside(sock), 10,
                   lambda: f"the system bus socket; log: {self.log_tail('system-bus')}")

    def _exists_inside(self, path: str) -> bool:
        assert self._holder is not None
        return Path(f"/proc/{self._holder.info.pid}/root{path}").exists()

    def _load_settings(self) -> None:
        with (self.tmp / "dconf.ini").open("rb") as settings:
            done = subprocess.run(self.inside(["dconf", "load", "/"]), env=self._env,
                                  stdin=settings, capture_output=True, timeout=20, check=False)
        if done.returncode != 0:
            raise DesktopError(f"dconf load failed: {done.stderr.decode(errors='replace')}")

    def _start_shell(self) -> None:
        width, height = self.screen
        shell = self._spawn("gnome-shell", ["gnome-shell", "--headless", "--wayland",
                                            "--virtual-monitor", f"{width}x{height}"])

        def ready() -> bool:
            if shell.poll() is not None:
                raise DesktopError(f"gnome-shell exited ({shell.returncode}): "
                                   f"{self.log_tail('gnome-shell')}")
            return all(self.name_owner(n) for n in (WATCHER, NOTIFICATIONS, "org.gnome.Shell"))

        wait_until(ready, 30, lambda: "gnome-shell to serve the tray watcher and notifications; "
                   f"log: {self.log_tail('gnome-shell')}")
        self._monitor = GnomeNotificationMonitor(self.bus_address)
        run = self.tmp / "run"
        auth = wait_until(lambda: sorted(run.glob(".mutter-Xwaylandauth.*")), 10,
                          "mutter's Xwayland auth file")[0]
        self._env.update(WAYLAND_DISPLAY="wayland-0", DISPLAY=":0", XAUTHORITY=str(auth))
        if not (run / "wayland-0").exists():
            raise DesktopError(f"no wayland-0 socket in {run}: {sorted(os.listdir(run))}")
        ok, _result = self.eval("global.context.unsafe_mode")
        if not ok:
            raise DesktopError("the test extension did not open Eval: is it enabled? "
                               f"{self.log_tail('gnome-shell')}")
        # The session starts in the overview; a user's desktop shows windows and banners.
        wait_until(lambda: self.js("!imports.ui.main.layoutManager._startingUp"), 10,
                   "the shell's startup to complete")
        self.js("imports.ui.main.overview.hide(); true")
        wait_until(lambda: self.js("!imports.ui.main.overview.visible"), 5,
                   "the overview to close")
        self.clear_notifications()  # "Screen Lock disabled": there is no GDM here

    def stop(self) -> None:
        """Apps, monitor, shell, buses, then the namespace holder: by PID, idempotent."""
        if not self._started:
            return
        self._started = False
        atexit.unregister(self.stop)
        t0 = time.monotonic()
        stop_clients(self._apps, self._monitor, self._bus)
        self._monitor, self._bus = None, None
        for proc in reversed(self._procs):
            end_daemon(proc)
        self._procs = []
        if self._holder is not None:
            # The bus double-forks what it activates (dconf-service, the gjs relay):
            # they are no one's descendants, but they live in our mount namespace.
            holder = self._holder.info
            end_processes([p for p in self.namespace_procs() if p.pid != holder.pid])
            end_processes([holder, *descendants(holder.pid)])
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._holder.popen.wait(timeout=2)
            if self._holder.popen.stdout is not None:
                self._holder.popen.stdout.close()
            self._holder = None
        self.timings["down"] = (time.monotonic() - t0) * 1000
        if self.log_dir is not None:
            with contextlib.suppress(OSError):
                self.log_dir.mkdir(parents=True, exist_ok=True)
                for log in (self.tmp / "logs").glob("*.log"):
                    shutil.copy2(log, self.log_dir / log.name)
                (self.log_dir / "timings.json").write_text(json.dumps(self.timings, indent=1))
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ---------------------------------------------------------------- facts

    @property
    def env(self) -> dict[str, str]:
        """The environment of a program in this session (a copy)."""
        return dict(self._env)

    def namespace_procs(self) -> list[ProcInfo]:
        """Every living process in the session's mount namespace (all of them are ours)."""
        if self._holder is None:
            return []
        mine = mount_namespace(self._holder.info.pid)
        if mine is None:
            return []
        return [p for p in all_procs() if p.alive and mount_namespace(p.pid) == mine]

    def pids(self) -> list[ProcInfo]:
        """Every process of the session (for leak checks), including bus-activated ones."""
        found: list[ProcInfo] = list(self.namespace_procs())
        for proc in [*([self._holder] if self._holder else []), *self._procs]:
            if still_running(proc.info):
                found.append(proc.info)
                found.extend(descendants(proc.info.pid))
        # Read again: what was recorded at the spawn may predate nsenter's exec.
        fresh = (read_proc(p.pid) for p in {p.pid: p for p in found}.values())
        return sorted((p for p in fresh if p is not None and p.alive), key=lambda p: p.pid)

    # ---------------------------------------------------------------- D-Bus

    def call(self, name: str, path: str, interface: str, method: str,
             signature: str | None = None, body: tuple[Any, ...] = (),
             timeout: float = 5.0) -> tuple[Any, ...]:
        """A method call on the session bus; raises DesktopError on a D-Bus error."""
        if self._bus is None:
            raise DesktopError("the GNOME session is not running")
        message = new_method_call(DBusAddress(path, bus_name=name, interface=interface),
                                  method, signature, body)
        with self._bus_lock:
            reply = self._bus.send_and_get_reply(message, timeout=timeout)
        if reply.header.message_type is MessageType.error:
            raise DesktopError(f"{interface}.{method} on {name}: "
                               f"{reply.header.fields.get(HeaderFields.error_name)} {reply.body}")
        return tuple(reply.body)

    def name_owner(self, name: str) -> str | None:
        """The unique name owning ``name``, or None."""
        if self._bus is None:
            raise DesktopError("the GNOME session is not running")
        with self._bus_lock:
            reply = self._bus.send_and_get_reply(DBus().GetNameOwner(name), timeout=5)
        if reply.header.message_type is MessageType.error:
            return None
        return str(reply.body[0])

    def eval(self, code: str) -> tuple[bool, str]:
        """``org.gnome.Shell.Eval``: run JavaScript in the shell; (success, JSON result)."""
        ok, result = self.call("org.gnome.Shell", "/org/gnome/Shell", "org.gnome.Shell",
                               "Eval", "s", (code,))
        return bool(ok), str(result)

    def js(self, code: str) -> Any:
        """Evaluate ``code`` in the shell and return its value (JSON-decoded); raise on error."""
        ok, result = self.eval(code)
        if not ok:
            raise DesktopError(f"Eval failed: {result}\n--- code:\n{code}")
        return json.loads(result) if result else None

    # ----------------------------------------------------------------- tray

    def sni_items(self) -> list[SniItem]:
        """Items registered with the StatusNotifierWatcher (the extension's)."""
        (value,) = self.call(WATCHER, "/StatusNotifierWatcher",
                             "org.freedesktop.DBus.Properties", "Get", "ss",
                             (WATCHER, "RegisteredStatusNotifierItems"))
        items = []
        for entry in value[1]:
            # The extension lists "<unique name>@<path>" (others "<name><path>" or a name).
            service, _, path = str(entry).partition("/")
            items.append(SniItem(service.rstrip("@"),
                                 "/" + path if path else "/StatusNotifierItem"))
        return items

    def wait_for_sni_item(self, predicate: Callable[[SniItem], bool] | None = None,
                          timeout: float = 10.0) -> SniItem:
        def found() -> SniItem | None:
            return next((i for i in self.sni_items() if predicate is None or predicate(i)), None)

        return wait_until(found, timeout, lambda: f"an SNI item; watcher has {self.sni_items()}")

    def sni_property(self, item: SniItem, name: str) -> Any:
        (value,) = self.call(item.service, item.path, "org.freedesktop.DBus.Properties", "Get",
                             "ss", ("org.kde.StatusNotifierItem", name))
        return value[1]

    def menu_layout(self, item: SniItem) -> MenuItem:
        """The item's whole menu over ``com.canonical.dbusmenu.GetLayout``."""
        menu_path = str(self.sni_property(item, "Menu"))
        _revision, layout = self.call(item.service, menu_path, "com.canonical.dbusmenu",
                                      "GetLayout", "iias", (0, -1, []))
        return menu_item(layout)

    def menu_click(self, item: SniItem, item_id: int) -> None:
        """Send what a tray host sends on a click: ``Event(id, "clicked", 0, time)``."""
        menu_path = str(self.sni_property(item, "Menu"))
        self.call(item.service, menu_path, "com.canonical.dbusmenu", "Event", "isvu",
                  (item_id, "clicked", ("i", 0), int(time.time()) & 0xFFFFFFFF))

    def panel_icon(self, item: SniItem | None) -> tuple[int, int, int, int] | None:
        """Where the extension shows ``item`` in the top bar: (x, y, width, height), or None.

        The extension adds one panel button per item, keyed by its bus name and path;
        ``None`` asks for its first *legacy* (XEmbed) tray icon instead.
        """
        if item is None:
            key = "Object.keys(imports.ui.main.panel.statusArea)" \
                ".find(k => k.startsWith('appindicator-legacy:'))"
        else:
            key = json.dumps(f"appindicator-{item.service}@{item.path}")
        box = self.js(f"""(() => {{
          const b = imports.ui.main.panel.statusArea[{key}];
          if (!b || !b.visible || !b.mapped) return null;
          const [x, y] = b.get_transformed_position();
          const [w, h] = b.get_transformed_size();
          return [x, y, w, h].map(Math.round);
        }})()""")
        return tuple(box) if box else None  # type: ignore[return-value]

    # --------------------------------------------------------------- pixels

    def screenshot(self, path: Path | str | None = None) -> Image.Image:
        """The whole screen through ``org.gnome.Shell.Screenshot`` (what the shell draws)."""
        self._shots += 1
        target = self.tmp / "shots" / f"{self._shots:04d}.png"
        ok, used = self.call("org.gnome.Shell.Screenshot", "/org/gnome/Shell/Screenshot",
                             "org.gnome.Shell.Screenshot", "Screenshot", "bbs",
                             (False, False, str(target)), timeout=10)
        if not ok:
            raise DesktopError(f"Screenshot failed: {used}")
        with Image.open(used) as image:
            shot = image.convert("RGB")
        Path(used).unlink(missing_ok=True)
        if path is not None:
            shot.save(path)
        return shot

    # ---------------------------------------------------------------- input

    def _pointer(self) -> str:
        if not self._pointer_ready:
            self.js("global._mbPointer = global._mbPointer || imports.gi.Clutter"
                    ".get_default_backend().get_default_seat().create_virtual_device("
                    "imports.gi.Clutter.InputDeviceType.POINTER_DEVICE); true")
            self._pointer_ready = True
        return "global._mbPointer"

    def move_pointer(self, x: float, y: float) -> None:
        """Real input: a Clutter virtual pointer moves (Mutter's idle time resets)."""
        p = self._pointer()
        self.js(f"{p}.notify_absolute_motion(imports.gi.GLib.get_monotonic_time(), {x}, {y});"
                " true")

    def click(self, x: float, y: float, button: int = 1) -> None:
        """Move there and press + release ``button`` (1 left, 2 middle, 3 right)."""
        self.move_pointer(x, y)
        p = self._pointer()
        self.js(f"const t = imports.gi.GLib.get_monotonic_time();"
                f"{p}.notify_button(t, {button}, imports.gi.Clutter.ButtonState.PRESSED);"
                f"{p}.notify_button(t + 50000, {button}, imports.gi.Clutter.ButtonState.RELEASED);"
                " true")

    def idle_ms(self) -> int:
        (value,) = self.call("org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core",
                             "org.gnome.Mutter.IdleMonitor", "GetIdletime")
        return int(value)

    # ------------------------------------------------------------- settings

    def gsettings(self, *args: str) -> str:
        """``gsettings`` inside the session (its dconf; the shell follows changes)."""
        done = subprocess.run(self.inside(["gsettings", *args]), env=self._env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=20, check=False)
        if done.returncode != 0:
            raise DesktopError(f"gsettings {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout.strip()

    def set_appindicator_extension(self, on: bool) -> None:
        """Enable or disable "Ubuntu AppIndicators" (the SNI watcher and the XEmbed tray)."""
        uuids = [APPINDICATOR_UUID, UNSAFE_UUID] if on else [UNSAFE_UUID]
        self.gsettings("set", "org.gnome.shell", "enabled-extensions", repr(uuids))
        wait_until(lambda: (self.name_owner(WATCHER) is not None) is on, 10,
                   f"the StatusNotifierWatcher to {'appear' if on else 'go away'}")

    def set_do_not_disturb(self, on: bool) -> None:
        """GNOME's Do Not Disturb is ``show-banners`` false; wait until the shell follows."""
        self.gsettings("set", "org.gnome.desktop.notifications", "show-banners",
                       "false" if on else "true")
        # The shell's own Do Not Disturb switch (in the date menu) is bound to the key:
        # once it flips, the shell has the change.
        switch = "imports.ui.main.panel.statusArea.dateMenu._messageList._dndSwitch.state"
        wait_until(lambda: self.js(switch) is on, 5,
                   f"the shell's Do Not Disturb switch to turn {'on' if on else 'off'}")

    # -------------------------------------------------------- notifications

    @property
    def monitor(self) -> GnomeNotificationMonitor:
        if self._monitor is None:
            raise DesktopError("the GNOME session is not running")
        return self._monitor

    def notifications(self) -> list[GnomeNotification]:
        """What the shell's server received since the last ``clear_notifications()``."""
        return self.monitor.snapshot(self._baseline_id)

    def wait_for_notification(
        self, predicate: Callable[[GnomeNotification], bool] | None = None, timeout: float = 5.0
    ) -> GnomeNotification:
        found: GnomeNotification = self.monitor.wait_for(self._baseline_id, predicate, timeout)
        return found

    def notify_calls(self, since: float = 0.0) -> list[tuple[int, str, float]]:
        """Every Notify the server answered after ``since`` (a replacement counts again)."""
        with self.monitor.changed:
            return [c for c in self.monitor.calls if c[2] > since]

    def windows(self) -> list[dict[str, Any]]:
        """The shell's windows: title, WM class, X11 or Wayland client, frame rectangle."""
        return self.js(_WINDOWS_JS)

    def shell_notifications(self) -> list[dict[str, Any]]:
        """What the shell holds in ``Main.messageTray`` now: id, title, action labels."""
        return self.js(_SHELL_NOTIFICATIONS_JS)

    def banner_box(self, notification_id: int) -> tuple[int, int, int, int] | None:
        """Where the shell shows notification ``notification_id``'s banner, if it does now."""
        box = self.js(_BANNER_JS % {"id": int(notification_id)})
        return tuple(box) if box else None  # type: ignore[return-value]

    def press_action(self, notification_id: int, key: str, timeout: float = 5.0) -> str:
        """Press a notification's button as a person would; return how it was pressed.

        ``key`` is the app's action key; the shell knows only labels, so the label comes
        from the app's own Notify call. The shell's ``ActionInvoked`` broadcast is waited
        for, so on return the press has left the shell.
        """
        record = next((n for n in self.notifications() if n.id == notification_id), None)
        if record is None or key not in record.actions:
            raise DesktopError(f"notification {notification_id} has no action {key!r}: {record}")
        label = record.actions[key]
        monitor = self.monitor
        with monitor.changed:
            seen = len(monitor.signals)
        how = self.js(_PRESS_JS % {"id": int(notification_id), "label": json.dumps(label)})

        def emitted() -> bool:
            with monitor.changed:
                return any(s.member == "ActionInvoked" and s.destination is None
                           and s.body == (notification_id, key) for s in monitor.signals[seen:])

        wait_until(emitted, timeout, f"the shell's ActionInvoked({notification_id}, {key!r})")
        return str(how)

    def clear_notifications(self) -> None:
        """Destroy every notification the shell holds and forget what arrived so far."""
        self.js("imports.ui.main.messageTray.getSources().forEach(s => "
                "[...s.notifications].forEach(n => n.destroy(3))); true")
        self._baseline_id = max(self.monitor.max_id(), self._baseline_id)

    # ------------------------------------------------------------------- apps

    def start_app(
        self,
        args: Sequence[str],
        env_extra: Mapping[str, str] | None = None,
        config_text: str | None = None,
        *,
        name: str = "app",
        out_dir: Path | None = None,
        config_relpath: str = "movebreak/config.toml",
    ) -> AppHandle:
        """Start a program in the session with its own HOME and XDG folders."""
        self._app_count += 1
        root = self.tmp / "apps" / f"{self._app_count:02d}-{_safe(name)}"
        for sub in ("home", "config", "data", "cache", "state"):
            (root / sub).mkdir(mode=0o700, parents=True)
        env = self.env
        env.update(self.home_env(root))
        # One user, one dconf: the app reads the settings the shell and gsettings use
        # (Do Not Disturb is one). dconf keeps them under $XDG_CONFIG_HOME/dconf.
        (root / "config" / "dconf").symlink_to(self.tmp / "config" / "dconf")
        config_path = None
        if config_text is not None:
            config_path = Path(env["XDG_CONFIG_HOME"]) / config_relpath
            config_path.parent.mkdir(parents=True, exist_ok=True)
            config_path.write_text(config_text)
        env.update(env_extra or {})
        out = out_dir if out_dir is not None else root
        out.mkdir(parents=True, exist_ok=True)
        log_name, k = _safe(name), 1
        while (out / f"{log_name}.stdout.log").exists():
            k += 1
            log_name = f"{_safe(name)}-{k}"
        handle = AppHandle(name=log_name, args=self.inside(args), env=env,
                           home=Path(env["HOME"]), config_path=config_path, out_dir=out,
                           cwd=Path(env["HOME"]))
        self._apps.append(handle)
        return handle

    def run(self, args: Sequence[str], env: Mapping[str, str] | None = None,
            timeout: float = 30.0) -> subprocess.CompletedProcess[str]:
        """Run a short command in the session (e.g. ``movebreak status``) and wait for it."""
        return subprocess.run(self.inside(args), env=dict(env or self._env),
                              stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=timeout, check=False)




_BANNER_JS = """(() => {
  const Main = imports.ui.main;
  const ndata = Main.notificationDaemon._fdoNotificationDaemon._notifications[%(id)d];
  const tray = Main.messageTray, banner = tray._banner;
  if (!ndata || !banner || banner.notification !== ndata.notification || !tray.visible)
    return null;
  const [x, y] = banner.get_transformed_position();
  const [w, h] = banner.get_transformed_size();
  return y >= 0 && w > 0 && h > 0 ? [x, y, w, h].map(Math.round) : null;
})()"""

_WINDOWS_JS = """global.get_window_actors().map(a => a.meta_window).map(w => {
  const r = w.get_frame_rect();
  return {title: w.get_title(), wm_class: w.get_wm_class(), pid: w.get_pid(),
          x11: w.get_client_type() === imports.gi.Meta.WindowClientType.X11,
          x: r.x, y: r.y, width: r.width, height: r.height, shown: w.showing_on_its_workspace()};
})"""

_SHELL_NOTIFICATIONS_JS = """(() => {
  const daemon = imports.ui.main.notificationDaemon._fdoNotificationDaemon;
  const byObject = new Map(Object.entries(daemon._notifications)
    .map(([id, ndata]) => [ndata.notification, Number(id)]));
  const out = [];
  for (const source of imports.ui.main.messageTray.getSources())
    for (const n of source.notifications)
      out.push({id: byObject.get(n) ?? null, title: n.title, source: source.title,
                actions: n.actions.map(a => a.label),
                banner: imports.ui.main.messageTray._banner?.notification === n});
  return out;
})()"""

# Press the button labelled LABEL of the shell's notification ID. With its banner on
# screen, the banner's own St.Button emits "clicked": the shell's handler runs as for a
# pointer click (the action's callback, then the notification is destroyed). Without a
# banner (Do Not Disturb, or it timed out into the list) the same two steps run on the
# notification object that Main.messageTray holds.
_PRESS_JS = """(() => {
  const Main = imports.ui.main;
  const ndata = Main.notificationDaemon._fdoNotificationDaemon._notifications[%(id)d];
  if (!ndata || !ndata.notification)
    throw new Error('the shell has no notification %(id)d');
  const n = ndata.notification;
  const held = Main.messageTray.getSources().some(s => s.notifications.includes(n));
  if (!held)
    throw new Error('notification %(id)d is not in Main.messageTray');
  const banner = Main.messageTray._banner;
  if (banner && banner.notification === n && banner._buttonBox) {
    const button = banner._buttonBox.get_children().find(b => b.label === %(label)s);
    if (button) {
      button.emit('clicked', 1);
      return 'banner button';
    }
  }
  const action = n.actions.find(a => a.label === %(label)s);
  if (!action)
    throw new Error('no action ' + %(label)s + ' among ' + n.actions.map(a => a.label));
  action.callback();
  if (!n.resident)
    n.destroy();
  return 'notification action';
})()"""
