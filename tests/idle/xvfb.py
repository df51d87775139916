"""A private Xvfb for the X11 idle and fullscreen tests (tests/idle, tests/quiet).

Each test that needs an X server of its own (one it may kill, or start without an
extension, or hand to a window manager) starts one here, away from the shared desktop
of tests/desktop. Needs apt ``xvfb``; skips without it and fails under ``CI=true``.
"""

from __future__ import annotations

import os
import select
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tests.idle.dbus_fakes import require_program

LEAK_BOUND_KB = 256
"""Far below what a leak per call would show over 20,000 calls (>= 32 bytes each)."""

DISPLAYS = range(900, 1000)
"""Above the harness's 200-899 and far from real sessions' :0 and :1."""


def rss_kb() -> int:
    """This process's resident memory now (for leak checks over many calls)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def read_line(fd: int, timeout: float) -> str:
    """Up to the newline: Xvfb dies if the pipe closes before it has written all of it."""
    data = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in data:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(fd, 32) if ready else b""
        if not chunk:
            break
        data += chunk
    return data.decode().strip()


def start_xvfb(*extra: str) -> tuple[subprocess.Popen, str]:
    """Xvfb on a free display; ``-displayfd`` prints the number once it accepts clients."""
    xvfb = require_program("Xvfb", "xvfb")
    offset = os.getpid() % len(DISPLAYS)
    for attempt in range(8):
        number = DISPLAYS[(offset + attempt * 7) % len(DISPLAYS)]
        if os.path.exists(f"/tmp/.X{number}-lock"):
            continue
        read_end, write_end = os.pipe()
        server = subprocess.Popen(
            [xvfb, f":{number}", "-displayfd", str(write_end), "-screen", "0", "800x600x24",
             "-nolisten", "tcp", "-noreset", *extra],
            pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(write_end)
        said = read_line(read_end, timeout=10)
        os.close(read_end)
        if said == str(number):
            return server, f":{number}"
        stop(server)  # lost a race for that display: try the next one
    raise AssertionError("Xvfb did not start on any free display")


@dataclass
class XServer:
    """A running private Xvfb, and how to reach and drive it."""

    process: subprocess.Popen
    display: str

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "XAUTHORITY")}
        env["DISPLAY"] = self.display
        return env

    def xdotool(self, *args: str) -> None:
        """Input through XTEST, i.e. the server's real input path (``mousemove`` warps)."""
        program = require_program("xdotool", "xdotool")
        subprocess.run([program, *args], env=self.env, check=True, timeout=10,
                       stdin=subprocess.DEVNULL, capture_output=True)


@contextmanager
def private_x_server(*extra: str) -> Iterator[XServer]:
    server, display = start_xvfb(*extra)
    try:
        yield XServer(server, display)
    finally:
        stop(server)
