"""Start an installed movebreak on a private virtual desktop and check its tray icon and menu.

The .deb and the frozen app are only worth shipping if a person sees the icon and can
open its menu, so their checks end here: the real desktop programs from the end-to-end
tests' harness (``tests/desktop/harness.py``: private D-Bus bus, Xvfb, trayer, dunst)
run the installed program exactly as a user starts it, and we look at the screen:

1. an icon docks in the tray, painted in one of the tray's state colours (ours, not a
   placeholder);
2. with ``--menu`` (the program must log with ``-v``), once the app logs that its menu is
   ready, a right click opens a menu window that is drawn;
3. the app then stops on SIGTERM, and its icon leaves the tray;
4. with ``--autostart``, the program (the command's first word) runs ``autostart
   enable`` on a fresh HOME, and the exact command line it wrote to
   ``autostart/movebreak.desktop`` (the ``Exec=`` key as GLib's desktop-file loader
   reads it: GLib's parser, then ``%%`` undone) starts on a login's environment (no
   ``-v``, nothing on the import path) and must dock its icon too. That is what runs
   at the user's next login, so a package whose entry cannot start fails here.

Screenshots and the app's logs go to ``test-artifacts/packaging/<name>/``.

    python packaging/check_tray.py --name deb --menu --autostart -- /usr/bin/movebreak -v

Runs with the project's venv (the harness needs python-xlib, jeepney and Pillow); the
program under test runs with whatever interpreter it was built for.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts" / "packaging"
sys.path.insert(0, str(REPO / "tests" / "desktop"))

# A timetable with nothing due for an hour, so the icon shows its resting state.
QUIET_CONFIG = (
    '[work]\ndays = ["mon","tue","wed","thu","fri","sat","sun"]\n'
    'start = "00:00"\nend = "23:59"\n'
    '[reset]\nevery = "1h"\n[morning]\nenabled = false\n'
)


def menu_words(menu: Image.Image, out: Path) -> str:
    """Read the menu with OCR when tesseract is installed: it must offer "Quit"."""
    if shutil.which("tesseract") is None:
        return " (menu text not read: apt-get install tesseract-ocr)"
    # Black on white, three times larger: tesseract reads GTK's menu font well like this.
    grey = menu.convert("L").point(lambda v: 0 if v < 200 else 255)
    grey.resize((grey.width * 3, grey.height * 3), Image.Resampling.LANCZOS).save(
        out / "menu-ocr.png"
    )
    done = subprocess.run(
        ["tesseract", str(out / "menu-ocr.png"), "stdout", "--psm", "6"],
        capture_output=True, text=True, timeout=30, check=True,
    )
    assert "Quit" in done.stdout, f"the menu does not read as ours: {done.stdout!r}"
    return ", its text reads as ours"


def exec_argv(entry: Path) -> list[str]:
    """The argv a GLib desktop (GNOME, Xfce, Cinnamon) runs for an autostart entry.

    GLib drops an entry whose program it cannot find (``new_from_filename`` fails);
    it splits ``Exec`` with its shell parser, then expands field codes in each word:
    we write none but ``%%``, a literal ``%``.
    """
    import gi

    gi.require_version("Gio", "2.0")
    from gi.repository import Gio, GLib

    try:
        info = Gio.DesktopAppInfo.new_from_filename(str(entry))
    except TypeError:  # "constructor returned NULL": GLib refuses the entry
        raise AssertionError(f"GLib refuses the autostart entry {entry}") from None
    _ok, argv = GLib.shell_parse_argv(info.get_commandline())
    codes = [word for word in argv if "%" in word.replace("%%", "")]
    assert not codes, f"the entry has field codes it should not: {codes}"
    return [word.replace("%%", "%") for word in argv]


def check_autostart(desktop: Any, name: str, program: str, out: Path) -> str:
    """``PROGRAM autostart enable``, then the entry's own command line, docked."""
    from harness import colour_share, wait_until

    from movebreak.tray.art import COLOURS

    leaks = sorted({"PYTHONPATH", "PYTHONHOME", "MOVEBREAK_LAUNCHER"} & set(desktop.env))
    assert not leaks, f"unset {leaks}: a login's environment has none of them"
    enable = desktop.start_app([program, "autostart", "enable"], name=f"{name}-enable",
                               out_dir=out)
    result = enable.wait(timeout=60)
    assert result.exit_code == 0, f"autostart enable failed: {result.stderr[-2000:]}"
    entry = Path(enable.env["XDG_CONFIG_HOME"]) / "autostart" / "movebreak.desktop"
    argv = exec_argv(entry)
    shutil.copy(entry, out / "autostart.desktop")
    login = desktop.start_app(argv, env_extra={"PYSTRAY_BACKEND": ""},
                              config_text=QUIET_CONFIG, name=f"{name}-login", out_dir=out)
    try:
        icon = desktop.wait_for_icon(timeout=20)

        def painted() -> bool:
            crop = desktop.crop_icon(desktop.screenshot(), icon)
            return any(colour_share(crop, rgb, tolerance=14) >= 0.2 for rgb in COLOURS.values())

        wait_until(painted, 8, "the icon started from the autostart entry to be painted")
        desktop.screenshot(out / "autostart-icon.png")
        stopped = login.stop(timeout=10)
        assert not stopped.killed, "the app started at login ignored SIGTERM"
        desktop.wait_for_no_icon(timeout=5)
    except BaseException:
        desktop.screenshot(out / "autostart-failure.png")
        login.stop()
        print(f"--- {name} at login: {argv}; stderr (tail) ---\n{login.errors()[-3000:]}",
              file=sys.stderr)
        raise
    return f"its autostart entry ({' '.join(argv)}) starts and docks"


def check(name: str, command: list[str], want_menu: bool, out: Path,
          autostart: bool = False) -> str:
    """Run the whole check; return a one-line summary, raise AssertionError on failure."""
    from harness import Desktop, colour_share, wait_until

    from movebreak.tray.art import COLOURS

    out.mkdir(parents=True, exist_ok=True)
    with Desktop(log_dir=out / "_harness") as desktop:
        started = time.monotonic()
        # An empty PYSTRAY_BACKEND: the app picks its backend itself, as on a user's desktop.
        app = desktop.start_app(
            command, env_extra={"PYSTRAY_BACKEND": ""}, config_text=QUIET_CONFIG,
            name=name, out_dir=out,
        )
        try:
            icon = desktop.wait_for_icon(timeout=20)
            docked_after = time.monotonic() - started

            def painted() -> bool:
                crop = desktop.crop_icon(desktop.screenshot(), icon)
                return any(colour_share(crop, rgb, tolerance=14) >= 0.2 for rgb in COLOURS.values())

            wait_until(painted, 8, "the docked icon to show one of the tray's state colours")
            desktop.screenshot(out / "icon.png")
            summary = f"icon docked after {docked_after:.1f} s"
            if want_menu:
                # The icon shows first with a "starting..." menu (Quit only): open the menu
                # once the app says the menu is its own (the log, with -v).
                app.wait_for_log("ready: the menu is the app's", timeout=30)
                backend = app.wait_for_log("tray backend:", timeout=1).split("tray backend:")[1]
                summary += f", backend {backend.strip()}"
                before = desktop.top_windows()
                desktop.click(*icon.center, button=3)
                menu = desktop.wait_for_new_window(before, timeout=8)

                def drawn() -> bool:
                    crop = desktop.crop_icon(desktop.screenshot(), menu)
                    return colour_share(crop, (0, 0, 0), tolerance=8) < 0.5

                wait_until(drawn, 5, "the tray menu to be drawn")
                shot = desktop.screenshot(out / "menu.png")
                summary += f", menu opened ({menu.width}x{menu.height} px)"
                summary += menu_words(desktop.crop_icon(shot, menu), out)
                desktop.key("Escape")
            result = app.stop(timeout=10)
            assert not result.killed, "the app ignored SIGTERM and had to be killed"
            desktop.wait_for_no_icon(timeout=5)
            logs = "".join(p.read_text(errors="replace") for p in desktop.tmp.rglob("*.log"))
            # A package without the frame strip still shows an icon (drawn instead): catch it.
            assert "pictures could not be read" not in logs, "the tray's frame strip is missing"
            summary += "; stopped cleanly"
        except BaseException:
            desktop.screenshot(out / "failure.png")
            app.stop()
            print(f"--- {name} stderr (tail) ---\n{app.errors()[-3000:]}", file=sys.stderr)
            raise
        if autostart:
            summary += "; " + check_autostart(desktop, name, command[0], out)
        return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--name", required=True, help="names the artifacts folder")
    parser.add_argument("--menu", action="store_true", help="also require a working menu")
    parser.add_argument("--autostart", action="store_true",
                        help="also start the command `autostart enable` writes (see 4.)")
    parser.add_argument("command", nargs="+", help="the program to start, after --")
    args = parser.parse_args(argv)
    out = ARTIFACTS / args.name
    try:
        summary = check(args.name, args.command, args.menu, out, args.autostart)
        print(f"tray: {summary} (screenshots in {out})")
    except AssertionError as failure:
        print(f"tray check failed: {failure} (screenshots in {out})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
