"""Pick the idle source that works in this session, trying them in a sensible order.

- Windows and macOS have one way each.
- X11 session: the X server's own counter first (in-process, every X desktop), then
  GNOME's and the freedesktop D-Bus services.
- Wayland session: only the compositor knows; Mutter first, then the compositor's own
  Wayland idle protocols (sway and other wlroots desktops, KDE), then freedesktop.
  Mutter first: GNOME offers neither Wayland idle protocol (43 has no
  ext-idle-notify), and its D-Bus watch is exact. The Wayland source before
  freedesktop: on KDE Wayland ``GetSessionIdleTime`` answers NotSupported anyway, and
  the protocol answer comes from the compositor itself. The X11 source is *not* tried
  there: XWayland sees only X clients' input, so idle time would keep growing while
  the user types into native Wayland windows.

A source counts as working once it has answered one real question. When none does,
one warning line names each one tried and why it failed.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from enum import Enum

from movebreak.idle.base import IdleSource, IdleUnavailable

log = logging.getLogger(__name__)

SourceFactory = Callable[[Mapping[str, str]], IdleSource]


class DisplayKind(Enum):
    """What kind of graphical session the environment describes."""

    X11 = "x11"
    WAYLAND = "wayland"
    WINDOWS = "windows"
    MACOS = "macos"
    NONE = "none"


def session_of(env: Mapping[str, str], platform: str = sys.platform) -> DisplayKind:
    """Wayland wins when both displays are set: then ``DISPLAY`` is XWayland's."""
    if platform == "win32":
        return DisplayKind.WINDOWS
    if platform == "darwin":
        return DisplayKind.MACOS
    if env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland":
        return DisplayKind.WAYLAND
    if env.get("DISPLAY"):
        return DisplayKind.X11
    return DisplayKind.NONE


def _x11(env: Mapping[str, str]) -> IdleSource:
    from movebreak.idle.x11 import X11IdleSource

    return X11IdleSource(env.get("DISPLAY"))


def _mutter(env: Mapping[str, str]) -> IdleSource:
    from movebreak.idle.dbus import MutterIdleSource

    return MutterIdleSource(env.get("DBUS_SESSION_BUS_ADDRESS"))


def _freedesktop(env: Mapping[str, str]) -> IdleSource:
    from movebreak.idle.dbus import FreedesktopIdleSource

    return FreedesktopIdleSource(env.get("DBUS_SESSION_BUS_ADDRESS"))


def _wayland(env: Mapping[str, str]) -> IdleSource:
    from movebreak.idle.wayland import WaylandIdleSource

    return WaylandIdleSource(env)


def _windows(env: Mapping[str, str]) -> IdleSource:
    from movebreak.idle.windows import WindowsIdleSource

    return WindowsIdleSource()


def _macos(env: Mapping[str, str]) -> IdleSource:
    from movebreak.idle.macos import MacIdleSource

    return MacIdleSource()


CANDIDATES: dict[DisplayKind, tuple[tuple[str, SourceFactory], ...]] = {
    DisplayKind.X11: (("x11", _x11), ("gnome-mutter", _mutter),
                  ("freedesktop-screensaver", _freedesktop)),
    DisplayKind.WAYLAND: (("gnome-mutter", _mutter), ("wayland-idle", _wayland),
                      ("freedesktop-screensaver", _freedesktop)),
    DisplayKind.WINDOWS: (("windows", _windows),),
    DisplayKind.MACOS: (("macos", _macos),),
    DisplayKind.NONE: (),
}


def detect(
    env: Mapping[str, str] | None = None, platform: str = sys.platform
) -> IdleSource | None:
    """The first source that answers here, or None after one warning line."""
    env = os.environ if env is None else env
    session = session_of(env, platform)
    failures: list[str] = []
    for name, factory in CANDIDATES[session]:
        source: IdleSource | None = None
        try:
            source = factory(env)
            idle = source.idle_seconds()
        except IdleUnavailable as error:
            failures.append(f"{name}: {error}")
            if source is not None:
                source.close()
            continue
        log.info("idle time from %s (%s session; idle now %.1f s)", source.name,
                 session.value, idle)
        return source
    tried = "; ".join(failures) or "no graphical session (neither DISPLAY nor WAYLAND_DISPLAY)"
    log.warning("cannot read idle time (%s): away and natural-break detection is off", tried)
    return None
