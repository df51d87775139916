"""The benchmarks' side of the test desktop: a primed display, a user who moves the mouse.

Both desktop benchmarks (``idle_cost``, ``on_time``) drive the harness from
``tests/desktop/harness.py`` (importable once ``bench/`` put its folder on
``sys.path``, which importing this module does).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for folder in (str(ROOT / "tests" / "desktop"), str(ROOT)):
    if folder not in sys.path:
        sys.path.insert(0, folder)

from harness import Desktop  # noqa: E402
from Xlib import X  # noqa: E402
from Xlib.ext import xtest  # noqa: E402

NUDGE_EVERY_S = 10.0
DOCK_POLL_S = 0.01
GTK_PROBE = "import gi; gi.require_version('Gtk', '3.0'); from gi.repository import Gtk"
PRIMING_ICON = ROOT / "movebreak" / "assets" / "movebreak.png"


def compile_like_an_install() -> None:
    """Write movebreak's bytecode ahead, as pip and the .deb do when they install it.

    A source checkout run with ``PYTHONDONTWRITEBYTECODE=1`` (set in some shells and
    CI images) never refreshes a stale ``.pyc``: every start then compiles each edited
    module from source, which costs milliseconds per module and, for the first
    compile in a process, about 1 MB of the compiler's state that stays for good. An
    installed movebreak never does that, so the benchmarks do not either.
    """
    import compileall

    if not compileall.compile_dir(ROOT / "movebreak", quiet=1):
        raise SystemExit("compiling movebreak failed: see the errors above")
    print("bytecode: movebreak compiled ahead, as an install does", flush=True)


def prime_display(desktop: Desktop) -> None:
    """Let one GTK program open the display first, as the panel does in a real session.

    The first GTK 3 program on an X display probes OpenGL for its visuals (loading
    Mesa and libLLVM: 20-27 MB of PSS that stay mapped) and caches the answer in the
    root window's ``GDK_VISUALS`` property; every later one reads the cache. Without
    this, whichever program ran first would carry that cost alone.

    Then the notification server shows one notification, as on any desktop in use.
    dunst maps its fonts and drawing code on the first one, and those pages of the
    shared libraries are then split with every GTK program: left cold, a program
    measured after movebreak's prompts looked 0.6-1 MB lighter than one measured
    before them, and the order of the subjects moved the result.
    """
    subprocess.run([sys.executable, "-c", GTK_PROBE], env=desktop.env, check=True, timeout=60)
    subprocess.run(
        ["notify-send", "--expire-time=1000", f"--icon={PRIMING_ICON}", "Benchmark",
         "The notification server draws once before anything is measured."],
        env=desktop.env, check=True, timeout=10,
    )
    time.sleep(1.5)  # drawn, then expired: the screen is clear when measuring starts


def nudge(desktop: Desktop) -> None:
    """Move the pointer a little in the bottom-left corner (XTEST: no process started).

    A user at work touches the mouse; without this the virtual user would count as away
    after ``[away] natural_break``, and movebreak would then hold prompts and look for
    their return every 20 s instead.
    """
    height = desktop.screen[1]
    x = 20 + int(time.monotonic()) % 7
    xtest.fake_input(desktop.x, X.MotionNotify, x=x, y=height - 20)
    desktop.x.sync()


def spend(desktop: Desktop, seconds: float, active: bool,
          then: Callable[[], None] | None = None, step: float = 1.0) -> None:
    """Wait ``seconds``, calling ``then`` every ``step``; an ``active`` user moves the mouse."""
    started = time.monotonic()
    last_nudge = -NUDGE_EVERY_S
    while (left := seconds - (time.monotonic() - started)) > 0:
        if active and time.monotonic() - started - last_nudge >= NUDGE_EVERY_S:
            nudge(desktop)
            last_nudge = time.monotonic() - started
        time.sleep(min(step, left))
        if then is not None:
            then()


def wait_docked(desktop: Desktop, started: float, timeout: float = 20.0) -> float:
    """Seconds from ``started`` until a viewable icon larger than 1x1 sits in the tray.

    The harness's own finder (``tray_icons``) polled every 10 ms; the first frame in
    which the icon is mapped at its size counts, the same for every program measured.
    """
    deadline = started + timeout
    while time.monotonic() < deadline:
        if any(i.viewable and i.width > 1 and i.height > 1 for i in desktop.tray_icons()):
            return time.monotonic() - started
        time.sleep(DOCK_POLL_S)
    raise TimeoutError(f"no icon docked within {timeout:.0f} s")
