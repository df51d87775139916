"""Pick pystray's backend before pystray is imported, and say why.

pystray probes backends on import and only catches ImportError, so with PyGObject
installed but no AppIndicator typelib ``import pystray`` raises ValueError; and its
``xorg`` backend has no menu at all. We decide explicitly:

* a StatusNotifier host on the session bus (KDE, GNOME with the AppIndicator
  extension, most Wayland bars) and the AppIndicator typelib -> ``appindicator``;
* else GTK 3 through PyGObject -> ``gtk`` (an XEmbed icon with a real menu);
* else ``xorg`` (an icon without a menu; the log says how to get one).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrayChoice:
    """The backend to use (``None``: run without a tray) and a sentence saying why."""

    backend: str | None
    reason: str


def _typelib(namespace: str, version: str) -> bool:
    try:
        import gi

        gi.require_version(namespace, version)
        return True
    except (ImportError, ValueError):
        return False


def _bus_has_owner(name: str) -> bool:
    """Whether ``name`` is owned on the session bus (short timeout; false on any error)."""
    try:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
    except ImportError:
        return False
    bus = DBusAddress(
        "/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus"
    )
    try:
        with open_dbus_connection(bus="SESSION") as conn:
            reply = conn.send_and_get_reply(
                new_method_call(bus, "NameHasOwner", "s", (name,)), timeout=1.0
            )
            return bool(reply.body[0])
    except Exception:  # no bus, refused, timeout: treat as absent
        return False


def _xembed_tray_present() -> bool:
    """Whether an XEmbed system tray owns ``_NET_SYSTEM_TRAY_S<screen>``.

    Through libX11 (``movebreak.x11``, which GTK maps anyway): python-xlib would cost
    ~20 ms of imports on the way to the icon.
    """
    from movebreak.x11.display import Connection, XUnavailable

    try:
        connection = Connection()
    except XUnavailable:
        return False
    try:
        with connection.lock:
            return connection.selection_owner("_NET_SYSTEM_TRAY_S{screen}") != 0
    except XUnavailable:
        return False
    finally:
        connection.close()


def choose_backend(env: Mapping[str, str] | None = None, want_tray: bool = True) -> TrayChoice:
    """Decide the tray backend for this session and set ``PYSTRAY_BACKEND`` accordingly."""
    env = os.environ if env is None else env
    if not want_tray:
        return TrayChoice(None, "no tray asked (--no-tray)")
    forced = env.get("PYSTRAY_BACKEND", "")
    if forced:
        return TrayChoice(forced, f"PYSTRAY_BACKEND={forced}")
    if sys.platform != "linux":
        return TrayChoice("", "the platform's native tray")
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return TrayChoice(None, "no display (DISPLAY and WAYLAND_DISPLAY are unset)")
    sni = _bus_has_owner("org.kde.StatusNotifierWatcher")
    has_gtk = _typelib("Gtk", "3.0")
    has_indicator = _typelib("AyatanaAppIndicator3", "0.1") or _typelib("AppIndicator3", "0.1")
    if sni and has_gtk and has_indicator:
        return TrayChoice("appindicator", "a StatusNotifier tray host is running")
    xembed = bool(env.get("DISPLAY")) and _xembed_tray_present()
    if not xembed:
        hint = (" (GNOME needs the AppIndicator extension: 'Ubuntu AppIndicators' from Debian's "
                "or Ubuntu's gnome-shell-extension-appindicator, elsewhere 'AppIndicator and "
                "KStatusNotifierItem Support')")
        return TrayChoice(None, "no system tray host found" + (hint if not sni else ""))
    if has_gtk:
        return TrayChoice("gtk", "an XEmbed tray is running and GTK 3 is available")
    return TrayChoice(
        "xorg",
        "an XEmbed tray is running but PyGObject/GTK 3 is missing: "
        "the icon will have no menu (pip install 'movebreak[gtk]')",
    )


def no_menu_hint(backend: str, gtk_available: bool) -> str:
    """What to do about an icon without a menu: the cure differs when GTK is already here."""
    if gtk_available:
        return (f"the {backend} tray backend has no menu, though GTK 3 is installed: unset "
                "PYSTRAY_BACKEND (or set it to gtk or appindicator) for one")
    return (f"the {backend} tray backend has no menu; install PyGObject "
            "(pip install 'movebreak[gtk]', or Debian's python3-gi) for one")


def gtk_available() -> bool:
    return _typelib("Gtk", "3.0")


def apply(choice: TrayChoice) -> None:
    """Export the choice for pystray, which reads it at import time."""
    if choice.backend:
        os.environ["PYSTRAY_BACKEND"] = choice.backend
