"""The guided routine end to end: the timer window, its buttons, notification actions, history."""

from __future__ import annotations

import json
import subprocess
import time

import pytest
from harness import MOVEBREAK, colour_share, wait_until
from test_app import QUIET, config, open_menu, start

pytestmark = pytest.mark.desktop

WINDOW_BG = (0x1F, 0x29, 0x37)
START_RESET = ("Down",)


def today(app) -> dict:
    """Today's figures as ``movebreak stats --json`` reports them from the history."""
    done = subprocess.run([*MOVEBREAK, "stats", "--json", "--days", "1"], env=app.env,
                          capture_output=True, text=True, timeout=30, check=True)
    return json.loads(done.stdout)["days"][-1]


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


def test_timer_window_walks_through_and_done_records_it(launch, desktop, artifacts, gtk_tray):
    app, icon = start(launch, desktop, QUIET)
    open_menu(desktop, icon, artifacts, "menu")
    desktop.key(*START_RESET, "Return")
    window = timer_window(desktop, artifacts, "timer-window")
    assert window.width >= 300 and window.x + window.width > desktop.screen[0] - 100  # a corner
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
