"""movebreak end to end: the real app on a virtual desktop, observed as a user would.

Each test starts ``python -m movebreak`` under the harness (private bus, Xvfb,
trayer, dunst) and observes the desktop, not the app's logs: the icon docked in the
tray and its pixels, the GTK menu opening, what the notification server received.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pytest
from harness import MOVEBREAK, DesktopTimeout, colour_share, timer_window, wait_until
from menu_keys import keys_to, menu_for
from PIL import Image

from movebreak.core.state import Status
from movebreak.tray.art import COLOURS

pytestmark = pytest.mark.desktop
FIXTURES = Path(__file__).parent / "fixtures"

ALL_DAY = ('[work]\ndays = ["mon","tue","wed","thu","fri","sat","sun"]\n'
           'start = "00:00"\nend = "24:00"\n')
QUIET = ALL_DAY + '[reset]\nevery = "1h"\n[morning]\nenabled = false\n'
READY = "ready: the menu is the app's"  # the app's log line once attach() ran


def config(every: str, snooze: str = "2s") -> str:
    return (ALL_DAY + f'[reset]\nevery = "{every}"\n[morning]\nenabled = false\n'
            f'[prompts]\nsnooze_choices = ["{snooze}", "10m", "30m"]\nlate_grace = "30s"\n')


def start(launch, desktop, text: str):
    """Start movebreak (letting it choose its own tray backend); wait for its icon and menu.

    The icon shows before the app behind it is built, with a "starting" menu whose
    only item is Quit; a test that opened the menu then would pick Quit where it meant
    a routine, so this waits for the app's "ready" line as well.

    The pointer moves first: the shared X server counts idle time from the last input,
    and a test's user is at the desk.
    """
    desktop.move_mouse(5, 5, relative=True)
    app = launch([*MOVEBREAK, "-v"], env_extra={"PYSTRAY_BACKEND": ""}, config_text=text)
    icon = desktop.wait_for_icon(timeout=10)
    app.wait_for_log(READY, timeout=15)
    return app, icon


def icon_shows(desktop, status: Status, artifacts: Path, name: str):
    """Wait until the docked icon is painted in ``status``'s colour; save the screenshot."""

    def painted():
        icon = desktop.wait_for_icon(timeout=5)
        shot = desktop.screenshot()
        crop = desktop.crop_icon(shot, icon)
        return shot if colour_share(crop, COLOURS[status], tolerance=12) >= 0.25 else None

    shot = wait_until(painted, 8, f"the tray icon to show {status.value}")
    shot.save(artifacts / f"{name}.png")
    return shot


def movebreak_cli(app, *args: str) -> str:
    """Run a ``movebreak`` subcommand with the app's environment (same config, same state)."""
    done = subprocess.run([*MOVEBREAK, *args], env=app.env, capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def open_menu(desktop, icon, artifacts: Path, name: str):
    """Right-click the icon, wait for the GTK menu to be drawn; return its window."""
    before = desktop.top_windows()
    desktop.click(*icon.center, button=3)
    window = desktop.wait_for_new_window(before, timeout=5)

    def drawn():
        shot = desktop.screenshot()
        crop = desktop.crop_icon(shot, window)
        return shot if colour_share(crop, (0, 0, 0), tolerance=8) < 0.5 else None

    wait_until(drawn, 5, "the menu to be drawn").save(artifacts / f"{name}.png")
    return window


def read_menu(desktop, window, artifacts: Path) -> list[str]:
    """The menu's lines as a person reads them: OCR (tesseract) of the menu's pixels."""
    if shutil.which("tesseract") is None:
        message = "reading the menu needs tesseract: apt-get install tesseract-ocr"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    crop = desktop.crop_icon(desktop.screenshot(), window).convert("L")
    # Black on white, disabled (grey) items included, three times larger: OCR reads it well.
    crop = crop.point(lambda v: 0 if v < 200 else 255)
    crop = crop.resize((crop.width * 3, crop.height * 3), Image.Resampling.LANCZOS)
    crop.save(artifacts / "menu-ocr.png")
    done = subprocess.run(["tesseract", str(artifacts / "menu-ocr.png"), "stdout", "--psm", "6"],
                          capture_output=True, text=True, timeout=30, check=True)
    lines = (line.strip(" |[]") for line in done.stdout.splitlines())
    return [line for line in lines if len(line) > 3]


def choose(desktop, *keys: str) -> None:
    desktop.key(*keys, "Return")


# Keyboard paths through the menu, counted in the menu's own data.
START_RESET = keys_to(menu_for(QUIET), "Start a 2-minute reset now")
SNOOZE_FIRST = keys_to(menu_for(config("2s")), "Snooze", "2 s")
PAUSE_30 = keys_to(menu_for(QUIET), "Pause", "30 min")
RESUME_WHEN_PAUSED = keys_to(menu_for(QUIET, Status.PAUSED), "Resume")
QUIT = keys_to(menu_for(QUIET), "Quit")


def test_icon_docks_and_menu_starts_a_reset(launch, desktop, artifacts, gtk_tray):
    app, icon = start(launch, desktop, QUIET)
    icon_shows(desktop, Status.WAITING, artifacts, "waiting")
    due = datetime.fromisoformat(json.loads(movebreak_cli(app, "next", "--json"))[0]["at"])
    menu = open_menu(desktop, icon, artifacts, "menu")
    lines = read_menu(desktop, menu, artifacts)
    local = due.astimezone()  # late in the evening the next reset is tomorrow's
    day = "" if local.date() == datetime.now().astimezone().date() else "tomorrow "
    assert lines[0] == f"Next: 2-minute reset at {day}{local:%H:%M}", lines
    assert "Start a 2-minute reset now" in lines and lines[-1] == "Quit"
    choose(desktop, *START_RESET)
    timer_window(desktop, artifacts, "started")  # the window says it: no "Started" notice
    icon_shows(desktop, Status.RUNNING, artifacts, "running")
    assert not [n for n in desktop.notifications() if n.summary.startswith("Started:")]
    assert app.running


def test_reset_arrives_on_time(launch, desktop, artifacts, gtk_tray):
    app, icon = start(launch, desktop, config("6s"))
    due = json.loads(movebreak_cli(app, "next", "--json"))[0]
    due_wall = datetime.fromisoformat(due["at"])
    due_mono = time.monotonic() + (due_wall - datetime.now(due_wall.tzinfo)).total_seconds()
    note = desktop.wait_for_notification(lambda n: n.summary.startswith("2-minute reset"),
                                         timeout=15)
    assert abs(note.received_at - due_mono) < 1.0, note.received_at - due_mono
    assert [k for k in note.actions] == ["start", "snooze", "skip", "default"]
    icon_shows(desktop, Status.DUE, artifacts, "due")


def test_snooze_pause_and_resume_from_the_menu(launch, desktop, artifacts, gtk_tray):
    app, icon = start(launch, desktop, config("2s", snooze="2s"))
    first = desktop.wait_for_notification(lambda n: n.summary.startswith("2-minute reset"),
                                          timeout=10)
    open_menu(desktop, icon, artifacts, "snooze-menu")
    choose(desktop, *SNOOZE_FIRST)
    snoozed_at = time.monotonic()
    again = desktop.wait_for_notification(
        lambda n: n.summary.startswith("2-minute reset") and n.received_at > snoozed_at + 1.5,
        timeout=6)
    assert again.received_at - snoozed_at < 3.5
    assert again.id == first.id  # the prompt is replaced in place, never stacked

    open_menu(desktop, icon, artifacts, "pause-menu")
    choose(desktop, *PAUSE_30)
    paused_at = time.monotonic()
    icon_shows(desktop, Status.PAUSED, artifacts, "paused")
    with pytest.raises(DesktopTimeout):  # two reset intervals pass without a prompt
        desktop.wait_for_notification(lambda n: n.received_at > paused_at, timeout=4.5)

    open_menu(desktop, icon, artifacts, "resume-menu")
    choose(desktop, *RESUME_WHEN_PAUSED)
    resumed_at = time.monotonic()
    back = desktop.wait_for_notification(
        lambda n: n.summary.startswith("2-minute reset") and n.received_at > resumed_at,
        timeout=6)
    assert 1.5 < back.received_at - resumed_at < 3.0  # the count starts again at Resume


def test_config_edits_apply_live_and_a_broken_edit_is_reported_once(
        launch, desktop, artifacts, gtk_tray):
    app, icon = start(launch, desktop, QUIET)
    path = app.config_path
    before = json.loads(movebreak_cli(app, "next", "--json"))
    path.write_text(QUIET.replace('every = "1h"', 'every = "20m"'))
    wait_until(lambda: json.loads(movebreak_cli(app, "next", "--json")) != before or None,
               5, "`movebreak next` to follow the edit")
    after = [datetime.fromisoformat(p["at"]) for p in json.loads(movebreak_cli(app, "next",
                                                                             "--json"))]
    # Two resets in one working day (near midnight the first pair spans the day's end).
    first, second = next((a, b) for a, b in pairwise(after) if a.date() == b.date())
    assert (second - first).total_seconds() == 20 * 60

    broken = QUIET.replace('every = "1h"', 'every = "soon"')
    path.write_text(broken)
    note = desktop.wait_for_notification(lambda n: "config has a problem" in n.summary)
    assert f"{path}:6: reset.every" in note.body
    path.write_text(broken)  # saving the same mistake again does not nag again
    time.sleep(0.8)
    assert len([n for n in desktop.notifications() if "config" in n.summary]) == 1
    assert app.running
    checked = subprocess.run([*MOVEBREAK, "config", "check"], env=app.env, capture_output=True,
                             text=True, timeout=30, check=False)
    assert checked.returncode == 1 and f"{path}:6: reset.every" in checked.stdout
    path.write_text(QUIET)  # fixed again: the app follows
    wait_until(lambda: json.loads(movebreak_cli(app, "next", "--json")) == before or None,
               5, "`movebreak next` to follow the fix")


def test_quit_exits_cleanly(launch, desktop, artifacts, gtk_tray):
    app, icon = start(launch, desktop, QUIET)
    open_menu(desktop, icon, artifacts, "quit-menu")
    choose(desktop, *QUIT)
    result = app.wait(timeout=10)
    assert result.exit_code == 0
    assert result.left_behind == []
    desktop.wait_for_no_icon(timeout=5)


def test_no_tray_mode_says_so_and_still_notifies(launch, desktop, artifacts):
    app = launch([*MOVEBREAK, "--no-tray"], config_text=config("2s"))
    wait_until(lambda: "running without a tray icon" in app.errors() or None, 10,
               "the no-tray line on stderr")
    desktop.wait_for_notification(lambda n: n.summary.startswith("2-minute reset"), timeout=8)
    assert not [icon for icon in desktop.tray_icons() if icon.viewable]


def test_before_the_app_is_ready_the_menu_says_so_and_quit_works(
    launch, desktop, artifacts, gtk_tray
):
    """The icon comes first; until the app behind it is built, its menu is honest."""
    desktop.move_mouse(5, 5, relative=True)
    app = launch([sys.executable, str(FIXTURES / "starting_tray.py")], name="starting")
    icon = desktop.wait_for_icon(timeout=10)
    icon_shows(desktop, Status.WAITING, artifacts, "starting")
    lines = read_menu(desktop, open_menu(desktop, icon, artifacts, "starting-menu"), artifacts)
    assert len(lines) == 2 and lines[0].startswith("movebreak is starting"), lines
    assert lines[1] == "Quit", lines
    choose(desktop, *QUIT)
    assert app.wait(timeout=10).exit_code == 0
    desktop.wait_for_no_icon(timeout=5)


def test_the_menuless_xorg_icon_takes_any_title(launch, desktop, artifacts):
    """The xorg backend stores the tooltip as latin-1: other text must not take it down."""
    desktop.move_mouse(5, 5, relative=True)
    text = QUIET + '[routines.reset]\ntitle = "Разминка"\n'
    app = launch([*MOVEBREAK, "-v"], env_extra={"PYSTRAY_BACKEND": "xorg"}, config_text=text)
    desktop.wait_for_icon(timeout=10)
    app.wait_for_log(READY, timeout=15)
    assert app.running
    assert "Traceback" not in app.errors() and "tray failed" not in app.errors()
    icon_shows(desktop, Status.WAITING, artifacts, "xorg-waiting")
    # GTK is installed here: the hint says to let the app choose, not to install PyGObject.
    assert "the xorg tray backend has no menu, though GTK 3 is installed" in app.errors()
    assert "install PyGObject" not in app.errors()


@pytest.mark.parametrize("delay", [0.05, 0.12, 0.2, 0.3, 0.5])
def test_a_sigterm_at_any_moment_of_the_start_ends_the_app(launch, desktop, gtk_tray, delay):
    """Before the icon, while it shows, while the app is built behind it: never stuck."""
    desktop.move_mouse(5, 5, relative=True)
    app = launch([*MOVEBREAK], env_extra={"PYSTRAY_BACKEND": ""}, config_text=QUIET)
    time.sleep(delay)
    app.popen.send_signal(signal.SIGTERM)
    # 0 once its handler is in; before that the default action ends it just as well.
    assert app.wait(timeout=10).exit_code in (0, -signal.SIGTERM), app.errors()
    desktop.wait_for_no_icon(timeout=5)
