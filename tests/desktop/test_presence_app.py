"""Away time and presentations, with the X server's own idle counter and a real window."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from harness import DesktopTimeout, wait_until
from test_app import ALL_DAY, icon_shows, start

from movebreak.core.state import Status

pytestmark = pytest.mark.desktop

AWAY = (ALL_DAY + '[reset]\nevery = "2s"\n[morning]\nenabled = false\n'
        '[away]\nnatural_break = "3s"\noffer_reset_after = "5s"\n[prompts]\nlate_grace = "1s"\n')


def test_nothing_fires_while_away_and_coming_back_offers_a_reset(launch, desktop, artifacts,
                                                                 gtk_tray):
    app, icon = start(launch, desktop, AWAY.replace('every = "2s"', 'every = "1h"'))
    wait_until(lambda: desktop.idle_ms() > 9000 or None, 12, "nine idle seconds")
    assert not [n for n in desktop.notifications() if n.summary.startswith("2-minute reset")]
    back = time.monotonic()
    desktop.key("shift")  # the user is back (a key: raw input, as a real keyboard sends)
    note = desktop.wait_for_notification(lambda n: n.summary.startswith("2-minute reset"),
                                         timeout=30)
    assert note.received_at - back < 3  # the desktop reports the return at once
    icon_shows(desktop, Status.DUE, artifacts, "welcome-back")


def test_a_fullscreen_window_holds_prompts_until_it_closes(launch, desktop, artifacts, gtk_tray):
    config = AWAY.replace('natural_break = "3s"', 'natural_break = "10m"')
    app, icon = start(launch, desktop, config)
    first = desktop.wait_for_notification(lambda n: n.summary.startswith("2-minute reset"),
                                          timeout=8)
    desktop.pick_action("skip", first.id)
    # a presentation: a fullscreen Tk window, made the active one as a window manager would
    script = ("import tkinter as tk; r = tk.Tk(); r.attributes('-fullscreen', True); "
              "r.title('slides'); r.configure(bg='black'); r.mainloop()")
    slides = subprocess.Popen([sys.executable, "-c", script], env=desktop.env)
    try:
        window = wait_until(lambda: next((w for w in desktop.top_windows()
                                          if w.name == "slides"), None), 8, "the slides")
        desktop.xdotool("set_window", "--name", "slides", str(window.window))
        root = desktop.x.screen().root
        active = desktop.x.intern_atom("_NET_ACTIVE_WINDOW")
        from Xlib import X
        root.change_property(active, desktop.x.intern_atom("WINDOW"), 32, [window.window],
                             X.PropModeReplace)
        desktop.x.flush()
        icon_shows(desktop, Status.HELD, artifacts, "held")
        held_from = time.monotonic()
        with pytest.raises(DesktopTimeout):
            desktop.wait_for_notification(lambda n: n.received_at > held_from, timeout=5)
    finally:
        slides.terminate()
        slides.wait(timeout=5)
    after = time.monotonic()
    # the end of the quiet is noticed at the next look: at most a minute (QUIET_WATCH)
    note = desktop.wait_for_notification(lambda n: n.received_at > after, timeout=70)
    assert note.summary.startswith("2-minute reset")  # right after, once
