"""A timer window that cannot start must not wedge the routine (issue 18, defect 1).

Seen on Wayland desktops without Xwayland, without python3-tk, or with a wrong
``XAUTHORITY``: the Tk child exits at once, and Done / Skip / Snooze then raised
``BrokenPipeError`` while closing its stdin, so the routine never ended. Reproduced
here with no desktop at all: ``DISPLAY`` names a display no server answers on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a POSIX app process")

DEADLINE_S = 20.0


def _dead_display() -> str:
    """A display number with no X server socket (so Tk fails exactly as on a broken desktop)."""
    for n in range(69, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return f":{n}"
    raise AssertionError("every display number from :69 to :199 is in use")


class App:
    def __init__(self, home: Path) -> None:
        runtime = home / "run"
        runtime.mkdir(mode=0o700)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"), "XDG_STATE_HOME": str(home / "state"),
            "XDG_RUNTIME_DIR": str(runtime), "DISPLAY": _dead_display(), "TZ": "UTC",
            "PYSTRAY_BACKEND": "dummy",
        }
        self.log = home / "app.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "movebreak", "--no-tray", "-v"],
                                            env=self.env, stdout=out, stderr=subprocess.STDOUT)
        self.wait_for_log("ready")

    def cli(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "movebreak", *args], env=self.env,
                              capture_output=True, text=True, timeout=DEADLINE_S, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def wait_for_log(self, text: str) -> None:
        end = time.monotonic() + DEADLINE_S
        while text not in self.log.read_text(errors="replace"):
            assert self.process.poll() is None, self.log.read_text(errors="replace")
            assert time.monotonic() < end, f"no {text!r} in the log:\n{self.log.read_text()}"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            subprocess.run([sys.executable, "-m", "movebreak", "quit"], env=self.env,
                           capture_output=True, timeout=DEADLINE_S, check=False)
            try:
                self.process.wait(DEADLINE_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    handle = App(tmp_path)
    yield handle
    handle.stop()


@pytest.mark.parametrize(("action", "counted"),
                         [(("done",), "done"), (("skip",), "skipped"),
                          (("snooze", "5m"), "snoozed")])
def test_a_routine_whose_window_died_still_ends_on_the_users_word(app, action, counted):
    assert "Started" in app.cli("start", "reset")
    app.wait_for_log("the timer window could not run")
    app.cli(*action)
    status = app.cli("status")
    assert "running" not in status, status
    [today] = json.loads(app.cli("stats", "--days", "1", "--json"))["days"]
    assert today[counted] == 1, today
    assert "Started" in app.cli("start", "reset")  # and the next routine starts afresh
    assert "running" in app.cli("status")
    log = app.log.read_text(errors="replace")
    assert "the app failed" not in log and "Traceback" not in log, log
    app.stop()
    assert app.process.returncode == 0, app.log.read_text(errors="replace")
