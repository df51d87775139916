"""The user's language end to end: movebreak started in German, read as a person reads it.

The tray menu and the timer window are read from their pixels by OCR (tesseract with
its German data), the notifications as the notification server received them. The
screenshots stay in the test's artifacts, to look at what German's longer words do to
the window's buttons and the menu.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from harness import MOVEBREAK, wait_until
from PIL import Image, ImageOps
from test_app import READY, config, open_menu
from test_guided import timer_window

pytestmark = pytest.mark.desktop
GERMAN = {"LANG": "de_DE.UTF-8", "LANGUAGE": "de", "LC_ALL": "", "LC_MESSAGES": "",
          "LC_TIME": ""}


def ocr(image: Image.Image, path: Path, *, dark: bool = False, psm: int = 6) -> str:
    """The text in ``image`` as tesseract reads it in German (saved to ``path`` first)."""
    if shutil.which("tesseract") is None or "deu" not in subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True, check=False
    ).stdout.split():
        message = "reading German needs tesseract-ocr-deu (packaging/system-packages.txt)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    grey = image.convert("L")
    if dark:  # light text on the window's dark background: make it black on white
        grey = ImageOps.invert(grey)
    grey = grey.resize((grey.width * 4, grey.height * 4), Image.Resampling.LANCZOS)
    cut = 160 if dark else 200  # grey (disabled) menu items are text too
    grey = grey.point(lambda v: 0 if v < cut else 255)
    grey.save(path)
    done = subprocess.run(["tesseract", str(path), "stdout", "-l", "deu", "--psm", str(psm)],
                          capture_output=True, text=True, timeout=60, check=True)
    return " ".join(done.stdout.split())


def buttons(window: Image.Image, stem: Path) -> list[str]:
    """The five buttons' labels, each read inside its own button (so a cut one shows)."""
    width = (window.width - 16) / 5  # the bar: 8 px padding, five equal buttons
    labels = []
    for n in range(5):
        left = round(8 + n * width)
        box = (left + 2, window.height - 36, round(left + width) - 2, window.height - 12)
        text = ocr(window.crop(box), stem.with_name(f"{stem.name}-{n}.png"), psm=7)
        labels.append(text.strip(" |[]()"))  # a button's border reads as a bar
    return labels


def test_german_menu_notifications_and_timer_window(launch, desktop, artifacts, gtk_tray):
    desktop.move_mouse(5, 5, relative=True)
    app = launch([*MOVEBREAK, "-v"], env_extra={"PYSTRAY_BACKEND": "", **GERMAN},
                 config_text=config("3s"))
    icon = desktop.wait_for_icon(timeout=10)
    app.wait_for_log(READY, timeout=15)

    # The prompt as the notification server received it: title, steps, buttons.
    prompt = desktop.wait_for_notification(
        lambda n: n.summary.startswith("2-Minuten-Auflockerung"), timeout=10)
    assert prompt.summary == "2-Minuten-Auflockerung · 2 Min.", prompt.summary
    assert "Band auseinanderziehen (10–15 Wiederholungen): Halte ein Band auf Schulterhöhe" \
        in prompt.body, prompt.body
    assert "Brustdehnung an der Wand (30–45 s pro Seite)" in prompt.body, prompt.body
    buttons_sent = [prompt.actions[key] for key in ("start", "snooze", "skip")]
    assert buttons_sent == ["Starten", "10 Min. später", "Auslassen"], prompt.actions

    # The tray menu, read from its pixels, says the prompt is due. The prompt's popup is
    # drawn first, so the menu is the only window that opens with the click.
    wait_until(lambda: desktop.displayed_count() >= 1 or None, 5, "dunst to show the prompt")
    time.sleep(0.5)
    menu = open_menu(desktop, icon, artifacts, "menu-de")
    text = ocr(desktop.crop_icon(desktop.screenshot(), menu), artifacts / "menu-de-ocr.png")
    assert "Jetzt fällig: 2-Minuten-Auflockerung" in text, text
    assert "Heute: 0 von 1 Auflockerung" in text, text
    for label in ("2-Minuten-Auflockerung jetzt starten", "Morgenroutine jetzt starten",
                  "Später", "Diesmal auslassen", "Erledigt", "Pause", "Fortsetzen",
                  "Bei der Anmeldung starten", "Konfigurationsdatei öffnen", "Beenden"):
        assert label in text, (label, text)
    desktop.key("Escape")

    # Start from the notification: the timer window, read from its pixels.
    desktop.pick_action("start", prompt.id)
    window = timer_window(desktop, artifacts, "timer-window-de")
    shot = desktop.crop_icon(desktop.screenshot(), window)
    upper = ocr(shot.crop((0, 0, shot.width, shot.height - 44)),
                artifacts / "timer-window-de-ocr.png", dark=True)
    assert "Band auseinanderziehen" in upper, upper
    assert "Wiederholungen" in upper and "Schritt 1 von 2" in upper, upper
    assert "Schulterhöhe" in upper, upper
    labels = buttons(shot, artifacts / "timer-window-de-button")
    assert labels == ["Pause", "Weiter", "Später", "Auslassen", "Erledigt"]  # none cut off

    desktop.click(window.x + window.width // 10, window.y + window.height - 22)  # Pause

    def paused():
        shot = desktop.crop_icon(desktop.screenshot(), window)
        shot.save(artifacts / "timer-window-de-paused.png")
        first = buttons(shot, artifacts / "timer-window-de-paused-button")[0]
        return (shot, first) if first == "Fortsetzen" else None

    shot, _ = wait_until(paused, 5, "the Pause button to say Fortsetzen, whole")
    assert "pausiert" in ocr(shot.crop((0, 0, shot.width, shot.height - 44)),
                             artifacts / "timer-window-de-paused-ocr.png", dark=True)

    desktop.click(window.x + window.width - 40, window.y + window.height - 22)  # Erledigt
    done = desktop.wait_for_notification(lambda n: n.summary.startswith("Geschafft"), timeout=8)
    assert (done.summary, done.body) == (
        "Geschafft: 2-Minuten-Auflockerung", "Gut gemacht. Weiter geht’s.")
