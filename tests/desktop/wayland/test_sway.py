"""movebreak on sway 1.7 (wlroots), waybar's tray and mako: all real, all private.

The app runs as a sway user's would: pystray picks appindicator (waybar hosts the
StatusNotifier watcher), notifications go to mako, the timer window is Tk on
Xwayland, idle time and fullscreen come from sway's Wayland protocols, DND from
mako's modes. Tests observe the desktop: the watcher's items and the pixels in
waybar, the dbusmenu a host reads, what mako received, sway's window tree.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import MOVEBREAK, WINDOW_BG, AppHandle, DesktopTimeout, colour_share, wait_until
from PIL import Image
from sway import SCREEN, SwayDesktop
from test_app import ALL_DAY, QUIET, READY, config

from movebreak.core.state import Status
from movebreak.idle.wayland import WaylandIdleSource
from movebreak.quiet.base import QuietReason
from movebreak.quiet.detect import detect as detect_quiet
from movebreak.quiet.wayland import WaylandFullscreenProbe
from movebreak.tray.art import COLOURS

pytestmark = pytest.mark.desktop
Launch = Callable[..., AppHandle]  # the ``launch`` fixture

BAR_HEIGHT = 30
AWAY = (ALL_DAY + '[reset]\nevery = "1h"\n[morning]\nenabled = false\n'
        '[away]\nnatural_break = "3s"\noffer_reset_after = "5s"\n[prompts]\nlate_grace = "1s"\n')
TK_WINDOW = ("import sys, tkinter as tk; r = tk.Tk(); r.title(sys.argv[1]); "
             "r.configure(bg='black'); r.geometry('300x200'); "
             "r.createfilehandler(sys.stdin, tk.READABLE, lambda *a: r.destroy()); r.mainloop()")


TEXT = (0xF9, 0xFA, 0xFB)  # the timer window's text


def bounds(rect: dict) -> tuple[int, int, int, int]:
    return (rect["x"], rect["y"], rect["x"] + rect["width"], rect["y"] + rect["height"])


def start(launch: Launch, sway: SwayDesktop, text: str, name: str = "app"
          ) -> tuple[AppHandle, str]:
    """Start movebreak (choosing its own tray backend); wait for its tray item and menu."""
    app = launch([*MOVEBREAK, "-v"], env_extra={"PYSTRAY_BACKEND": ""}, config_text=text,
                 name=name)
    item = sway.wait_for_item(timeout=15)
    app.wait_for_log(READY, timeout=15)
    return app, item


def icon_shows(sway: SwayDesktop, status: Status, artifacts: Path, name: str
               ) -> Image.Image:
    """Wait until waybar's tray (right end of the bar) shows the icon in ``status``'s colour."""

    def painted() -> Image.Image | None:
        shot = sway.screenshot()
        tray = shot.crop((SCREEN[0] - 40, 0, SCREEN[0], BAR_HEIGHT))
        return shot if colour_share(tray, COLOURS[status], tolerance=12) >= 0.2 else None

    shot = wait_until(painted, 8, f"waybar's tray to show the icon as {status.value}")
    shot.save(artifacts / f"{name}.png")
    return shot


def stats_today(app: AppHandle) -> dict[str, Any]:
    done = subprocess.run([*MOVEBREAK, "stats", "--json", "--days", "1"], env=app.env,
                          capture_output=True, text=True, timeout=30, check=True)
    return json.loads(done.stdout)["days"][-1]


class TkWindow:
    """A Tk program (on Xwayland) showing one window; it closes when its stdin closes."""

    def __init__(self, sway: SwayDesktop, title: str) -> None:
        self.title = title
        self.process = subprocess.Popen(
            ["nsenter", "-t", str(sway.holder_pid), "-m", "-n", "--", sys.executable, "-c",
             TK_WINDOW, title], env=sway.env, stdin=subprocess.PIPE)
        self.node = wait_until(
            lambda: next((w for w in sway.windows() if w.get("name") == title), None), 10,
            lambda: f"the window {title!r} in sway's tree ({sway.windows()})")

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture
def tk_window(sway: SwayDesktop) -> Iterator[Callable[[str], TkWindow]]:
    opened: list[TkWindow] = []

    def open_window(title: str) -> TkWindow:
        opened.append(TkWindow(sway, title))
        return opened[-1]

    yield open_window
    for window in opened:
        if window.process.poll() is None:
            window.close()


# ---------------------------------------------------------------- tray, menu, timer


def test_icon_in_waybar_and_the_menu_starts_a_reset(
        launch: Launch, sway: SwayDesktop, artifacts: Path) -> None:
    app, item = start(launch, sway, QUIET)
    assert sway.tray_items() == [item]
    assert sway.item_property(item, "Status") == "Active"
    assert str(sway.item_property(item, "Title")).startswith("movebreak")
    icon_shows(sway, Status.WAITING, artifacts, "waiting")

    labels = sway.menu_labels(item)
    assert labels[0].startswith("Next: 2-minute reset at"), labels
    assert "Start a 2-minute reset now" in labels and labels[-1] == "Quit", labels
    sway.click_menu(item, "Start a 2-minute reset now")  # what waybar sends on a click

    timer = wait_until(
        lambda: next((w for w in sway.windows() if w.get("name") == "movebreak"), None), 10,
        lambda: f"the timer window in sway's tree ({[w.get('name') for w in sway.windows()]})")
    assert timer["shell"] == "xwayland" and timer["visible"]
    rect = timer["rect"]
    # The README's for_window rule (in this session's config) puts it top left, sticky:
    # clear of mako, which draws top right.
    assert timer["type"] == "floating_con" and timer["sticky"], timer
    assert abs(rect["x"] - 16) <= 8, rect
    assert rect["y"] < 120, rect  # below waybar (30 px) and its own title bar, 48 px down

    def painted() -> Image.Image | None:  # its background, and the step's text on it
        nonlocal timer
        timer = next((w for w in sway.windows() if w.get("name") == "movebreak"), timer)
        shot, box = sway.screenshot(), bounds(timer["rect"])
        text = colour_share(shot.crop(box), TEXT, 30)
        return shot if colour_share(shot.crop(box), WINDOW_BG, 6) > 0.5 and text > 0.01 else None

    # The window grows to fit the step's picture once it has its content: measure after.
    wait_until(painted, 8, "the timer window painted").save(artifacts / "timer-window.png")
    rect = timer["rect"]
    icon_shows(sway, Status.RUNNING, artifacts, "running")

    content = timer["window_rect"]  # the Tk window inside sway's border and title bar
    right = rect["x"] + content["x"] + content["width"]
    bottom = rect["y"] + content["y"] + content["height"]
    done = (right - 40, bottom - 22)  # the "Done" button
    button_box = (done[0] - 25, done[1] - 8, done[0] + 25, done[1] + 8)
    before = sway.screenshot().crop(button_box).convert("RGB").getcolors(4096)
    sway.move_pointer(*done)  # a virtual pointer through sway; Tk highlights the button
    wait_until(lambda: sway.screenshot().crop(button_box).convert("RGB").getcolors(4096)
               != before or None, 5, "the Done button to show the pointer over it")
    sway.click(*done)
    wait_until(lambda: not [w for w in sway.windows() if w.get("name") == "movebreak"] or None,
               8, "the timer window to show its done state and close")
    sway.wait_for_notification(summary="Done: 2-minute reset", timeout=5)
    figures = stats_today(app)
    assert figures["done"] == 1, figures
    assert app.running


def test_quit_from_the_menu_ends_the_app_and_empties_the_tray(
        launch: Launch, sway: SwayDesktop, artifacts: Path) -> None:
    app, item = start(launch, sway, QUIET)
    sway.click_menu(item, "Quit")
    result = app.wait(timeout=10)
    assert result.exit_code == 0 and result.left_behind == []
    sway.wait_for_no_item(timeout=5)


# ---------------------------------------------------------------- idle (org_kde_kwin_idle)


def test_idle_grows_and_a_key_through_the_compositor_resets_it(sway: SwayDesktop) -> None:
    source = WaylandIdleSource(sway.env, timeout_ms=500)
    try:
        assert source.name == "wayland-org_kde_kwin_idle"  # sway 1.7 has no ext-idle-notify
        wait_until(lambda: source.idle_seconds() >= 1.5 or None, 10, "1.5 idle seconds")
        assert source.wait_for_activity(0.2) is False  # idle: nothing to wake it
        woke: list[float] = []
        waiter = threading.Thread(
            target=lambda: woke.append(time.monotonic()) if source.wait_for_activity(10) else None)
        waiter.start()
        pressed = time.monotonic()
        sway.type_key("Shift_L")
        waiter.join(timeout=11)
        assert woke and woke[0] - pressed < 1.0, "resumed came late or never"
        assert source.idle_seconds() == 0.0
        again = time.monotonic()
        wait_until(lambda: source.idle_seconds() >= 0.5 or None, 5, "idle again")
        assert time.monotonic() - again >= 0.45  # counted from the key, not from before it
    finally:
        source.close()


def test_away_and_back_are_noticed_by_the_app(
        launch: Launch, sway: SwayDesktop, artifacts: Path) -> None:
    sway.type_key("Shift_L")  # the user is at the desk when the app starts
    app, item = start(launch, sway, AWAY)
    assert "idle time from wayland-org_kde_kwin_idle" in app.errors()
    app.wait_for_log("presence: away", timeout=15)
    assert not [n for n in sway.notifications() if n.summary.startswith("2-minute reset")]
    back = time.monotonic()
    sway.type_key("Shift_L")
    app.wait_for_log("presence: back", timeout=5)
    note = sway.wait_for_notification(summary="2-minute reset", timeout=10)
    assert note.received_at - back < 3  # the compositor reports the return at once
    icon_shows(sway, Status.DUE, artifacts, "welcome-back")


# ---------------------------------------------------------------- fullscreen (foreign toplevel)


def test_fullscreen_through_sway_is_seen_by_the_probe(
        sway: SwayDesktop, tk_window: Callable[[str], TkWindow]) -> None:
    detector = detect_quiet(sway.env)
    probe = WaylandFullscreenProbe(sway.env)
    try:
        assert {"wayland-fullscreen", "mako-mode"} <= set(detector.probe_names)
        video = tk_window("mb-video")
        assert probe.reason() is None and detector.quiet_reason() is None
        sway.swaymsg(f'[title="{video.title}"]', "fullscreen", "enable")
        wait_until(lambda: probe.reason() is QuietReason.FULLSCREEN or None, 5,
                   "the probe to see the fullscreen window")
        # The detector's probe has a connection of its own: its event may come a little later.
        wait_until(lambda: detector.quiet_reason() is QuietReason.FULLSCREEN or None, 5,
                   "the detector to see the fullscreen window")
        sway.swaymsg(f'[title="{video.title}"]', "fullscreen", "disable")
        wait_until(lambda: probe.reason() is None or None, 5, "fullscreen to end")
        sway.swaymsg(f'[title="{video.title}"]', "fullscreen", "enable")
        wait_until(lambda: probe.reason() is QuietReason.FULLSCREEN or None, 5, "again")
        video.close()  # closed while fullscreen: the handle goes, and the hold with it
        wait_until(lambda: probe.reason() is None or None, 5, "the closed window to be dropped")
        assert detector.quiet_reason() is None
    finally:
        probe.close()
        detector.close()


# ---------------------------------------------------------------- mako's do-not-disturb mode


def test_mako_dnd_mode_holds_the_prompt_then_it_comes_once(
        launch: Launch, sway: SwayDesktop, artifacts: Path) -> None:
    sway.set_modes(["default", "do-not-disturb"])
    sway.type_key("Shift_L")
    app, item = start(launch, sway, config("3s"))
    assert "mako-mode" in app.errors()  # "prompts are held for: ..., mako-mode"
    icon_shows(sway, Status.HELD, artifacts, "held")
    assert "Held: do not disturb" in str(sway.item_property(item, "Title"))
    with pytest.raises(DesktopTimeout):  # two reset intervals pass without a prompt
        sway.wait_for_notification(summary="2-minute reset", timeout=6.5)
    sway.set_modes(["default"])
    off = time.monotonic()
    note = sway.wait_for_notification(summary="2-minute reset", timeout=30)  # next look <= 20 s
    assert note.received_at > off
    # Released once: the slots that fell due while held are merged into this one prompt
    # (a replay would follow within milliseconds). With resets every 3 s the next regular
    # one may come 3 s after the last held slot, so look only just after the release.
    time.sleep(0.5)
    soon = [n for n in sway.notifications()
            if n.summary.startswith("2-minute reset")  # a new one, or one replaced
            and 0 < n.received_at - note.received_at < 0.5]
    assert soon == [], soon
    assert "event missed reset (merged into reset)" in app.errors()
