"""Build the probes that work here and ask them in order: ``QuietDetector.quiet_reason()``.

Order: fullscreen first (the cheapest, and the most specific thing to show in the
tray), then the desktop's do-not-disturb. A probe is kept only if it answered once
at detection; one that breaks later (its server went away) is dropped with one log
line, so a broken desktop service never blocks prompts or floods the log. When no
probe works, one warning says so: prompts are then never held for these reasons.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence

from movebreak.quiet.base import QuietProbe, QuietReason, QuietUnavailable, QuietWatch

log = logging.getLogger(__name__)


class QuietDetector:
    """The one call the app makes: ``quiet_reason()``, cheap enough for every prompt."""

    def __init__(self, probes: Sequence[QuietProbe], closers: Sequence[Callable[[], None]] = ()
                 ) -> None:
        self._probes = list(probes)
        self._closers = list(closers)

    @property
    def probe_names(self) -> list[str]:
        return [probe.name for probe in self._probes]

    @property
    def sees_fullscreen(self) -> bool:
        """Whether a working probe can tell a fullscreen window (at detection time)."""
        return any(probe.sees_fullscreen for probe in self._probes)

    def quiet_reason(self) -> QuietReason | None:
        """Why prompts should wait right now, or None when they may be shown."""
        for probe in list(self._probes):
            try:
                reason = probe.reason()
            except QuietUnavailable as error:
                log.warning("%s stopped answering (%s); no longer checked", probe.name, error)
                self._probes.remove(probe)
                continue
            if reason is not None:
                return reason
        return None

    def do_not_disturb(self) -> bool:
        """Whether a probe says do-not-disturb now, even where a fullscreen window also holds."""
        try:
            return any(p.reason() is QuietReason.DO_NOT_DISTURB for p in list(self._probes))
        except QuietUnavailable:
            return False  # quiet_reason drops the broken probe at its next call

    def on_change(self, callback: Callable[[], None]) -> list[str]:
        """Have every probe that can tell changes call ``callback``; their names."""
        watching: list[str] = []
        for probe in self._probes:
            if isinstance(probe, QuietWatch):
                try:
                    probe.on_change(callback)
                except QuietUnavailable as error:
                    log.debug("%s cannot report changes (%s); looked at as planned",
                              probe.name, error)
                    continue
                watching.append(probe.name)
        return watching

    def close(self) -> None:
        for probe in self._probes:
            probe.close()
        for close in self._closers:
            close()


def _working(factory: Callable[[], QuietProbe], failures: list[str], label: str
             ) -> QuietProbe | None:
    """Build a probe and ask it once; None (and a note why) if either fails."""
    probe: QuietProbe | None = None
    try:
        probe = factory()
        probe.reason()
    except QuietUnavailable as error:
        failures.append(f"{label}: {error}")
        if probe is not None:
            probe.close()
        return None
    return probe


def _linux_probes(env: Mapping[str, str], failures: list[str]
                  ) -> tuple[list[QuietProbe], list[Callable[[], None]]]:
    from movebreak.quiet.dbus import MakoModeDndProbe, NotificationServerDndProbe, SessionBus
    from movebreak.quiet.gnome import GnomeDndProbe, is_gnome_like
    from movebreak.quiet.kwin import is_kde
    from movebreak.quiet.x11 import X11FullscreenProbe

    candidates: list[tuple[str, Callable[[], QuietProbe]]] = []
    wayland = bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE") == "wayland"
    if env.get("DISPLAY") and not wayland:  # XWayland would see only X windows
        candidates.append(("x11-fullscreen", lambda: X11FullscreenProbe(env.get("DISPLAY"))))
    if wayland:  # wlroots compositors (sway) list every window's state; GNOME does not
        from movebreak.quiet.wayland import WaylandFullscreenProbe

        candidates.append(("wayland-fullscreen", lambda: WaylandFullscreenProbe(env)))
    if wayland and is_kde(env):  # KWin lists no windows to clients; a KWin script reports
        from movebreak.quiet.kwin import KWinFullscreenProbe

        candidates.append(("kwin-fullscreen", lambda: KWinFullscreenProbe(env)))
    if is_gnome_like(env):
        candidates.append(("gnome-dnd", lambda: GnomeDndProbe.for_env(env)))
    probes = [p for label, make in candidates if (p := _working(make, failures, label))]
    try:
        bus = SessionBus(env.get("DBUS_SESSION_BUS_ADDRESS"))
    except QuietUnavailable as error:
        failures.append(f"notification server: {error}")
        return probes, []
    on_bus = [p for label, make in (
        ("notifications-inhibited", lambda: NotificationServerDndProbe.kde(bus)),
        ("dunst-paused", lambda: NotificationServerDndProbe.dunst(bus)),
        ("mako-mode", lambda: MakoModeDndProbe(bus, env)),
    ) if (p := _working(make, failures, label))]
    if not on_bus:
        bus.close()
        return probes, []
    return probes + on_bus, [bus.close]


def detect(env: Mapping[str, str] | None = None, platform: str = sys.platform) -> QuietDetector:
    """The detector for this session (maybe with no probes, after one warning line)."""
    env = os.environ if env is None else env
    failures: list[str] = []
    closers: list[Callable[[], None]] = []
    probes: list[QuietProbe] = []
    if platform == "win32":
        from movebreak.quiet.windows import WindowsQuietProbe

        probe = _working(WindowsQuietProbe, failures, "windows")
        probes = [probe] if probe else []
    elif platform == "darwin":
        failures.append("macOS has no public API for Focus or fullscreen state")
    else:
        probes, closers = _linux_probes(env, failures)
    if probes:
        log.info("prompts are held for: %s", ", ".join(p.name for p in probes))
        if failures:
            log.debug("quiet probes not used: %s", "; ".join(failures))
    else:
        log.warning("cannot tell fullscreen or do-not-disturb here (%s); prompts are never "
                    "held for them", "; ".join(failures) or "nothing to ask")
    return QuietDetector(probes, closers)
