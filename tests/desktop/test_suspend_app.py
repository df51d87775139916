"""Wall-clock jumps seen by the real app: a three-hour suspend, and a clock set back.

libfaketime (apt ``faketime``) shifts CLOCK_REALTIME for the app alone, read again on
every call from a file the test writes; CLOCK_MONOTONIC stays real. That is exactly
what a laptop sees after a suspend, without suspending anything. For the clock set
back, the test also sets the machine's clock to its own reading, so the kernel tells
the app's clock watch that the clock changed, as it would after a real step.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from harness import MOVEBREAK, DesktopTimeout
from test_app import ALL_DAY

from tests.wall_clock import announce_clock_change

pytestmark = pytest.mark.desktop

FAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1")
CONFIG = (ALL_DAY + '[reset]\nevery = "3s"\n[morning]\nenabled = false\n'
          '[away]\nnatural_break = "4s"\noffer_reset_after = "off"\n'
          '[prompts]\nlate_grace = "1s"\n')


def faked_wall_clock(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The offset file and the environment that put the app's wall clock under it."""
    if not FAKETIME.exists():
        message = "the clock tests need libfaketime: apt-get install faketime"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    offset = tmp_path / "faketime"
    offset.write_text("+0\n")
    return offset, {"LD_PRELOAD": str(FAKETIME), "FAKETIME_TIMESTAMP_FILE": str(offset),
                    "FAKETIME_NO_CACHE": "1", "FAKETIME_DONT_FAKE_MONOTONIC": "1",
                    "PYSTRAY_BACKEND": ""}


def first_reset_while_working(desktop, timeout: float = 10.0):
    """The first reset, the user moving the mouse each second meanwhile.

    Time away here is 4 s of no input: a user who only moved before the start could
    count as away before the first reset (3 s after the app is ready) arrives.
    """
    deadline = time.monotonic() + timeout
    while True:
        desktop.move_mouse(1, 1, relative=True)
        try:
            return desktop.wait_for_notification(
                lambda n: n.summary.startswith("2-minute reset"), timeout=1)
        except DesktopTimeout:
            if time.monotonic() > deadline:
                raise


def test_three_hour_suspend_gives_no_burst(launch, desktop, artifacts, gtk_tray, tmp_path):
    offset, fake = faked_wall_clock(tmp_path)
    desktop.move_mouse(3, 3, relative=True)
    app = launch([*MOVEBREAK, "-v"], env_extra=fake, config_text=CONFIG)
    desktop.wait_for_icon(timeout=10)
    first = first_reset_while_working(desktop)
    desktop.pick_action("skip", first.id)
    offset.write_text("+3h\n")  # the lid closes; three hours later it opens
    woke, woke_wall = time.monotonic(), datetime.now().astimezone() + timedelta(hours=3)

    for _ in range(10):  # the user keeps working (so this is a sleep, not time away)
        desktop.move_mouse(1, 1, relative=True)
        with pytest.raises(DesktopTimeout):  # no burst of the ~3600 slots it slept through
            desktop.wait_for_notification(lambda n: n.received_at > woke, timeout=1)
    status = subprocess.run([*MOVEBREAK, "status", "--json"], env={**app.env, **fake},
                            capture_output=True, text=True, timeout=30, check=True)
    report = json.loads(status.stdout)
    upcoming = datetime.fromisoformat(report["next"]["at"])
    assert upcoming >= woke_wall - timedelta(seconds=1)  # planned from the wake-up
    assert "presence: slept" in app.errors() and "presence: away" not in app.errors()


STEP_CONFIG = (ALL_DAY + '[reset]\nevery = "8s"\n[morning]\nenabled = false\n'
               '[away]\nnatural_break = "5m"\noffer_reset_after = "off"\n'
               '[prompts]\nlate_grace = "1s"\n')


def test_a_clock_set_back_an_hour_does_not_hold_the_next_reset(launch, desktop, gtk_tray,
                                                               tmp_path):
    offset, fake = faked_wall_clock(tmp_path)
    desktop.move_mouse(3, 3, relative=True)
    app = launch([*MOVEBREAK, "-v"], env_extra=fake, config_text=STEP_CONFIG)
    desktop.wait_for_icon(timeout=10)
    first = desktop.wait_for_notification(lambda n: n.summary.startswith("2-minute reset"),
                                          timeout=15)
    desktop.pick_action("skip", first.id)
    skipped = time.monotonic()  # the reset count starts again: the next one in 8 s
    offset.write_text("-1h\n")  # NTP sets the clock back an hour
    announce_clock_change()
    again = desktop.wait_for_notification(
        lambda n: n.summary.startswith("2-minute reset") and n.received_at > skipped,
        timeout=15)
    assert 8 - 1.5 <= again.received_at - skipped <= 8 + 2.5
    assert "presence: clock_back" in app.errors()
