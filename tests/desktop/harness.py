"""A real, private desktop for end-to-end tests: D-Bus session bus, Xvfb, trayer and dunst.

Unit tests cannot show that a person sees the tray icon, opens its menu and gets a
notification. This module brings up the real programs a Linux user has, each one private
to the test run, so tests drive the app from outside and observe what the desktop shows:

1. a private D-Bus session bus (``dbus-daemon --session``), so nothing reaches the
   developer's own notification server and parallel runs cannot see each other;
2. ``Xvfb`` on a display number nobody else uses (other engineers run their own);
3. ``trayer``, a real XEmbed system tray; it must own ``_NET_SYSTEM_TRAY_S0`` before any
   app starts, because pystray's xorg backend never re-docks into a late tray;
4. ``dunst``, a real notification server, with ``stack_duplicates = false`` (otherwise two
   identical reminders merge) and a scripted ``dmenu`` so tests can press action buttons.

Every readiness wait has a deadline and polls every 50 ms (or blocks on the event itself:
the bus's printed address, a D-Bus message); nothing sleeps for a fixed time. Teardown
goes in reverse order, by PID, and only ever signals processes this harness started (or
that they started): other sessions share the machine.

What dunst *received* is recorded by an in-process D-Bus monitor, not read from dunst's
history: dunst 1.9 lists a notification in its history only after it is closed, so a
notification that is on screen right now would otherwise be invisible to a test.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from jeepney import DBusAddress, HeaderFields, MessageType, Properties
from jeepney.bus_messages import DBus, MatchRule, Monitoring
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from PIL import Image, ImageGrab
from Xlib import X
from Xlib import display as xdisplay
from Xlib import error as xerror

T = TypeVar("T")

POLL_S = 0.05
"""Every readiness wait polls at this interval: fast enough to add little latency."""
EXIT_POLL_S = 0.01
"""Waiting for a signalled process to exit: it usually takes a few ms, so look more often."""

MOVEBREAK = (sys.executable, "-m", "movebreak")
"""How tests start the app: ``desktop.start_app([*MOVEBREAK, "-v"])``."""

SCREEN = (1024, 768)
DISPLAY_RANGE = range(200, 900)
"""Display numbers we try: far above the :0/:1 of real sessions and :9x of other helpers."""

NOTIFICATIONS = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
DUNST_IFACE = "org.dunstproject.cmd0"

# Things a desktop session may have exported that would leak the real desktop into tests.
_LEAKY_ENV = (
    "DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS",
    "XDG_SESSION_ID", "XDG_SESSION_TYPE", "XDG_SESSION_DESKTOP", "XDG_CURRENT_DESKTOP",
    "DESKTOP_SESSION", "SESSION_MANAGER", "GNOME_DESKTOP_SESSION_ID", "KDE_FULL_SESSION",
    "XDG_SEAT", "XDG_VTNR", "GDK_BACKEND", "QT_QPA_PLATFORM", "PYSTRAY_BACKEND",
    "AT_SPI_BUS_ADDRESS", "GTK_MODULES",
)

PICKER_SCRIPT = r"""#!/bin/sh
# dunst's context menu calls this in place of dmenu. It reads lines such as
#   #Snooze (Summary) [ID,snooze]
# newest notification first, and prints the one the test asked for in the file
# "dunst-pick": "ID,KEY" for that notification's action, "KEY" for the newest one
# offering it, empty for the first line. Every offer is logged for failure messages.
here=$(dirname "$0")
in=$(cat)
printf '%s\n---\n' "$in" >>"$here/dunst-menu.log"
want=$(cat "$here/dunst-pick" 2>/dev/null)
case "$want" in
  "") printf '%s\n' "$in" | head -n 1 ;;
  *,*) printf '%s\n' "$in" | grep -F "[$want]" | head -n 1 ;;
  *) printf '%s\n' "$in" | grep -F ",$want]" | head -n 1 ;;
esac
"""

DUNSTRC = """[global]
    dmenu = {picker}
    # Keep dunst's popups away from the tray in the top right corner of screenshots.
    origin = bottom-right
    offset = 10x10
    width = 360
    stack_duplicates = false
    # Never hold notifications back because the (virtual) user looks idle.
    idle_threshold = 0
    history_length = 200
    sticky_history = yes
    show_indicators = yes
    mouse_left_click = do_action, close_current
    mouse_middle_click = do_action, close_current
    mouse_right_click = close_all
"""


class DesktopError(RuntimeError):
    """A part of the harness could not be started or driven."""


class DesktopTimeout(AssertionError):
    """What a test waited for did not happen in time (a test failure, not an error)."""


def open_display(name: str) -> xdisplay.Display:
    """A python-xlib connection to ``name`` that survives the errors the X server sends.

    python-xlib 0.33 files RandR's three errors under codes 0-2 (their offsets, not
    ``first_error`` plus the offset), which replaces the core BadRequest and BadValue.
    A BadValue (a window's title shrinking between ``get_full_property``'s two reads,
    as an app retitles its icon) then fails inside the library's reply loop with an
    AttributeError, and every later request on that connection spins at 100 % CPU
    (python-xlib issue #259). The harness uses no RandR: the core classes go back.
    """
    display = xdisplay.Display(name)
    for code in (X.BadRequest, X.BadValue):
        display.display.error_classes[code] = xerror.xerror_class[code]
    return display


def wait_until(check: Callable[[], T], timeout: float, what: str | Callable[[], str]) -> T:
    """Poll ``check`` every 50 ms until it returns something truthy; return that.

    ``what`` (or its result, computed only on failure) names the condition in the
    timeout message, so a failing test says what it was waiting for and what it saw.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() >= deadline:
            text = what() if callable(what) else what
            raise DesktopTimeout(f"timed out after {timeout:.2f} s waiting for {text}")
        time.sleep(POLL_S)


# --------------------------------------------------------------------------- processes


@dataclass(frozen=True)
class ProcInfo:
    """One line of ``/proc/PID/stat``: enough to find descendants and guard against PID reuse."""

    pid: int
    ppid: int
    pgid: int
    sid: int
    state: str
    comm: str
    start_ticks: int

    @property
    def alive(self) -> bool:
        """A zombie has finished: it only waits for its parent (or init) to reap it."""
        return self.state not in ("Z", "X")


def read_proc(pid: int) -> ProcInfo | None:
    """Parse ``/proc/PID/stat``, or None if the process is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # comm is in parentheses and may itself contain spaces or parentheses.
    head, _, rest = raw.rpartition(")")
    comm = head.partition("(")[2]
    fields = rest.split()
    return ProcInfo(
        pid=pid, state=fields[0], ppid=int(fields[1]), pgid=int(fields[2]),
        sid=int(fields[3]), comm=comm, start_ticks=int(fields[19]),
    )


def all_procs() -> list[ProcInfo]:
    """Every process visible in /proc right now."""
    procs = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (info := read_proc(int(entry))) is not None:
            procs.append(info)
    return procs


def descendants(pid: int, procs: Iterable[ProcInfo] | None = None) -> list[ProcInfo]:
    """All living descendants of ``pid`` by parent links (children, grandchildren, ...)."""
    procs = list(all_procs() if procs is None else procs)
    children: dict[int, list[ProcInfo]] = {}
    for info in procs:
        children.setdefault(info.ppid, []).append(info)
    found: list[ProcInfo] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child.alive:
                found.append(child)
                todo.append(child.pid)
    return found


def mount_namespace(pid: int) -> str | None:
    """The mount namespace a process is in (``mnt:[inode]``), None if it is gone."""
    try:
        return os.readlink(f"/proc/{pid}/ns/mnt")
    except OSError:
        return None


def still_running(info: ProcInfo) -> bool:
    """True if the very same process (same PID *and* start time) is alive."""
    now = read_proc(info.pid)
    return now is not None and now.alive and now.start_ticks == info.start_ticks


def signal_same(info: ProcInfo, sig: int) -> None:
    """Send ``sig`` only if the PID still names the process we saw (never a reused PID)."""
    if still_running(info):
        with contextlib.suppress(ProcessLookupError):
            os.kill(info.pid, sig)


def end_processes(procs: Sequence[ProcInfo], grace: float = 2.0) -> list[ProcInfo]:
    """SIGTERM these exact processes, SIGKILL what survives ``grace``; return the killed ones."""
    for info in procs:
        signal_same(info, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while any(still_running(p) for p in procs) and time.monotonic() < deadline:
        time.sleep(EXIT_POLL_S)
    stubborn = [p for p in procs if still_running(p)]
    for info in stubborn:
        signal_same(info, signal.SIGKILL)
    return stubborn


def _die_with_parent() -> None:
    """In a daemon child: get SIGTERM if pytest dies hard, so no Xvfb outlives a crash."""
    _PRCTL(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


# Resolved before any fork: a child between fork and exec must not dlopen anything.
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl


@dataclass
class Daemon:
    """A harness program and how to stop it (every desktop stack's daemons)."""

    name: str
    info: ProcInfo
    popen: subprocess.Popen[bytes]


def end_daemon(daemon: Daemon, wait: float = 2.0) -> None:
    """End a daemon and all it started (a service the bus activated is ours too), reaped."""
    family = [daemon.info, *descendants(daemon.info.pid)]
    end_processes([p for p in family if still_running(p)])
    with contextlib.suppress(subprocess.TimeoutExpired):
        daemon.popen.wait(timeout=wait)  # reap it: no zombie stays behind


def stop_clients(apps: Sequence[AppHandle], monitor: _NotificationMonitor | None,
                 bus: DBusConnection | None) -> None:
    """The first half of every stack's teardown: its apps (newest first), monitor and bus."""
    for app in reversed(apps):
        with contextlib.suppress(Exception):
            app.stop()
    if monitor is not None:
        monitor.stop()
    if bus is not None:
        with contextlib.suppress(OSError):
            bus.close()


# ------------------------------------------------------------------------- observations


@dataclass(frozen=True)
class TrayIcon:
    """A window docked in the tray: it carries ``_XEMBED_INFO``. Coordinates are root-relative."""

    window: int
    x: int
    y: int
    width: int
    height: int
    viewable: bool
    name: str | None = None

    @property
    def center(self) -> tuple[int, int]:
        """Where a person would click."""
        return self.x + self.width // 2, self.y + self.height // 2

    @property
    def box(self) -> tuple[int, int, int, int]:
        """Left, top, right, bottom as Pillow's ``crop`` wants them."""
        return self.x, self.y, self.x + self.width, self.y + self.height


@dataclass(frozen=True)
class TopWindow:
    """A direct child of the root window: app windows, GTK menus (override-redirect), popups."""

    window: int
    x: int
    y: int
    width: int
    height: int
    viewable: bool
    override_redirect: bool
    name: str | None = None

    @property
    def box(self) -> tuple[int, int, int, int]:
        """Left, top, right, bottom as Pillow's ``crop`` wants them."""
        return self.x, self.y, self.x + self.width, self.y + self.height


@dataclass
class Notification:
    """One notification as dunst received it over D-Bus, and what happened to it since."""

    id: int
    app_name: str
    summary: str
    body: str
    actions: dict[str, str]  # action key -> label, in the order the app sent them
    hints: dict[str, Any]
    expire_timeout: int
    replaces_id: int
    sender: str
    received_at: float  # time.monotonic()
    closed_reason: int | None = None  # 1 expired, 2 dismissed, 3 closed by call, 4 undefined
    invoked: list[str] = field(default_factory=list)  # action keys dunst reported invoked

    @property
    def open(self) -> bool:
        """Still shown (or waiting to be shown) by dunst."""
        return self.closed_reason is None


_PIXEL_HINTS = {"image-data", "image_data", "icon_data"}


def _unwrap_hints(hints: Mapping[str, tuple[str, Any]]) -> dict[str, Any]:
    """Variant values to plain Python; image data becomes a short marker, not megabytes."""
    plain: dict[str, Any] = {}
    for key, (signature, value) in hints.items():
        plain[key] = f"<{signature} pixels>" if key in _PIXEL_HINTS else value
    return plain


class _NotificationMonitor:
    """Records every ``Notify`` call to dunst, its reply (the id) and its signals.

    Runs a jeepney connection in monitor mode (``BecomeMonitor``) on a thread, so it
    sees unicast signals such as ``ActionInvoked`` that are addressed to the app.
    """

    record: type[Notification] = Notification

    def __init__(self, address: str, server: str | None = None, name: str = "dunst") -> None:
        """``server``: the server's unique name, so only its replies count; None: any."""
        self._conn = open_dbus_connection(address)
        only = {"sender": server} if server else {}
        rules = [
            MatchRule(type="method_call", interface=NOTIFICATIONS, member="Notify"),
            MatchRule(type="method_return", **only),
            MatchRule(type="error", **only),
            MatchRule(type="signal", interface=NOTIFICATIONS, **only),
        ]
        reply = self._conn.send_and_get_reply(
            Monitoring().BecomeMonitor([r.serialise() for r in rules]), timeout=5
        )
        if reply.header.message_type is MessageType.error:
            raise DesktopError(f"BecomeMonitor failed: {reply.body}")
        self._pending: dict[tuple[str, int], tuple[Any, ...]] = {}
        self._by_id: dict[int, Notification] = {}
        self.invocations: list[tuple[int, str]] = []
        self.errors: list[str] = []
        self.calls: list[tuple[int, str, float]] = []  # every answered Notify: id, summary, at
        self.changed = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"{name}-monitor", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                msg = self._conn.receive(timeout=0.1)
            except TimeoutError:
                continue
            except (OSError, ValueError):
                return  # the bus went away: teardown
            with self.changed:
                self._handle(msg)
                self.changed.notify_all()

    def _wants(self, fields: Mapping[Any, Any]) -> bool:
        """Whether a ``Notify`` call is one to record (all of them, here)."""
        return True

    def _handle(self, msg: Any) -> None:
        fields = msg.header.fields
        kind = msg.header.message_type
        if kind is MessageType.method_call:
            if self._wants(fields):
                self._pending[(fields.get(HeaderFields.sender, ""), msg.header.serial)] = msg.body
        elif kind in (MessageType.method_return, MessageType.error):
            key = (fields.get(HeaderFields.destination, ""), fields.get(HeaderFields.reply_serial))
            call = self._pending.pop(key, None)
            if call is None:
                return  # a reply to some other method of the server's
            if kind is MessageType.error:
                self.errors.append(f"Notify {call[3]!r} failed: {msg.body}")
                return
            app_name, replaces_id, _icon, summary, body, actions, hints, expire = call
            nid = int(msg.body[0])
            record = self.record(
                id=nid, app_name=app_name, summary=summary, body=body,
                actions=dict(zip(actions[0::2], actions[1::2], strict=False)),
                hints=_unwrap_hints(hints), expire_timeout=expire, replaces_id=replaces_id,
                sender=key[0], received_at=time.monotonic(),
            )
            self.calls.append((nid, summary, record.received_at))
            old = self._by_id.pop(nid, None)
            if old is not None:  # replaced in place: keep what already happened to it
                self._carry(old, record)
            self._by_id[nid] = record
        elif kind is MessageType.signal:
            self._signal(msg)

    @staticmethod
    def _carry(old: Notification, new: Notification) -> None:
        new.invoked = old.invoked

    def _signal(self, msg: Any) -> None:
        member = msg.header.fields.get(HeaderFields.member)
        if member == "NotificationClosed":
            nid, reason = msg.body
            if nid in self._by_id:
                self._by_id[nid].closed_reason = int(reason)
        elif member == "ActionInvoked":
            nid, key_name = msg.body
            self.invocations.append((int(nid), key_name))
            if nid in self._by_id:
                self._by_id[nid].invoked.append(key_name)

    @staticmethod
    def _copy(n: Notification) -> Notification:
        return replace(n, actions=dict(n.actions), hints=dict(n.hints), invoked=list(n.invoked))

    def snapshot(self, after_id: int = 0) -> list[Notification]:
        """Copies, in arrival order, of the notifications with an id above ``after_id``."""
        with self.changed:
            return [self._copy(n) for n in self._by_id.values() if n.id > after_id]

    def wait_for(self, after_id: int, predicate: Callable[[Any], bool] | None,
                 timeout: float) -> Any:
        """The first notification above ``after_id`` matching ``predicate``, once it came."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for n in self.snapshot(after_id):
                    if predicate is None or predicate(n):
                        return n
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.changed.wait(min(left, POLL_S))
        seen = [(n.id, n.app_name, n.summary) for n in self.snapshot(after_id)]
        raise DesktopTimeout(
            f"timed out after {timeout:.2f} s waiting for a notification; the server received "
            f"{seen}" + (f"; errors {self.errors}" if self.errors else "")
        )

    def max_id(self) -> int:
        """The newest id the server handed out so far (servers count up from 1)."""
        with self.changed:
            return max(self._by_id, default=0)

    def stop(self) -> None:
        """End the thread: shutting the socket down wakes its receive at once."""
        self._stop.set()
        with contextlib.suppress(OSError):
            self._conn.sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=2)
        with contextlib.suppress(OSError):
            self._conn.close()


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
        """This entry and every entry below it, depth first."""
        items = [self]
        for child in self.children:
            items += child.walk()
        return items


def menu_item(layout: Any) -> MenuItem:
    """A ``com.canonical.dbusmenu.GetLayout`` layout (id, properties, children) as a tree."""
    item_id, props, children = layout
    plain = {key: value for key, (_sig, value) in props.items()}
    return MenuItem(
        id=int(item_id),
        label=str(plain.get("label", "")).replace("_", ""),
        enabled=bool(plain.get("enabled", True)),
        visible=bool(plain.get("visible", True)),
        type=str(plain.get("type", "standard")),
        children=tuple(menu_item(value) for _sig, value in children),
    )


# ---------------------------------------------------------------------------- the apps


@dataclass(frozen=True)
class AppResult:
    """How an app ended: its exit code and any process of its own it left running."""

    exit_code: int  # negative: killed by that signal (Popen's convention)
    left_behind: list[ProcInfo]  # descendants still alive after the app ended (then killed)
    stopped_by_harness: bool  # the harness had to send SIGTERM (the app did not end itself)
    killed: bool  # SIGTERM was not enough: SIGKILL
    stdout: str
    stderr: str


class AppHandle:
    """A program started on the desktop, in its own session and process group.

    Output goes to files (not pipes) so a chatty app can never block on a full pipe,
    and the files stay behind as test artifacts.
    """

    def __init__(
        self,
        name: str,
        args: Sequence[str],
        env: dict[str, str],
        home: Path,
        config_path: Path | None,
        out_dir: Path,
        cwd: Path,
    ) -> None:
        self.name = name
        self.args = list(args)
        self.env = env
        self.home = home
        self.config_path = config_path
        self.stdout_path = out_dir / f"{name}.stdout.log"
        self.stderr_path = out_dir / f"{name}.stderr.log"
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            self.popen = subprocess.Popen(
                self.args, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                start_new_session=True,  # its own session and process group, for the scan
            )
        self.pid = self.popen.pid
        self.started_at = time.monotonic()
        self.result: AppResult | None = None

    @property
    def running(self) -> bool:
        """The main process has not exited."""
        return self.popen.poll() is None

    def output(self) -> str:
        """Everything the app wrote to stdout so far."""
        return self.stdout_path.read_text(errors="replace")

    def errors(self) -> str:
        """Everything the app wrote to stderr so far."""
        return self.stderr_path.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout: float = 10.0) -> str:
        """Wait for a stdout line containing ``text``; return that line."""
        return self._wait_for_line(self.output, "stdout", text, timeout)

    def wait_for_log(self, text: str, timeout: float = 10.0) -> str:
        """Wait for a stderr line (the log, with ``-v``) containing ``text``; return it."""
        return self._wait_for_line(self.errors, "stderr", text, timeout)

    def _wait_for_line(
        self, read: Callable[[], str], stream: str, text: str, timeout: float
    ) -> str:
        def find() -> str | None:
            for line in read().splitlines():
                if text in line:
                    return line
            if not self.running:
                raise DesktopTimeout(
                    f"{self.name} exited ({self.popen.returncode}) before printing {text!r}; "
                    f"stderr:\n{self.errors()[-2000:]}"
                )
            return None

        return wait_until(find, timeout, lambda: f"{text!r} on {self.name}'s {stream}")

    def family(self) -> list[ProcInfo]:
        """Living processes that belong to the app besides its main process.

        Its descendants by parent link, plus anything in its session or process group:
        a child whose parent already exited was re-parented, but keeps its session.
        """
        procs = all_procs()
        found = {p.pid: p for p in descendants(self.pid, procs)}
        for p in procs:
            if p.alive and p.pid != self.pid and self.pid in (p.sid, p.pgid):
                found.setdefault(p.pid, p)
        return sorted(found.values(), key=lambda p: p.pid)

    def wait(self, timeout: float = 10.0) -> AppResult:
        """Wait for the app to end by itself (e.g. Quit from its menu) and report."""
        if self.result is not None:
            return self.result
        family = self.family()
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise DesktopTimeout(f"{self.name} still running after {timeout:.1f} s") from None
        return self._finish(family, stopped=False, killed=False)

    def stop(self, timeout: float = 5.0) -> AppResult:
        """SIGTERM the main process (then SIGKILL after ``timeout``) and report.

        Only the main process is signalled: whether the app takes its own children down
        is exactly what ``left_behind`` is meant to show.
        """
        if self.result is not None:
            return self.result
        family = self.family()  # before the kill, while parent links still lead to them
        stopped = killed = False
        if self.running:
            stopped = True
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                killed = True
                self.popen.kill()
                self.popen.wait()
        return self._finish(family, stopped=stopped, killed=killed)

    def _finish(self, family: list[ProcInfo], *, stopped: bool, killed: bool) -> AppResult:
        # A child may be exiting in the same instant as its parent: give it a moment.
        known = {p.pid: p for p in family}
        for p in self.family():
            known.setdefault(p.pid, p)
        candidates = list(known.values())
        deadline = time.monotonic() + 0.5
        while any(still_running(p) for p in candidates) and time.monotonic() < deadline:
            time.sleep(EXIT_POLL_S)
        left = [p for p in candidates if still_running(p)]
        if left:
            end_processes(left, grace=1.0)  # they are ours: clean up after reporting
        self.result = AppResult(
            exit_code=int(self.popen.returncode), left_behind=left, stopped_by_harness=stopped,
            killed=killed, stdout=self.output(), stderr=self.errors(),
        )
        return self.result


# ------------------------------------------------------------------------- the desktop


def _free_display(candidates: Iterable[int], skip: set[int]) -> int:
    """The first display number with neither a socket nor a lock file (nobody uses it)."""
    for n in candidates:
        if n in skip:
            continue
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise DesktopError("no free X display number")


def _lock_pid(n: int) -> int | None:
    """The PID Xvfb wrote into its lock file, which tells us whose server answers on :n."""
    try:
        return int(Path(f"/tmp/.X{n}-lock").read_text().strip())
    except (OSError, ValueError):
        return None


class Desktop:
    """A private virtual desktop: bus, X server, tray and notification server.

    Use ``with Desktop() as d:`` or ``start()``/``stop()``. Not thread-safe: drive it from
    the test's thread (it runs one thread of its own, the notification monitor).
    """

    def __init__(
        self,
        *,
        screen: tuple[int, int] = SCREEN,
        display_range: Sequence[int] = DISPLAY_RANGE,
        log_dir: Path | None = None,
    ) -> None:
        self.screen = screen
        self.display_range = display_range
        self.log_dir = log_dir
        self.timings: dict[str, float] = {}  # milliseconds per stage, "up" and "down" totals
        self.display = ""
        self.display_number = -1
        self.bus_address = ""
        self.tmp: Path = Path()
        self._env: dict[str, str] = {}
        self._daemons: list[Daemon] = []
        self._apps: list[AppHandle] = []
        self._x: xdisplay.Display | None = None
        self._bus: DBusConnection | None = None
        self._monitor: _NotificationMonitor | None = None
        self._baseline_id = 0
        self._app_count = 0
        self._started = False

    # ------------------------------------------------------------ lifecycle

    def __enter__(self) -> Desktop:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> Desktop:
        """Bring everything up in order, each part ready before the next one starts."""
        if self._started:
            return self
        self._started = True
        atexit.register(self.stop)
        t0 = time.monotonic()
        try:
            self._make_dirs()
            self._stage("dbus", self._start_bus)
            self._stage("xvfb", self._start_xvfb)
            self._stage("trayer", self._start_trayer)
            self._stage("dunst", self._start_dunst)
        except BaseException:
            self.stop()
            raise
        self.timings["up"] = (time.monotonic() - t0) * 1000
        return self

    def _stage(self, name: str, step: Callable[[], None]) -> None:
        t = time.monotonic()
        step()
        self.timings[name] = (time.monotonic() - t) * 1000

    def _make_dirs(self) -> None:
        # Short path in /tmp: a unix socket path must stay under 108 bytes.
        self.tmp = Path(tempfile.mkdtemp(prefix="mb-desktop-"))
        self.tmp.chmod(0o700)
        for sub in ("home", "config", "data", "cache", "state", "runtime", "logs", "apps"):
            (self.tmp / sub).mkdir(mode=0o700)
        env = {k: v for k, v in os.environ.items() if k not in _LEAKY_ENV}
        env.update(self._home_env(self.tmp))
        env.update(
            NO_AT_BRIDGE="1",  # GTK would otherwise D-Bus-activate at-spi on our bus
            GSETTINGS_BACKEND="memory",  # and dconf-service: fewer processes, no writes
            GDK_BACKEND="x11",
            PYSTRAY_BACKEND="gtk",  # deterministic: appindicator would fall back anyway
        )
        self._env = env

    @staticmethod
    def _home_env(root: Path) -> dict[str, str]:
        return {
            "HOME": str(root / "home"),
            "XDG_CONFIG_HOME": str(root / "config"),
            "XDG_DATA_HOME": str(root / "data"),
            "XDG_CACHE_HOME": str(root / "cache"),
            "XDG_STATE_HOME": str(root / "state"),
            "XDG_RUNTIME_DIR": str(root / "runtime"),
        }

    def _log(self, name: str) -> Path:
        return self.tmp / "logs" / f"{name}.log"

    def _log_tail(self, name: str) -> str:
        try:
            return self._log(name).read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def _start_bus(self) -> None:
        # --nofork rather than --fork: a forked daemon is re-parented to init, which on
        # this machine reaps it only seconds later, and it would outlive a crashed pytest.
        # As our child it is reaped at once and gets the parent-death signal too.
        address = f"unix:path={self.tmp / 'bus'}"
        with self._log("dbus").open("wb") as err:
            popen = subprocess.Popen(
                ["dbus-daemon", "--session", "--nofork", f"--address={address}",
                 "--print-address=1"],
                env=self._env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err,
                preexec_fn=_die_with_parent,
            )
        info = read_proc(popen.pid)
        if info is not None:
            self._daemons.append(Daemon("dbus-daemon", info, popen))
        assert popen.stdout is not None
        # The address is printed once the daemon listens: that line is the readiness signal.
        with popen.stdout:
            ready, _, _ = select.select([popen.stdout], [], [], 10)
            line = popen.stdout.readline().decode().strip() if ready else ""
        if not line.startswith("unix:"):
            raise DesktopError(f"dbus-daemon did not start: {self._log_tail('dbus')}")
        self.bus_address = line
        self._env["DBUS_SESSION_BUS_ADDRESS"] = self.bus_address
        self._bus = open_dbus_connection(self.bus_address)

    def _spawn(self, name: str, args: Sequence[str]) -> subprocess.Popen[bytes]:
        with self._log(name).open("wb") as log:
            popen = subprocess.Popen(
                list(args), env=self._env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                preexec_fn=_die_with_parent,  # safe: no harness thread runs yet
            )
        info = read_proc(popen.pid)
        if info is not None:
            self._daemons.append(Daemon(name, info, popen))
        return popen

    def _start_xvfb(self) -> None:
        tried: set[int] = set()
        # Start at an offset that depends on our PID, so parallel runs rarely even collide.
        span = list(self.display_range)
        offset = os.getpid() % max(1, len(span))
        order = span[offset:] + span[:offset]
        for _attempt in range(8):
            n = _free_display(order, tried)
            tried.add(n)
            width, height = self.screen
            popen = self._spawn(
                "xvfb",
                ["Xvfb", f":{n}", "-screen", "0", f"{width}x{height}x24",
                 "-nolisten", "tcp", "-noreset"],
            )
            if self._wait_xvfb(n, popen):
                self.display_number, self.display = n, f":{n}"
                self._env["DISPLAY"] = self.display
                break
            # Lost a race for :n (another server took it first): forget this one, retry.
            self._daemons = [d for d in self._daemons if d.popen is not popen]
            with contextlib.suppress(ProcessLookupError):
                popen.kill()
            popen.wait()
        else:
            raise DesktopError(f"Xvfb did not start on any of {sorted(tried)}: "
                               f"{self._log_tail('xvfb')}")
        # Services the bus activates (should an app ask for one) must find our display too.
        assert self._bus is not None
        activation = {k: self._env[k] for k in ("DISPLAY", "NO_AT_BRIDGE", "GSETTINGS_BACKEND")}
        self._bus.send_and_get_reply(DBus().UpdateActivationEnvironment(activation), timeout=5)

    def _wait_xvfb(self, n: int, popen: subprocess.Popen[bytes]) -> bool:
        """True once *our* server answers on :n; False if it died (display taken)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if popen.poll() is not None:
                return False
            if _lock_pid(n) == popen.pid:  # only then is whoever answers on :n our server
                with contextlib.suppress(Exception):  # not listening yet
                    self._x = open_display(f":{n}")
                    return True
            time.sleep(POLL_S)
        return False

    def _start_trayer(self) -> None:
        popen = self._spawn(
            "trayer",
            ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request",
             "--height", "32", "--SetDockType", "true", "--transparent", "false",
             "--tint", "0x404040", "--expand", "true"],
        )
        assert self._x is not None
        atom = self._x.intern_atom(f"_NET_SYSTEM_TRAY_S{self._x.get_default_screen()}")

        def owned() -> bool:
            if popen.poll() is not None:
                raise DesktopError(f"trayer exited: {self._log_tail('trayer')}")
            owner = self._x.get_selection_owner(atom)  # type: ignore[union-attr]
            return bool(getattr(owner, "id", owner))

        wait_until(owned, 10, "trayer to own the system tray selection")

    def _start_dunst(self) -> None:
        picker = self.tmp / "pick-action"
        picker.write_text(PICKER_SCRIPT)
        picker.chmod(0o700)
        rc = self.tmp / "dunstrc"
        rc.write_text(DUNSTRC.format(picker=picker))
        popen = self._spawn("dunst", ["dunst", "-config", str(rc)])

        def owned() -> bool:
            if popen.poll() is not None:
                raise DesktopError(f"dunst exited: {self._log_tail('dunst')}")
            return self.name_owner(NOTIFICATIONS) is not None

        wait_until(owned, 10, "dunst to own org.freedesktop.Notifications")
        server = self.name_owner(NOTIFICATIONS)
        assert server is not None
        self._monitor = _NotificationMonitor(self.bus_address, server)

    def name_owner(self, name: str) -> str | None:
        """The unique name owning a bus name on the harness bus, or None."""
        if self._bus is None:
            raise DesktopError("desktop is not running")
        reply = self._bus.send_and_get_reply(DBus().GetNameOwner(name), timeout=5)
        if reply.header.message_type is MessageType.error:
            return None
        return str(reply.body[0])

    def end_session_bus(self) -> None:
        """Stop the session bus as a logout does (SIGTERM), and reap it."""
        for daemon in [d for d in self._daemons if d.name == "dbus-daemon"]:
            daemon.popen.terminate()
            daemon.popen.wait(timeout=5)
            self._daemons.remove(daemon)

    def stop(self) -> None:
        """Tear down in reverse order, by PID; idempotent and safe after a failed start."""
        if not self._started:
            return
        self._started = False
        atexit.unregister(self.stop)
        t0 = time.monotonic()
        stop_clients(self._apps, self._monitor, self._bus)
        self._monitor, self._bus = None, None
        if self._x is not None:
            with contextlib.suppress(Exception):
                self._x.close()
            self._x = None
        for daemon in reversed(self._daemons):
            end_daemon(daemon)
        self._daemons = []
        self.timings["down"] = (time.monotonic() - t0) * 1000
        if self.log_dir is not None:
            with contextlib.suppress(OSError):
                self.log_dir.mkdir(parents=True, exist_ok=True)
                for log in (self.tmp / "logs").glob("*.log"):
                    shutil.copy2(log, self.log_dir / log.name)
                menu = self.tmp / "dunst-menu.log"
                if menu.exists():
                    shutil.copy2(menu, self.log_dir / menu.name)
                (self.log_dir / "timings.json").write_text(json.dumps(self.timings, indent=1))
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ---------------------------------------------------------------- facts

    @property
    def env(self) -> dict[str, str]:
        """The environment of a program on this desktop (a copy: change it freely)."""
        return dict(self._env)

    def pids(self) -> list[ProcInfo]:
        """The harness's own programs and their descendants (for leak checks)."""
        found: list[ProcInfo] = []
        for daemon in self._daemons:
            if still_running(daemon.info):
                found.append(daemon.info)
                found.extend(descendants(daemon.info.pid))
        return found

    @property
    def x(self) -> xdisplay.Display:
        """The harness's own X connection (python-xlib), for queries a test may need."""
        if self._x is None:
            raise DesktopError("desktop is not running")
        return self._x

    # --------------------------------------------------------------- tray and windows

    def tray_icons(self) -> list[TrayIcon]:
        """Every window carrying ``_XEMBED_INFO``: docked icons, whatever their backend.

        GTK names an icon's window after the program, not the icon title, so a search
        by name would miss it; the XEmbed property is what every tray icon has.
        """
        x = self.x
        root = x.screen().root
        xembed = x.intern_atom("_XEMBED_INFO")
        icons: list[TrayIcon] = []

        def walk(window: Any) -> None:
            try:
                children = window.query_tree().children
            except xerror.XError:
                return  # destroyed while we looked
            for child in children:
                try:
                    if child.get_full_property(xembed, X.AnyPropertyType) is not None:
                        geometry = child.get_geometry()
                        origin = root.translate_coords(child, 0, 0)
                        attrs = child.get_attributes()
                        icons.append(TrayIcon(
                            window=child.id, x=origin.x, y=origin.y,
                            width=geometry.width, height=geometry.height,
                            viewable=attrs.map_state == X.IsViewable,
                            name=_wm_name(child),
                        ))
                except xerror.XError:
                    continue
                walk(child)

        walk(root)
        x.sync()
        return icons

    def wait_for_icon(
        self, timeout: float = 10.0, predicate: Callable[[TrayIcon], bool] | None = None
    ) -> TrayIcon:
        """Wait for a docked, viewable icon whose geometry held still for one poll.

        GtkStatusIcon maps first and is resized by the tray a moment later; a stable
        geometry means clicks and crops hit the final place.
        """
        last: dict[int, TrayIcon] = {}

        def docked() -> TrayIcon | None:
            nonlocal last
            now = {
                i.window: i for i in self.tray_icons()
                if i.viewable and i.width > 1 and i.height > 1 and (predicate is None
                                                                   or predicate(i))
            }
            stable = [i for w, i in now.items() if last.get(w) == i]
            last = now
            return stable[0] if stable else None

        return wait_until(docked, timeout, lambda: f"a docked tray icon; saw {self.tray_icons()}")

    def wait_for_no_icon(self, timeout: float = 10.0) -> None:
        """Wait until no viewable icon is docked (an app has gone away)."""
        wait_until(
            lambda: not [i for i in self.tray_icons() if i.viewable],
            timeout, lambda: f"the tray to be empty; saw {self.tray_icons()}",
        )

    def top_windows(self, viewable_only: bool = True) -> list[TopWindow]:
        """Drawable direct children of the root, bottom to top (a menu is a new one)."""
        x = self.x
        found = []
        for child in x.screen().root.query_tree().children:
            try:
                geometry = child.get_geometry()
                attrs = child.get_attributes()
            except xerror.XError:
                continue
            if attrs.win_class == X.InputOnly:
                continue  # never drawn: e.g. the window GTK grabs input with before a menu
            viewable = attrs.map_state == X.IsViewable
            if viewable or not viewable_only:
                found.append(TopWindow(
                    window=child.id, x=geometry.x, y=geometry.y, width=geometry.width,
                    height=geometry.height, viewable=viewable,
                    override_redirect=bool(attrs.override_redirect), name=_wm_name(child),
                ))
        return found

    def dunst_popup(self) -> TopWindow | None:
        """dunst's notification window while it shows something (it is unmapped when idle)."""
        for window in self.top_windows():
            if window.name == "Dunst" and window.width > 1:
                return window
        return None

    def wait_for_popup(self, timeout: float = 5.0) -> tuple[TopWindow, Image.Image]:
        """Wait until dunst's window is mapped *and drawn*; return it and that screenshot.

        The D-Bus reply (``wait_for_notification``) comes before dunst paints, so a
        screenshot taken right after it may still show an empty screen.
        """

        def drawn() -> tuple[TopWindow, Image.Image] | None:
            popup = self.dunst_popup()
            if popup is None:
                return None
            shot = self.screenshot()
            painted = colour_share(self.crop_icon(shot, popup), (0, 0, 0), tolerance=0) < 0.5
            return (popup, shot) if painted else None

        return wait_until(drawn, timeout, "dunst to draw its notification window")

    def wait_for_new_window(
        self, before: Iterable[TopWindow], timeout: float = 5.0
    ) -> TopWindow:
        """Wait for a viewable top-level window that was not in ``before`` (a menu, a popup)."""
        known = {w.window for w in before}
        width, height = self.screen

        def on_screen(w: TopWindow) -> bool:
            return w.width > 1 and w.x + w.width > 0 and w.y + w.height > 0 and (
                w.x < width and w.y < height)

        def new() -> TopWindow | None:
            fresh = [w for w in self.top_windows() if w.window not in known and on_screen(w)]
            return fresh[-1] if fresh else None

        return wait_until(new, timeout, "a new window to be mapped")

    # ----------------------------------------------------------------- pixels

    def screenshot(self, path: Path | str | None = None) -> Image.Image:
        """The whole screen as RGB (Pillow's XCB grab, in-process); saved as PNG if ``path``."""
        image = ImageGrab.grab(xdisplay=self.display).convert("RGB")
        if path is not None:
            image.save(path)
        return image

    @staticmethod
    def crop_icon(
        image: Image.Image, icon: TrayIcon | TopWindow, margin: int = 0, scale: int = 1
    ) -> Image.Image:
        """The icon's pixels (optionally with ``margin`` around, enlarged ``scale`` times)."""
        left, top, right, bottom = icon.box
        crop = image.crop((left - margin, top - margin, right + margin, bottom + margin))
        if scale > 1:
            crop = crop.resize((crop.width * scale, crop.height * scale), Image.NEAREST)
        return crop

    # ------------------------------------------------------------------ input

    def xdotool(self, *args: str) -> str:
        """Run xdotool against this display; return its stdout."""
        done = subprocess.run(
            ["xdotool", *args], env=self._env, stdin=subprocess.DEVNULL, capture_output=True,
            text=True, timeout=10, check=False,
        )
        if done.returncode != 0:
            raise DesktopError(f"xdotool {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def click(self, x: int, y: int, button: int = 1) -> None:
        """Move the pointer to (x, y) and click ``button`` (1 left, 2 middle, 3 right)."""
        self.xdotool("mousemove", str(x), str(y), "click", str(button))

    def move_mouse(self, x: int, y: int, *, relative: bool = False) -> None:
        """Move the pointer to (x, y), or by (x, y) with ``relative``."""
        if relative:
            self.xdotool("mousemove_relative", "--", str(x), str(y))
        else:
            self.xdotool("mousemove", str(x), str(y))

    def key(self, *keys: str, delay_ms: int = 30) -> None:
        """Press and release keys in turn (xdotool names: ``Down``, ``Return``, ``ctrl+q``)."""
        self.xdotool("key", "--delay", str(delay_ms), *keys)

    def idle_ms(self) -> int:
        """Milliseconds since the last input, from the MIT-SCREEN-SAVER extension."""
        return int(self.x.screen().root.screensaver_query_info().idle)

    # ---------------------------------------------------------- notifications

    def _dunstctl(self, *args: str) -> str:
        done = subprocess.run(
            ["dunstctl", *args], env=self._env, stdin=subprocess.DEVNULL, capture_output=True,
            text=True, timeout=10, check=False,
        )
        if done.returncode != 0:
            raise DesktopError(f"dunstctl {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    @property
    def monitor(self) -> _NotificationMonitor:
        if self._monitor is None:
            raise DesktopError("desktop is not running")
        return self._monitor

    def notifications(self) -> list[Notification]:
        """What dunst received since the last ``clear_history()``, oldest first."""
        return self.monitor.snapshot(self._baseline_id)

    def wait_for_notification(
        self, predicate: Callable[[Notification], bool] | None = None, timeout: float = 5.0
    ) -> Notification:
        """Wait until dunst has received (and answered with an id) a matching notification."""
        return self.monitor.wait_for(self._baseline_id, predicate, timeout)

    def dunst_history(self) -> list[dict[str, Any]]:
        """``dunstctl history`` as plain dicts (closed notifications only, newest first).

        dunst 1.9 keeps a notification out of its history while it is displayed, so use
        ``notifications()`` to see what arrived; this shows what dunst kept.
        """
        data = json.loads(self._dunstctl("history"))
        entries = data["data"][0] if data.get("data") else []
        history = []
        for entry in entries:
            plain = {key: value.get("data") for key, value in entry.items()}
            if int(plain.get("id", 0)) > self._baseline_id:
                history.append(plain)
        return history

    def _dunst_property(self, name: str) -> int:
        assert self._bus is not None
        target = DBusAddress(NOTIFICATIONS_PATH, bus_name=NOTIFICATIONS, interface=DUNST_IFACE)
        reply = self._bus.send_and_get_reply(Properties(target).get(name), timeout=5)
        return int(reply.body[0][1])

    def displayed_count(self) -> int:
        """How many notifications dunst shows on screen right now."""
        return self._dunst_property("displayedLength")

    def close_all(self) -> None:
        """Close every shown or waiting notification, and wait until dunst has done so."""
        self._dunstctl("close-all")
        wait_until(
            lambda: self._dunst_property("displayedLength") == 0
            and self._dunst_property("waitingLength") == 0,
            5, "dunst to close all notifications",
        )

    def clear_history(self) -> None:
        """Close everything and forget what arrived so far.

        dunst 1.9 has no call that empties its history (``NotificationClearHistory``
        came later), so this moves a baseline: ids only grow, older ones are hidden.
        """
        self.close_all()
        self._baseline_id = max(self.monitor.max_id(), self._baseline_id)
        for entry in self._raw_history_ids():
            self._baseline_id = max(self._baseline_id, entry)
        (self.tmp / "dunst-menu.log").unlink(missing_ok=True)

    def _raw_history_ids(self) -> list[int]:
        saved, self._baseline_id = self._baseline_id, 0
        try:
            return [int(e.get("id", 0)) for e in self.dunst_history()]
        finally:
            self._baseline_id = saved

    def pick_action(
        self, key: str, notification_id: int | None = None, timeout: float = 5.0
    ) -> int:
        """Invoke action ``key`` through dunst's context menu, as a person would pick it.

        Targets notification ``notification_id``, else the newest shown one offering
        ``key``. Returns the notification id once dunst has sent ``ActionInvoked``.
        """
        monitor = self.monitor
        with monitor.changed:
            seen = len(monitor.invocations)
        (self.tmp / "dunst-pick").write_text(
            f"{notification_id},{key}\n" if notification_id is not None else f"{key}\n"
        )
        self._dunstctl("context")

        def invoked() -> int | None:
            with monitor.changed:
                for nid, name in monitor.invocations[seen:]:
                    if name == key and notification_id in (None, nid):
                        return nid
            return None

        def offered() -> str:
            menu = self.tmp / "dunst-menu.log"
            text = menu.read_text().rsplit("---", 2)[-2] if menu.exists() else "(not called)"
            return f"ActionInvoked {key!r}; dunst's context menu offered:\n{text.strip()}"

        return wait_until(invoked, timeout, offered)

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
        fresh_home: bool = True,
    ) -> AppHandle:
        """Start a program on this desktop; stop it with the handle (or at ``stop()``).

        With ``fresh_home`` it gets its own HOME and XDG folders, so state one test's app
        writes cannot leak into the next. ``config_text`` is written to
        ``$XDG_CONFIG_HOME/<config_relpath>`` before the start.
        """
        self._app_count += 1
        root = self.tmp / "apps" / f"{self._app_count:02d}-{_safe(name)}"
        env = self.env
        if fresh_home:
            for sub in ("home", "config", "data", "cache", "state", "runtime"):
                (root / sub).mkdir(mode=0o700, parents=True)
            env.update(self._home_env(root))
        else:
            root.mkdir(parents=True)
        config_path = None
        if config_text is not None:
            config_path = Path(env["XDG_CONFIG_HOME"]) / config_relpath
            config_path.parent.mkdir(parents=True, exist_ok=True)
            config_path.write_text(config_text)
        env.update(env_extra or {})
        out = out_dir if out_dir is not None else root
        out.mkdir(parents=True, exist_ok=True)
        log_name, k = _safe(name), 1
        while (out / f"{log_name}.stdout.log").exists():  # a second app of that name
            k += 1
            log_name = f"{_safe(name)}-{k}"
        handle = AppHandle(
            name=log_name, args=args, env=env, home=Path(env["HOME"]),
            config_path=config_path, out_dir=out, cwd=Path(env["HOME"]),
        )
        self._apps.append(handle)
        return handle


def _wm_name(window: Any) -> str | None:
    with contextlib.suppress(xerror.XError):
        name = window.get_wm_name()
        return name if isinstance(name, str) else None
    return None


def _safe(name: str) -> str:
    """A file-name-safe version of a test or app name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "x"


def colour_share(
    image: Image.Image, rgb: tuple[int, int, int], tolerance: int = 12
) -> float:
    """The fraction of ``image``'s pixels within ``tolerance`` of ``rgb`` on every channel.

    Icons are scaled and antialiased by the tray, so tests compare shares of a colour
    rather than single pixels.
    """
    rgb_image = image.convert("RGB")
    total = rgb_image.width * rgb_image.height
    if total == 0:
        return 0.0
    near = sum(
        count for count, (r, g, b) in rgb_image.getcolors(maxcolors=total) or []
        if abs(r - rgb[0]) <= tolerance and abs(g - rgb[1]) <= tolerance
        and abs(b - rgb[2]) <= tolerance
    )
    return near / total


WINDOW_BG = (0x1F, 0x29, 0x37)  # the timer window's background


def timer_window(desktop, artifacts, name: str):
    """The timer window (titled "movebreak") once mapped and painted; saves a screenshot."""
    window = wait_until(
        lambda: next((w for w in desktop.top_windows() if w.name == "movebreak"), None), 8,
        lambda: f"the timer window; saw {desktop.top_windows()}")

    def painted():  # the background, and the step's text drawn on it
        shot = desktop.screenshot()
        crop = desktop.crop_icon(shot, window)
        top = crop.crop((0, 0, crop.width, crop.height * 2 // 3))  # above the buttons
        text = colour_share(top, (0xF9, 0xFA, 0xFB), 30)
        return shot if colour_share(crop, WINDOW_BG, 6) > 0.5 and text > 0.01 else None

    shot = wait_until(painted, 5, "the timer window to be painted")
    desktop.crop_icon(shot, window).save(artifacts / f"{name}.png")
    return window
