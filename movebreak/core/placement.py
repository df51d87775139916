"""Where the timer window opens: away from where the desktop draws its notifications.

Pure decisions, no display: the shell measures the screen's work area (the screen less
the panels) and the window's size, learns the notification server's name (and, for
dunst and mako, reads the corner set in their config), and asks ``place_window``. A
position the user dragged the window to wins, clamped onto the current screen so an
unplugged monitor never leaves the window out of sight.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Rect:
    """A rectangle in screen pixels: left, top, width, height."""

    x: int
    y: int
    width: int
    height: int

    def overlap(self, other: Rect) -> int:
        """The area the two rectangles share (0 when they do not touch)."""
        w = min(self.x + self.width, other.x + other.width) - max(self.x, other.x)
        h = min(self.y + self.height, other.y + other.height) - max(self.y, other.y)
        return max(0, w) * max(0, h)


class Anchor(Enum):
    """A place on the screen, as notification servers name their corners."""

    TOP_LEFT = "top-left"
    TOP_CENTER = "top-center"
    TOP_RIGHT = "top-right"
    BOTTOM_LEFT = "bottom-left"
    BOTTOM_CENTER = "bottom-center"
    BOTTOM_RIGHT = "bottom-right"
    CENTER_LEFT = "center-left"
    CENTER_RIGHT = "center-right"
    CENTER = "center"


MARGIN = 16
ZONE_WIDTH = 440  # dunst draws 300 px by default, GNOME's banners about 400
ZONE_SHARE = 0.5  # the height a stack of notifications may take, as a share of the screen
# Where a window goes when nothing is known against it: low, out of the way of reading
# and of the top right most servers use; bottom-left first, the diagonal last.
PREFERRED = (Anchor.BOTTOM_LEFT, Anchor.BOTTOM_CENTER, Anchor.TOP_LEFT,
             Anchor.BOTTOM_RIGHT, Anchor.TOP_CENTER, Anchor.TOP_RIGHT)

# The name ``GetServerInformation`` returns, lower-cased, to where that server draws by
# default. dunst and mako can be configured (``origin``, ``anchor``): see the parsers.
_SERVERS = {
    "dunst": Anchor.TOP_RIGHT,
    "mako": Anchor.TOP_RIGHT,
    "xfce4-notifyd": Anchor.TOP_RIGHT,
    "notify-osd": Anchor.TOP_RIGHT,
    "gnome shell": Anchor.TOP_CENTER,
    "plasma": Anchor.BOTTOM_RIGHT,
    "kde": Anchor.BOTTOM_RIGHT,
}


def server_anchor(name: str | None) -> Anchor:
    """Where the server called ``name`` draws by default; unknown ones: the top right."""
    key = (name or "").strip().lower()
    for known, anchor in _SERVERS.items():
        if key.startswith(known):
            return anchor
    return Anchor.TOP_RIGHT


def _setting(text: str, key: str, section: str | None) -> str | None:
    """The last ``key = value`` in an INI-like file (within ``[section]`` if given)."""
    current: str | None = None
    found: str | None = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            continue
        name, sep, value = line.partition("=")
        if sep and name.strip() == key and (section is None or current == section):
            found = value.strip().strip("\"'")
    return found


def dunst_anchor(dunstrc: str) -> Anchor | None:
    """The corner a dunstrc puts notifications in: ``origin`` (dunst 1.7+), else the sign
    of the offsets in the old ``geometry`` ("300x5-30+20": minus x is right, plus y top)."""
    origin = _setting(dunstrc, "origin", "global")
    if origin:
        try:
            return Anchor(origin.replace("centre", "center"))
        except ValueError:
            return None
    geometry = _setting(dunstrc, "geometry", "global")
    match = re.fullmatch(r"\d*x\d*([+-])\d+([+-])\d+", geometry or "")
    if match is None:
        return None
    vertical = "top" if match.group(2) == "+" else "bottom"
    horizontal = "left" if match.group(1) == "+" else "right"
    return Anchor(f"{vertical}-{horizontal}")


def mako_anchor(config: str) -> Anchor | None:
    """The ``anchor`` of a mako config's global part (before any ``[criteria]``)."""
    head = re.split(r"(?m)^\s*\[", config, maxsplit=1)[0]  # criteria restyle; they do not move
    value = _setting(head, "anchor", None)
    if not value:
        return None
    try:
        return Anchor(value)
    except ValueError:
        return None


def notification_zone(work: Rect, anchor: Anchor) -> Rect:
    """The part of ``work`` where a server at ``anchor`` draws its stack of notices."""
    width = min(ZONE_WIDTH, work.width)
    height = int(work.height * ZONE_SHARE)
    return _at(work, anchor, width, height, margin=0)


def _at(work: Rect, anchor: Anchor, width: int, height: int, margin: int = MARGIN) -> Rect:
    if anchor is Anchor.CENTER:
        x, y = work.x + (work.width - width) // 2, work.y + (work.height - height) // 2
        return Rect(x, y, width, height)
    vertical, horizontal = anchor.value.split("-")
    x = {
        "left": work.x + margin,
        "center": work.x + (work.width - width) // 2,
        "right": work.x + work.width - width - margin,
    }[horizontal]
    y = {
        "top": work.y + margin,
        "center": work.y + (work.height - height) // 2,
        "bottom": work.y + work.height - height - margin,
    }[vertical]
    return Rect(x, y, width, height)


def clamp(window: Rect, screens: Sequence[Rect]) -> Rect:
    """``window`` moved (not resized) to lie on the screen it overlaps most; when it
    overlaps none (that monitor was unplugged), onto the first screen."""
    if not screens:
        return window
    screen = max(screens, key=window.overlap)
    if window.overlap(screen) == 0:
        screen = screens[0]
    x = max(screen.x, min(window.x, screen.x + screen.width - window.width))
    y = max(screen.y, min(window.y, screen.y + screen.height - window.height))
    return Rect(x, y, window.width, window.height)


def place_window(
    work: Rect,
    size: tuple[int, int],
    notifications: Anchor,
    saved: tuple[int, int] | None = None,
    screens: Sequence[Rect] = (),
) -> Rect:
    """Where the timer window of ``size`` opens on the work area ``work``.

    ``saved`` is where the user last dragged it: kept, clamped onto ``screens`` (the
    monitors' work areas; ``work`` alone when not given). Otherwise the first place in
    ``PREFERRED`` that stays clear of the notification server's zone; on a screen too
    small for any, the one that covers the least of it.
    """
    width, height = min(size[0], work.width), min(size[1], work.height)
    if saved is not None:
        return clamp(Rect(saved[0], saved[1], width, height), list(screens) or [work])
    zone = notification_zone(work, notifications)
    candidates = [_at(work, anchor, width, height) for anchor in PREFERRED]
    return min(candidates, key=zone.overlap)  # min keeps the first of equals: the preferred
