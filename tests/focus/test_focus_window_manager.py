"""The fullscreen probe under a real EWMH window manager, on an Xvfb of its own.

tests/desktop/test_focus.py plays the window manager's part by hand on the shared
desktop (it has none). Here ``matchbox-window-manager`` does it: it names the focused
window in ``_NET_ACTIVE_WINDOW`` and answers a mapped Tk window's fullscreen request
(a client message, as every toolkit sends) by setting ``_NET_WM_STATE``. A private
Xvfb keeps the window manager away from the shared desktop's tray and popups.

Needs apt ``xvfb`` and ``matchbox-window-manager`` (3 small packages); skips here
without them and fails under ``CI=true``.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from movebreak.focus.base import QuietReason
from movebreak.focus.x11 import X11FullscreenProbe
from tests.idle.dbus_fakes import require_program, wait_for

TK_CLIENT = """
import sys, tkinter
root = tkinter.Tk()
root.title("mb-wm-test")
root.update()
print("mapped", flush=True)
def command(*_):
    line = sys.stdin.readline().strip()
    if line in ("", "quit"):
        root.destroy()
    else:
        root.attributes("-fullscreen", line == "fullscreen")
root.createfilehandler(sys.stdin, tkinter.READABLE, command)
root.mainloop()
"""


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


DISPLAYS = range(900, 1000)
"""Above the harness's 200-899 and far from real sessions' :0 and :1."""


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


def start_xvfb(xvfb: str) -> tuple[subprocess.Popen, str]:
    """Xvfb on a free display; ``-displayfd`` prints the number once it accepts clients."""
    offset = os.getpid() % len(DISPLAYS)
    for attempt in range(8):
        number = DISPLAYS[(offset + attempt * 7) % len(DISPLAYS)]
        if os.path.exists(f"/tmp/.X{number}-lock"):
            continue
        read_end, write_end = os.pipe()
        server = subprocess.Popen(
            [xvfb, f":{number}", "-displayfd", str(write_end), "-screen", "0", "800x600x24",
             "-nolisten", "tcp"],
            pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(write_end)
        said = read_line(read_end, timeout=10)
        os.close(read_end)
        if said == str(number):
            return server, f":{number}"
        stop(server)  # lost a race for that display: try the next one
    raise AssertionError("Xvfb did not start on any free display")


@pytest.fixture
def wm_display() -> Iterator[dict[str, str]]:
    """A private Xvfb with matchbox managing its windows."""
    xvfb = require_program("Xvfb", "xvfb")
    manager = require_program("matchbox-window-manager", "matchbox-window-manager")
    server, display = start_xvfb(xvfb)
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "XAUTHORITY")}
    env["DISPLAY"] = display
    wm = subprocess.Popen([manager, "-use_titlebar", "no"], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield env
    finally:
        stop(wm)
        stop(server)


def test_the_window_managers_fullscreen_holds_prompts(wm_display):
    probe = X11FullscreenProbe(wm_display["DISPLAY"])
    client = subprocess.Popen([sys.executable, "-c", TK_CLIENT], env=wm_display, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert client.stdin is not None and client.stdout is not None

    def tell(line: str) -> None:
        client.stdin.write(line + "\n")
        client.stdin.flush()

    try:
        assert client.stdout.readline().strip() == "mapped"
        wait_for(probe.active_window)  # the window manager focused the new window
        assert probe.reason() is None
        tell("fullscreen")
        assert wait_for(probe.reason) is QuietReason.FULLSCREEN
        tell("normal")
        wait_for(lambda: probe.reason() is None)
        tell("fullscreen")
        wait_for(probe.reason)
        tell("quit")
        client.wait(timeout=10)
        wait_for(lambda: probe.reason() is None)
    finally:
        if client.poll() is None:
            client.kill()
            client.wait()
        probe.close()
