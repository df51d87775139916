"""movebreak on KDE Plasma 5.27 (Wayland): KWin, plasmashell's tray and notifications.

The app runs as a Plasma user's would: pystray picks appindicator (plasmashell's
system tray hosts the StatusNotifier watcher), notifications go to plasmashell's own
server, the timer window is Tk on Xwayland, idle time comes from KWin's Wayland idle
protocol, DND from the server's ``Inhibited`` property. Tests observe the desktop:
the watcher's items and KWin's pixels, the dbusmenu a host reads, what the server
received, KWin's client list (a KWin script). Input is real: KWin's fake-input
protocol goes through the same input stack as a keyboard.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from harness import MOVEBREAK, WINDOW_BG, DesktopTimeout, colour_share, wait_until
from kde import KdeDesktop
from session import SCREEN
from test_app import ALL_DAY, QUIET, READY, config

from movebreak.core.state import Status
from movebreak.quiet.base import QuietReason
from movebreak.quiet.detect import detect as detect_quiet
from movebreak.tray.art import COLOURS

pytestmark = pytest.mark.desktop
STACK = "kde"

PANEL_HEIGHT = 44  # Plasma's default bottom panel
TRAY_BOX = (SCREEN[0] - 300, SCREEN[1] - PANEL_HEIGHT, SCREEN[0] - 120, SCREEN[1])
BUTTONS = ["start", "snooze", "skip", "default"]
AWAY = (ALL_DAY + '[reset]\nevery = "1h"\n[morning]\nenabled = false\n'
        '[away]\nnatural_break = "3s"\noffer_reset_after = "5s"\n[prompts]\nlate_grace = "1s"\n')


def start(launch, kde: KdeDesktop, text: str, name: str = "app"):
    """Start movebreak (choosing its own tray backend); wait for its tray item and menu."""
    app = launch([*MOVEBREAK, "-v"], env_extra={"PYSTRAY_BACKEND": ""}, config_text=text,
                 name=name)
    item = kde.wait_for_item(timeout=20)
    app.wait_for_log(READY, timeout=20)
    return app, item


def icon_shows(kde: KdeDesktop, status: Status, artifacts, name: str):
    """Wait until Plasma's system tray (right of the panel) shows the icon in that colour."""

    def painted():
        shot = kde.screenshot()
        share = colour_share(shot.crop(TRAY_BOX), COLOURS[status], tolerance=14)
        return shot if share >= 0.01 else None  # a 22 px icon in a 180x44 box: about 4 %

    shot = wait_until(painted, 10, f"Plasma's tray to show the icon as {status.value}")
    shot.save(artifacts / f"{name}.png")
    return shot


# ---------------------------------------------------------------- tray, menu, timer


def test_icon_in_plasmas_tray_and_the_menu_starts_a_reset(launch, kde, artifacts):
    app, item = start(launch, kde, QUIET)
    assert kde.tray_items() == [item]
    assert kde.item_property(item, "Status") == "Active"
    assert str(kde.item_property(item, "Title")).startswith("movebreak")
    icon_shows(kde, Status.WAITING, artifacts, "waiting")

    labels = kde.menu_labels(item)
    assert labels[0].startswith("Next: 2-minute reset at"), labels
    assert "Start a 2-minute reset now" in labels and labels[-1] == "Quit", labels
    kde.click_menu(item, "Start a 2-minute reset now")  # what Plasma's tray sends on a click

    timer = wait_until(
        lambda: next((w for w in kde.windows() if w["caption"] == "movebreak"), None), 10,
        "the timer window among KWin's clients")
    assert timer["x11"] and timer["resourceClass"] == "movebreak-timer"  # Tk on Xwayland
    box = (timer["x"], timer["y"], timer["x"] + timer["width"], timer["y"] + timer["height"])

    def painted():
        shot = kde.screenshot()
        return shot if colour_share(shot.crop(box), WINDOW_BG, 6) > 0.5 else None

    wait_until(painted, 10, "the timer window painted").save(artifacts / "timer-window.png")
    icon_shows(kde, Status.RUNNING, artifacts, "running")
    assert app.running


def test_quit_from_the_menu_ends_the_app_and_empties_the_tray(launch, kde):
    app, item = start(launch, kde, QUIET)
    kde.click_menu(item, "Quit")
    result = app.wait(timeout=10)
    assert result.exit_code == 0 and result.left_behind == []
    kde.wait_for_no_item(timeout=5)


# ---------------------------------------------------------------- prompts with buttons


def test_a_prompt_reaches_plasma_with_its_buttons(launch, kde):
    app, item = start(launch, kde, config("3s"))
    capabilities = app.wait_for_log("notifications over D-Bus; server capabilities", 10)
    assert "actions" in capabilities and "inhibitions" in capabilities, capabilities
    prompt = kde.wait_for_notification(summary="2-minute reset", timeout=15)
    assert list(prompt.actions) == BUTTONS, prompt
    assert kde.sender_pid(prompt.sender) == app.pid  # the app's own call, not notify-send
    assert "notifications through dbus failed" not in app.errors()
    assert not kde.monitor.errors, kde.monitor.errors  # plasmashell accepted the call


# ---------------------------------------------------------------- Plasma's do-not-disturb


def test_plasma_dnd_holds_the_prompt_then_it_comes_once(launch, kde, artifacts):
    cookie = kde.inhibit("a meeting")
    assert kde.inhibited()
    kde.press_key()
    app, item = start(launch, kde, config("3s"))
    assert "notifications-inhibited" in app.errors()  # "prompts are held for: ..."
    watched = app.wait_for_log("quiet signals reported as they change:", 5)
    assert "notifications-inhibited" in watched and "kwin-fullscreen" in watched, watched
    icon_shows(kde, Status.HELD, artifacts, "held")
    assert "Held: do not disturb" in str(kde.item_property(item, "Title"))
    with pytest.raises(DesktopTimeout):  # two reset intervals pass without a prompt
        kde.wait_for_notification(summary="2-minute reset", timeout=6.5)
    kde.uninhibit(cookie)
    assert not kde.inhibited()
    off = time.monotonic()
    # Plasma signals the change and the app looks at once (its planned look is 60 s away).
    note = kde.wait_for_notification(summary="2-minute reset", timeout=10)
    assert 0 < note.received_at - off < 5
    # Released once: the held slots are merged into this prompt (a replay would follow
    # within milliseconds); the next regular reset may come 3 s after the last held slot.
    time.sleep(0.5)
    soon = [n for n in kde.notifications() if n.summary.startswith("2-minute reset")
            and n.received_at < note.received_at + 0.5]
    assert [n.id for n in soon] == [note.id]
    assert "(merged into reset)" in app.errors()


# ---------------------------------------------------------------- idle (KWin's protocols)


def test_idle_grows_and_a_key_through_kwin_resets_it(kde):
    from movebreak.idle.wayland import WaylandIdleSource  # here: older code lacks it

    source = WaylandIdleSource(kde.env, timeout_ms=500)
    try:
        assert source.name == "wayland-ext_idle_notifier_v1"  # KWin 5.27 has both protocols
        wait_until(lambda: source.idle_seconds() >= 1.5 or None, 10, "1.5 idle seconds")
        assert source.wait_for_activity(0.2) is False  # idle: nothing to wake it
        woke: list[float] = []
        waiter = threading.Thread(
            target=lambda: woke.append(time.monotonic()) if source.wait_for_activity(10) else None)
        waiter.start()
        pressed = time.monotonic()
        kde.press_key()  # org_kde_kwin_fake_input: KWin's own input stack
        waiter.join(timeout=11)
        assert woke and woke[0] - pressed < 1.0, "resumed came late or never"
        assert source.idle_seconds() == 0.0
        again = time.monotonic()
        wait_until(lambda: source.idle_seconds() >= 0.5 or None, 5, "idle again")
        assert time.monotonic() - again >= 0.45  # counted from the key, not from before it
    finally:
        source.close()


def test_away_and_back_are_noticed_by_the_app(launch, kde, artifacts):
    kde.press_key()  # the user is at the desk when the app starts, then leaves
    left = time.monotonic()
    app, item = start(launch, kde, AWAY)
    assert "idle time from wayland-ext_idle_notifier_v1" in app.errors()
    app.wait_for_log("presence: away", timeout=15)
    assert not [n for n in kde.notifications() if n.summary.startswith("2-minute reset")]
    # Away clearly longer than offer_reset_after (5 s): "away" is logged from about 5 s
    # on, and a return at 4.99 s rightly gets no welcome-back prompt (seen once).
    time.sleep(max(0.0, left + 6.5 - time.monotonic()))
    back = time.monotonic()
    kde.move_pointer(400, 300)
    app.wait_for_log("presence: back", timeout=5)
    note = kde.wait_for_notification(summary="2-minute reset", timeout=10)
    assert note.received_at - back < 3  # KWin reports the return at once
    icon_shows(kde, Status.DUE, artifacts, "welcome-back")


# ---------------------------------------------------------------- fullscreen (a KWin script)

TK_WINDOW = (
    "import sys, tkinter as tk\n"
    "r = tk.Tk(); r.title(sys.argv[1]); r.configure(bg='black'); r.geometry('300x200')\n"
    "def command(*_):\n"
    "    line = sys.stdin.readline().strip()\n"
    "    if line in ('', 'quit'): r.destroy()\n"
    "    else: r.attributes('-fullscreen', line == 'full')\n"
    "r.createfilehandler(sys.stdin, tk.READABLE, command); r.mainloop()\n")


class TkWindow:
    """A Tk program (on Xwayland) with one window; stdin lines ``full``/``window``/``quit``."""

    def __init__(self, kde: KdeDesktop, title: str) -> None:
        self.kde = kde
        self.title = title
        self.process = subprocess.Popen(
            kde.in_ns([sys.executable, "-c", TK_WINDOW, title]), env=kde.env,
            stdin=subprocess.PIPE, text=True)
        self.client = wait_until(self.find, 10, f"the window {title!r} among KWin's clients")

    def find(self) -> dict | None:
        return next((w for w in self.kde.windows() if w["caption"] == self.title), None)

    def fullscreen(self, on: bool) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("full\n" if on else "window\n")
        self.process.stdin.flush()
        wait_until(lambda: (w := self.find()) is not None and w["fullScreen"] is on, 10,
                   f"KWin to make {self.title!r} {'fullscreen' if on else 'a window'}")

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=10)


def test_fullscreen_through_kwin_is_seen_by_the_probe(kde):
    from movebreak.quiet.kwin import KWinFullscreenProbe  # here: older code lacks it

    detector = detect_quiet(kde.env)
    probe = KWinFullscreenProbe(kde.env)
    video = None
    try:
        assert "kwin-fullscreen" in detector.probe_names, detector.probe_names
        assert "wayland-fullscreen" not in detector.probe_names  # KWin has no wlr toplevels
        video = TkWindow(kde, "mb-video")
        assert probe.reason() is None and detector.quiet_reason() is None
        video.fullscreen(True)  # _NET_WM_STATE_FULLSCREEN through Xwayland, as a player does
        wait_until(lambda: probe.reason() is QuietReason.FULLSCREEN or None, 5,
                   "the probe to see the fullscreen window")
        assert detector.quiet_reason() is QuietReason.FULLSCREEN
        video.fullscreen(False)
        wait_until(lambda: probe.reason() is None or None, 5, "fullscreen to end")
        video.fullscreen(True)
        wait_until(lambda: probe.reason() is QuietReason.FULLSCREEN or None, 5, "again")
        video.close()  # closed while fullscreen: the hold goes with it
        wait_until(lambda: probe.reason() is None or None, 5, "the closed window to be dropped")
        assert detector.quiet_reason() is None
    finally:
        if video is not None:
            video.close()
        probe.close()
        detector.close()
    assert not [line for line in kde.log_tail_full("kwin").splitlines()
                if "movebreak-kwin-" in line and "error" in line.lower()]


def test_a_fullscreen_window_holds_the_prompt_until_it_leaves_fullscreen(launch, kde, artifacts):
    kde.press_key()
    video = TkWindow(kde, "mb-film")
    try:
        video.fullscreen(True)
        app, item = start(launch, kde, config("3s"))
        assert "kwin-fullscreen" in app.wait_for_log("prompts are held for:", 5)
        wait_until(lambda: "Held: a fullscreen window" in str(
            kde.item_property(item, "Title")) or None, 5, "the tray to say why prompts wait")
        with pytest.raises(DesktopTimeout):  # two reset intervals pass without a prompt
            kde.wait_for_notification(summary="2-minute reset", timeout=6.5)
        ended = time.monotonic()
        video.fullscreen(False)  # KWin's script reports it; the app looks at once
        note = kde.wait_for_notification(summary="2-minute reset", timeout=10)
        assert 0 < note.received_at - ended < 5
        icon_shows(kde, Status.DUE, artifacts, "after-fullscreen")
    finally:
        video.close()
