"""The floor: a bare pystray icon with a small menu, and nothing else.

What any tray app with a menu costs on this desktop, measured beside movebreak by
``bench/idle_cost.py``. The backend comes from ``PYSTRAY_BACKEND`` (the benchmark sets
``gtk`` for the floor with a menu, ``xorg`` for the menu-less floor). It draws its
image with Pillow, as movebreak does, then hands the main thread to pystray.

Run: ``PYSTRAY_BACKEND=gtk .venv/bin/python bench/floor_tray.py``.
"""

from __future__ import annotations

import signal
import sys

import pystray
from PIL import Image, ImageDraw


def image() -> Image.Image:
    """A teal disc, the size movebreak draws its icon at."""
    picture = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    ImageDraw.Draw(picture).ellipse((4, 4, 60, 60), fill=(0, 128, 128, 255))
    return picture


def main() -> int:
    def nothing(_icon: pystray.Icon, _item: pystray.MenuItem) -> None:
        """A menu item that does what a bare icon can: nothing."""

    def stop(icon: pystray.Icon, _item: pystray.MenuItem) -> None:
        icon.stop()

    menu = pystray.Menu(
        pystray.MenuItem("Floor: a bare tray icon", nothing, default=True, enabled=False),
        pystray.MenuItem("Do nothing", nothing),
        pystray.MenuItem("Snooze", pystray.Menu(pystray.MenuItem("5 min", nothing))),
        pystray.Menu.SEPARATOR,
        pystray.MenuItem("Quit", stop),
    )
    icon = pystray.Icon("floor", image(), "floor", menu)
    # SIGTERM ends the process at once: the default action, restored after Python's.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    icon.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
