"""The fullscreen probe under a real EWMH window manager, on an Xvfb of its own.

tests/desktop/test_quiet.py plays the window manager's part by hand on the shared
desktop (it has none). Here ``matchbox-window-manager`` does it: it names the focused
window in ``_NET_ACTIVE_WINDOW`` and answers a mapped Tk window's fullscreen request
(a client message, as every toolkit sends) by setting ``_NET_WM_STATE``. A private
Xvfb keeps the window manager away from the shared desktop's tray and popups.

Needs apt ``xvfb`` and ``matchbox-window-manager`` (3 small packages); skips here
without them and fails under ``CI=true``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from movebreak.quiet.base import QuietReason
from movebreak.quiet.x11 import X11FullscreenProbe
from tests.idle.dbus_fakes import require_program, wait_for
from tests.idle.xvfb import private_x_server, stop

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


@pytest.fixture
def wm_display() -> Iterator[dict[str, str]]:
    """A private Xvfb with matchbox managing its windows."""
    manager = require_program("matchbox-window-manager", "matchbox-window-manager")
    with private_x_server() as server:
        wm = subprocess.Popen([manager, "-use_titlebar", "no"], env=server.env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            yield server.env
        finally:
            stop(wm)


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
