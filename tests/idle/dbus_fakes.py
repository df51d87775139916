"""A private D-Bus session bus, and small stand-ins for desktop services on it.

GNOME Shell and Plasma cannot run here, but their D-Bus interfaces can be served: a
``FakeService`` owns the real bus name and answers the real method calls (and emits
the real signals) from Python, so the adapters under test go through a real
``dbus-daemon``, real marshalling and real errors. Shared by tests/idle and tests/quiet.

The bus runs with its own HOME and XDG folders, so services it activates (dconf for
the GNOME settings test) write there and nowhere else. Teardown stops exactly the
processes started here: the daemon and the services it activated, by PID.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jeepney import DBusAddress, HeaderFields, MessageType, new_method_call
from jeepney.io.blocking import open_dbus_connection
from jeepney.wrappers import new_error, new_method_return, new_signal

PROPERTIES = "org.freedesktop.DBus.Properties"
CONTROL = "org.movebreak.TestControl"


def require_program(program: str, package: str) -> str:
    """The program's path; fail under CI (it must run there), skip elsewhere."""
    path = shutil.which(program)
    if path is None:
        message = f"{program} is missing: apt-get install {package}"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


@dataclass
class PrivateBus:
    """A running ``dbus-daemon --session`` and the environment that reaches it."""

    address: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]

    def descendants(self) -> list[list[int]]:
        """PIDs below the daemon, by generation: its babysitters, then the services."""
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                parents[int(entry)] = int(stat.rpartition(")")[2].split()[1])
        generations = [[self.process.pid]]
        while generations[-1]:
            generations.append([pid for pid, parent in parents.items()
                                if parent in generations[-1]])
        return generations[1:-1]

    def stop(self) -> None:
        """Deepest processes first, each reaped by its parent before that one goes."""
        for generation in reversed(self.descendants()):
            for pid in generation:
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
            with suppress(AssertionError):
                wait_for(lambda g=generation: not any(_alive(pid) for pid in g), 2)
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _alive(pid: int) -> bool:
    """Running, or a zombie its parent has not reaped yet."""
    return Path(f"/proc/{pid}").exists()


@contextmanager
def private_bus(root: Path) -> Iterator[PrivateBus]:
    """Start a session bus whose activated services live under ``root``."""
    daemon = require_program("dbus-daemon", "dbus")
    env = {k: v for k, v in os.environ.items()
           if k not in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY")}
    for name, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"),
                      ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
                      ("XDG_RUNTIME_DIR", "runtime")):
        (root / sub).mkdir(mode=0o700, exist_ok=True)
        env[name] = str(root / sub)
    process = subprocess.Popen(
        [daemon, "--session", "--nofork", f"--address=unix:path={root / 'bus'}",
         "--print-address=1"],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 10)
    address = process.stdout.readline().decode().strip() if ready else ""
    process.stdout.close()
    bus = PrivateBus(address, {**env, "DBUS_SESSION_BUS_ADDRESS": address}, process)
    try:
        assert address.startswith("unix:"), "dbus-daemon printed no address"
        yield bus
    finally:
        bus.stop()


Handler = Callable[[tuple[Any, ...]], tuple[str | None, tuple[Any, ...]]]


class FakeError(Exception):
    """Raise in a handler to answer with a D-Bus error of this name."""


class FakeService:
    """Owns ``bus_name`` and answers calls from ``methods`` and ``properties`` on a thread.

    ``methods[(path, interface, member)] = handler(body) -> (signature, body)``;
    ``properties[(path, interface, name)] = (signature, value)`` serves ``Properties.Get``.
    Every call it receives is appended to ``calls`` as ``(interface, member, body)``.
    """

    def __init__(self, address: str, bus_name: str) -> None:
        self.address = address
        self.bus_name = bus_name
        self.methods: dict[tuple[str, str, str], Handler] = {}
        self.properties: dict[tuple[str, str, str], tuple[str, Any]] = {}
        self.calls: list[tuple[str, str, tuple[Any, ...]]] = []
        self._connection = open_dbus_connection(bus=address)
        self._send_lock = threading.Lock()
        reply = self._connection.send_and_get_reply(new_method_call(
            DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                        interface="org.freedesktop.DBus"),
            "RequestName", "su", (bus_name, 4)), timeout=5)
        assert reply.body[0] == 1, f"could not own {bus_name}: {reply.body}"
        self._thread = threading.Thread(target=self._serve, name=f"fake {bus_name}", daemon=True)
        self._thread.start()

    def _send(self, message: Any) -> None:
        with self._send_lock:
            self._connection.send(message)

    def emit(self, path: str, interface: str, member: str, signature: str | None,
             body: tuple[Any, ...]) -> None:
        """Broadcast a signal from this service."""
        self._send(new_signal(DBusAddress(path, interface=interface), member, signature, body))

    def _serve(self) -> None:
        while True:
            try:
                message = self._connection.receive()
            except (OSError, ValueError):
                return
            if message.header.message_type is not MessageType.method_call:
                continue
            fields = message.header.fields
            interface = fields.get(HeaderFields.interface, "")
            member = fields.get(HeaderFields.member, "")
            if interface == CONTROL:
                self._send(new_method_return(message))
                return
            self.calls.append((interface, member, tuple(message.body)))
            self._send(self._answer(message, fields.get(HeaderFields.path, ""), interface,
                                    member))

    def _answer(self, message: Any, path: str, interface: str, member: str) -> Any:
        if interface == PROPERTIES and member == "Get":
            wanted = self.properties.get((path, *message.body))
            if wanted is None:
                return new_error(message, "org.freedesktop.DBus.Error.UnknownProperty")
            return new_method_return(message, "v", (wanted,))
        handler = self.methods.get((path, interface, member))
        if handler is None:
            return new_error(message, "org.freedesktop.DBus.Error.UnknownMethod")
        try:
            signature, body = handler(tuple(message.body))
        except FakeError as error:
            return new_error(message, str(error))
        return new_method_return(message, signature, body)

    def stop(self) -> None:
        """Ask the serving thread to finish (a call it answers last), then disconnect."""
        if not self._thread.is_alive():
            return
        with open_dbus_connection(bus=self.address) as client:
            client.send_and_get_reply(new_method_call(
                DBusAddress("/", bus_name=self.bus_name, interface=CONTROL), "Quit"), timeout=5)
        self._thread.join(timeout=5)
        self._connection.close()


def wait_for(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Poll ``check`` every 20 ms until it is truthy (for a name to appear, a file to land)."""
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s")
        time.sleep(0.02)
    return result
