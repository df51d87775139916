"""GNOME's do-not-disturb: ``org.gnome.desktop.notifications show-banners`` is false.

The quick-settings "Do Not Disturb" switch writes that one key. We read it through
``Gio.Settings`` when PyGObject is there (the tray's gtk extra brings it): with the
dconf backend a read checks dconf's shared-memory "changed" flag, so it is fresh
without a GLib main loop and costs no round trip. Without PyGObject we fall back to
``gsettings get``, one short program run per question; the app asks only when a
prompt falls due, not on a timer.

Gio takes its backend (``GSETTINGS_BACKEND``, dconf's folders) from this process's
environment, not from the ``env`` given to detection; only the fallback uses ``env``.

Only used on desktops that honour that key (``XDG_CURRENT_DESKTOP`` names GNOME,
Unity or Budgie): elsewhere a leftover ``false`` from an old GNOME session would hold
every prompt for good.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Mapping
from typing import Any

from movebreak.quiet.base import QuietReason, QuietUnavailable

SCHEMA = "org.gnome.desktop.notifications"
KEY = "show-banners"
DESKTOPS = frozenset({"gnome", "unity", "budgie", "budgie-desktop"})


def is_gnome_like(env: Mapping[str, str]) -> bool:
    """True when ``XDG_CURRENT_DESKTOP`` (a colon-separated list) names a GNOME desktop."""
    names = env.get("XDG_CURRENT_DESKTOP", "").lower().split(":")
    return any(name in DESKTOPS for name in names)


def parse_gsettings_bool(output: str) -> bool:
    """``gsettings get`` prints ``true`` or ``false`` (GVariant text)."""
    text = output.strip()
    if text not in ("true", "false"):
        raise QuietUnavailable(f"gsettings printed {text!r} for {SCHEMA} {KEY}")
    return text == "true"


def gio_reader() -> Callable[[], bool]:
    """Read the key through Gio.Settings; ``QuietUnavailable`` without gi or the schema."""
    try:
        import gi

        gi.require_version("Gio", "2.0")
        from gi.repository import Gio
    except (ImportError, ValueError) as error:
        raise QuietUnavailable(f"PyGObject is not available: {error}") from error
    source = Gio.SettingsSchemaSource.get_default()
    schema = source.lookup(SCHEMA, True) if source is not None else None
    if schema is None or not schema.has_key(KEY):
        raise QuietUnavailable(f"the GSettings schema {SCHEMA} is not installed")
    settings: Any = Gio.Settings.new_full(schema, None, None)
    return lambda: bool(settings.get_boolean(KEY))


def gsettings_reader(env: Mapping[str, str] | None = None) -> Callable[[], bool]:
    """Read the key by running ``gsettings get`` (when PyGObject is missing)."""
    program = shutil.which("gsettings")
    if program is None:
        raise QuietUnavailable("neither PyGObject nor the gsettings program is available")
    environment = dict(env) if env is not None else None

    def read() -> bool:
        try:
            done = subprocess.run(
                [program, "get", SCHEMA, KEY], env=environment, capture_output=True,
                text=True, timeout=3, check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise QuietUnavailable(f"gsettings failed: {error}") from error
        if done.returncode != 0:
            raise QuietUnavailable(f"gsettings failed: {done.stderr.strip()}")
        return parse_gsettings_bool(done.stdout)

    return read


class GnomeDndProbe:
    """``QuietProbe``: DO_NOT_DISTURB while GNOME shows no banners."""

    name = "gnome-dnd"
    sees_fullscreen = False

    def __init__(self, show_banners: Callable[[], bool]) -> None:
        self._show_banners = show_banners

    @classmethod
    def for_env(cls, env: Mapping[str, str] | None = None) -> GnomeDndProbe:
        """Gio.Settings if possible, else the gsettings program."""
        try:
            return cls(gio_reader())
        except QuietUnavailable:
            return cls(gsettings_reader(env))

    def reason(self) -> QuietReason | None:
        return None if self._show_banners() else QuietReason.DO_NOT_DISTURB

    def close(self) -> None:
        """Nothing held open."""
