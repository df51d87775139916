"""The tray's pure parts: its words, its art per state, and the backend choice."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PIL import Image

from movebreak.config.loader import default_config
from movebreak.core.engine import Engine
from movebreak.core.state import Status, TimetableState
from movebreak.core.view import tray_view
from movebreak.tray import frames
from movebreak.tray.art import COLOURS, draw_icon
from movebreak.tray.backend import choose_backend
from movebreak.tray.icon import latin1_title
from tests.conftest import BERLIN, at


def test_headline_names_what_is_next_and_when():
    engine = Engine(default_config(), BERLIN)
    state, _ = engine.advance(TimetableState(), at("2026-11-30 10:00"))
    view = tray_view(engine, state, at("2026-11-30 10:00"))
    assert view.headline == "Next: 2-minute reset at 10:50"
    friday, _ = engine.advance(TimetableState(), at("2026-11-27 17:45"))
    assert tray_view(engine, friday, at("2026-11-27 17:45")).headline == (
        "Next: Morning routine at Mon 09:00")


def test_each_state_draws_differently_at_every_size():
    for size in (16, 22, 32, 48, 64):
        images = {status: draw_icon(status, size, 0.5) for status in Status}
        assert all(im.size == (size, size) for im in images.values())
        assert len({im.tobytes() for im in images.values()}) == len(Status)
    # the body of the waiting icon carries the waiting colour
    big = draw_icon(Status.WAITING, 64)
    assert big.getpixel((14, 32))[:3] == COLOURS[Status.WAITING]


def _white(image) -> int:
    rgb = image.convert("RGB")
    return sum(1 for x in range(64) for y in range(64) if rgb.getpixel((x, y)) == (255, 255, 255))


def test_running_ring_grows_with_progress():
    assert _white(draw_icon(Status.RUNNING, 64, 0.5)) > _white(draw_icon(Status.RUNNING, 64, 0.0))


def _differs(a, b) -> int:
    return max(abs(x - y) for x, y in zip(a.tobytes(), b.tobytes(), strict=True))


def test_every_frame_of_the_strip_is_what_art_draws(caplog):
    """What the tray shows, cut from the packaged strip, is the design at that state and step."""
    frames._warn_once.cache_clear()
    for status, step in frames.FRAMES:
        drawn = draw_icon(status, 64, None if step is None else step / frames.PROGRESS_STEPS)
        shown = frames.load_frame((status, step))
        assert shown.size == (64, 64) and shown.mode == "RGBA"
        # lossless PNG of the same drawing: only another Pillow could move a pixel slightly
        assert _differs(shown, drawn) <= 2, (status, step)
    assert "could not be read" not in caplog.text  # cut from the strip, not drawn instead


def test_frames_follow_state_and_ring_step():
    assert frames.frame_of(Status.WAITING, 0.7) == (Status.WAITING, None)
    assert frames.frame_of(Status.RUNNING, None) == (Status.RUNNING, None)
    assert frames.frame_of(Status.RUNNING, 0.5) == (Status.RUNNING, 6)
    assert frames.frame_of(Status.RUNNING, 1.7) == (Status.RUNNING, 12)
    assert frames.frame_of(Status.RUNNING, -0.2) == (Status.RUNNING, 0)
    assert len(set(frames.FRAMES)) == len(frames.FRAMES) == len(Status) + 13


def test_a_strip_of_another_layout_is_not_cut_but_drawn(monkeypatch, caplog, tmp_path):
    """A stale strip (a state added to the art, make_icons not run) would show blank frames."""
    stale = tmp_path / "stale.png"
    Image.new("RGBA", (64 * 5, 64), (0, 0, 0, 0)).save(stale)
    monkeypatch.setattr(frames, "_open_strip", lambda: stale.open("rb"))
    frames._warn_once.cache_clear()
    shown = frames.load_frame((Status.PAUSED, None))
    assert _differs(shown, draw_icon(Status.PAUSED, 64)) == 0
    assert f"is (320, 64), not ({64 * len(frames.FRAMES)}, 64)" in caplog.text


def test_a_missing_strip_is_logged_once_and_the_frame_drawn(monkeypatch, caplog):
    def missing():
        raise FileNotFoundError("tray-frames.png")

    monkeypatch.setattr(frames, "_open_strip", missing)
    frames._warn_once.cache_clear()
    first = frames.load_frame((Status.DUE, None))
    frames.load_frame((Status.DUE, None))
    assert _differs(first, draw_icon(Status.DUE, 64)) == 0
    warnings = [r for r in caplog.records if "could not be read" in r.getMessage()]
    assert len(warnings) == 1


@pytest.mark.parametrize("module", ["movebreak.tray.icon", "movebreak.app.launch"])
def test_the_tray_does_not_load_pillows_font_machinery(module):
    """ImageDraw imports ImageFont and maps FreeType: 1.7 MB the tray never needs."""
    code = (f"import sys, {module}; from movebreak.tray.frames import load_frame, FRAMES; "
            "[load_frame(f) for f in FRAMES]; "
            "print(sorted(m for m in sys.modules if m in ('PIL.ImageDraw', 'PIL.ImageFont')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_backend_choice_without_display_or_when_forced():
    assert choose_backend({}, want_tray=True).backend is None
    assert "no display" in choose_backend({}, want_tray=True).reason
    assert choose_backend({"PYSTRAY_BACKEND": "xorg"}).backend == "xorg"
    assert choose_backend({"DISPLAY": ":1"}, want_tray=False).backend is None


def test_a_forced_xembed_backend_without_an_xembed_tray_runs_without_a_tray(monkeypatch):
    """The probes stand in for the session; test_gnome shows the same on real GNOME."""
    from movebreak.tray import backend

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(backend, "_xembed_tray_present", lambda: False)
    monkeypatch.setattr(backend, "_bus_has_owner", lambda name: False)
    env = {"PYSTRAY_BACKEND": "gtk", "DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}
    choice = choose_backend(env)
    assert choice.backend is None
    assert "no XEmbed system tray" in choice.reason
    assert "gnome-shell-extension-appindicator" in choice.reason
    assert "Ubuntu AppIndicators" in choice.reason
    monkeypatch.setattr(backend, "_bus_has_owner", lambda name: True)
    assert "unset PYSTRAY_BACKEND to use it" in choose_backend(env).reason
    assert choose_backend({**env, "PYSTRAY_BACKEND": "appindicator"}).backend == "appindicator"


def test_gtk_in_a_wayland_session_runs_on_x11_where_the_xembed_tray_is(monkeypatch):
    from movebreak.tray import backend

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(backend, "_xembed_tray_present", lambda: True)
    wayland = {"PYSTRAY_BACKEND": "gtk", "DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}
    choice = choose_backend(wayland)
    assert (choice.backend, choice.gdk_backend) == ("gtk", "x11")
    assert "GTK on X11" in choice.reason
    assert choose_backend({**wayland, "GDK_BACKEND": "x11"}).gdk_backend is None
    x11_only = {"PYSTRAY_BACKEND": "gtk", "DISPLAY": ":0"}
    assert choose_backend(x11_only) == backend.TrayChoice("gtk", "PYSTRAY_BACKEND=gtk")


def test_titles_for_the_xorg_backend_fit_in_latin1():
    """python-xlib sets WM_NAME as latin-1: an ellipsis or Cyrillic would raise there."""
    assert latin1_title("movebreak is starting…") == "movebreak is starting..."
    assert latin1_title("movebreak · Next: Разминка at 10:50") == (
        "movebreak · Next: ???????? at 10:50")
    assert latin1_title("Étirement du matin") == "Étirement du matin"
