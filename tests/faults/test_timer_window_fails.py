"""A timer window that cannot start must not wedge the routine (issue 18, defect 1).

Seen on Wayland desktops without Xwayland, without python3-tk, or with a wrong
``XAUTHORITY``: the Tk child exits at once, and Done / Skip / Snooze then raised
``BrokenPipeError`` while closing its stdin, so the routine never ended. Reproduced
here with no desktop at all: ``DISPLAY`` names a display no server answers on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.app_process import AppProcess

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a POSIX app process")



def _dead_display() -> str:
    """A display number with no X server socket (so Tk fails exactly as on a broken desktop)."""
    for n in range(69, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return f":{n}"
    raise AssertionError("every display number from :69 to :199 is in use")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[AppProcess]:
    handle = AppProcess(tmp_path, display=_dead_display())
    handle.wait_for_log("ready")
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
    log = app.text()
    assert "the app failed" not in log and "Traceback" not in log, log
    app.stop()
    assert app.process.returncode == 0, app.text()
