"""The guided routine end to end: the timer window, its buttons, notification actions, history."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from harness import MOVEBREAK, timer_window, wait_until
from test_app import QUIET, START_RESET, config, open_menu, start

import movebreak

pytestmark = pytest.mark.desktop



def today(app) -> dict:
    """Today's figures as ``movebreak stats --json`` reports them from the history."""
    done = subprocess.run([*MOVEBREAK, "stats", "--json", "--days", "1"], env=app.env,
                          capture_output=True, text=True, timeout=30, check=True)
    return json.loads(done.stdout)["days"][-1]


def test_timer_window_walks_through_and_done_records_it(launch, desktop, artifacts, gtk_tray):
    app, icon = start(launch, desktop, QUIET)
    open_menu(desktop, icon, artifacts, "menu")
    desktop.key(*START_RESET, "Return")
    window = timer_window(desktop, artifacts, "timer-window")
    # a corner clear of the notifications: dunst here draws bottom right (its -config)
    assert window.width >= 300 and window.x < 100 and window.y + window.height > 500
    # the window is on top (Xvfb has no window manager, so check the property it asks for)
    state = subprocess.run(["xprop", "-id", str(window.window), "_NET_WM_STATE"],
                           env=desktop.env, capture_output=True, text=True, timeout=10).stdout
    assert "_NET_WM_STATE_ABOVE" in state
    desktop.click(window.x + window.width - 40, window.y + window.height - 22)  # Done
    wait_until(lambda: window.window not in {w.window for w in desktop.top_windows()} or None,
               8, "the window to show its done state and close itself")
    desktop.wait_for_notification(lambda n: n.summary == "Done: 2-minute reset")
    figures = today(app)
    assert figures["done"] == 1 and figures["prompted"] == 1


def test_snooze_picked_on_the_notification_brings_it_back(launch, desktop, artifacts, gtk_tray):
    app, icon = start(launch, desktop, config("2s") + 'snooze = "2s"\n')
    prompt = desktop.wait_for_notification(lambda n: n.summary.startswith("2-minute reset"),
                                           timeout=8)
    picked_at = time.monotonic()
    desktop.pick_action("snooze", prompt.id)
    again = desktop.wait_for_notification(
        lambda n: n.summary.startswith("2-minute reset") and n.received_at > picked_at + 1.0,
        timeout=6)
    assert again.received_at - picked_at < 3.5
    desktop.pick_action("skip", again.id)
    wait_until(lambda: today(app)["skipped"] >= 1 or None, 5, "the skip in the history")
    assert today(app)["snoozed"] == 0  # judged once, by its last outcome


# Two quick steps, both with pictures, and step notifications for it: a routine a test
# can walk in seconds.
QUICK = QUIET + """[guide]
window = {window}
step_notifications = ["quick"]
[routines.quick]
title = "Quick one"
summary = "Two short holds."
[[routines.quick.steps]]
name = "Wall pec stretch"
image = "wall-pec-stretch"
duration = "2s"
instruction = "Forearm on the wall; turn away."
[[routines.quick.steps]]
name = "Lunges"
image = "lunges"
duration = "2s"
instruction = "Step forward and lower the back knee."
"""


def overlap(a, b) -> int:
    w = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
    h = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
    return max(0, w) * max(0, h)


def test_the_window_opens_clear_of_notifications_and_none_repeats_it(
        launch, desktop, artifacts, gtk_tray):
    app, _icon = start(launch, desktop, QUICK.format(window="true"))
    subprocess.run([*MOVEBREAK, "start", "quick"], env=app.env, check=True, timeout=30)
    window = timer_window(desktop, artifacts, "quick-window")
    # another program's notification while the window is open: both must be readable
    subprocess.run(["notify-send", "Another program", "Says something"], env=desktop.env,
                   check=True, timeout=10)
    popup, shot = desktop.wait_for_popup()
    shot.save(artifacts / "window-and-notification.png")
    assert overlap(window, popup) == 0, (window, popup)
    assert window.x + window.width <= desktop.screen[0] and window.y >= 0  # on screen
    # the routine walks its two steps and ends; the window said it all
    desktop.wait_for_notification(lambda n: n.summary == "Done: Quick one", timeout=15)
    summaries = [n.summary for n in desktop.notifications()]
    assert not [s for s in summaries if s.startswith(("Started:", "Step ", "Switch sides"))], \
        summaries


def test_a_dragged_window_opens_there_again_and_stays_on_screen(
        launch, desktop, artifacts, gtk_tray):
    app, _icon = start(launch, desktop, QUICK.format(window="true"))
    memory = Path(app.env["XDG_DATA_HOME"]) / "movebreak" / "timer-window.json"
    subprocess.run([*MOVEBREAK, "start", "quick"], env=app.env, check=True, timeout=30)
    window = timer_window(desktop, artifacts, "before-drag")
    time.sleep(1.2)  # past the moment a window manager settles a new window
    # Xvfb has no window manager: move it the way one does when the user drags it
    x11 = desktop.x
    x11.create_resource_object("window", window.window).configure(x=600, y=80)
    x11.sync()
    saved = wait_until(lambda: (memory.exists() and json.loads(memory.read_text())) or None, 5,
                       "the dragged position to be saved")
    assert saved == {"x": 600, "y": 80}
    assert memory.stat().st_mode & 0o777 == 0o600
    desktop.wait_for_notification(lambda n: n.summary == "Done: Quick one", timeout=15)
    wait_until(lambda: window.window not in {w.window for w in desktop.top_windows()} or None,
               8, "the window to close")
    subprocess.run([*MOVEBREAK, "start", "quick"], env=app.env, check=True, timeout=30)
    again = timer_window(desktop, artifacts, "after-drag")
    assert (again.x, again.y) == (600, 80)
    wait_until(lambda: again.window not in {w.window for w in desktop.top_windows()} or None,
               15, "the second run to end and its window to close")
    # that monitor is gone: the saved place is off this screen, the window comes back on it
    memory.write_text(json.dumps({"x": 3000, "y": 2000}))
    subprocess.run([*MOVEBREAK, "start", "quick"], env=app.env, check=True, timeout=30)
    clamped = timer_window(desktop, artifacts, "after-unplug")
    width, height = desktop.screen
    assert clamped.x + clamped.width <= width and clamped.y + clamped.height <= height
    assert clamped.x >= width - clamped.width - 1 and clamped.y >= height - clamped.height - 1


def test_with_the_window_off_the_notifications_carry_it_with_pictures(
        launch, desktop, artifacts, gtk_tray):
    app, _icon = start(launch, desktop, QUICK.format(window="false"))
    subprocess.run([*MOVEBREAK, "start", "quick"], env=app.env, check=True, timeout=30)
    desktop.wait_for_notification(lambda n: n.summary.startswith("Started: Quick one"))
    step = desktop.wait_for_notification(lambda n: n.summary.startswith("Step 2 of 2"),
                                         timeout=10)
    assert step.hints["image-path"] == (
        (Path(movebreak.__file__).parent / "assets" / "exercises" / "96" / "lunges.png")
        .resolve().as_uri())
    _popup, shot = desktop.wait_for_popup()
    shot.save(artifacts / "step-notification.png")
    assert not [w for w in desktop.top_windows() if w.name == "movebreak"]
