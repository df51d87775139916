"""The tray icon: a thin adapter over pystray that shows a ``TrayView`` and forwards clicks.

It knows nothing of timetables: it draws what the controller hands it, renders the
menu ``core/menu.py`` describes for it, and hands the chosen entry's command to the
``Handler`` it was given. Every change renders the menu anew.

It shows before the app behind it exists (``app/launch.py``): until ``attach`` its
menu says the app is starting and offers Quit alone, so this module imports nothing
of the timetable but the ``Status`` the icon is drawn for and the menu's data.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from movebreak.core.commands import Command, Handler, Quit
from movebreak.core.menu import STARTING, MenuChoices, MenuEntry, starting_menu, tray_menu
from movebreak.core.state import Status
from movebreak.i18n import language
from movebreak.tray.frames import Frame, frame_of, load_frame

if TYPE_CHECKING:
    from movebreak.core.view import TrayView

log = logging.getLogger(__name__)

ICON_FILE_GRACE_S = 30.0


def latin1_title(text: str) -> str:
    """``text`` as pystray's xorg backend can hold it: WM_NAME as a latin-1 STRING.

    python-xlib raises on anything else (an ellipsis, a routine named in Cyrillic),
    which would take the whole icon down; what latin-1 lacks becomes "?".
    """
    return text.replace("…", "...").encode("latin-1", "replace").decode("latin-1")


class TrayIcon:
    """Owns the pystray icon; ``run`` blocks the calling (main) thread until ``stop``.

    Built with ``on_quit`` alone, it shows the plain icon and a "starting" menu;
    ``attach`` hands it the app's handler, view and menu choices once they exist.
    """

    def __init__(self, on_quit: Callable[[], None]) -> None:
        import pystray  # imported late: the backend must be chosen first

        self._pystray = pystray
        self._on_quit = on_quit
        self._handler: Handler | None = None
        self._login: Callable[[], bool | None] = lambda: None
        self._view: TrayView | None = None
        self._choices: MenuChoices | None = None
        self._today = ""
        self._stopped = False  # after stop(), pystray's xorg loop is gone: no more updates
        self._drawn: Frame | None = None
        # appindicator: files a host may still read, with when they were replaced
        self._old_icon_files: list[tuple[str, float]] = []
        self._session_bus: Any = None  # GLib's session connection, kept (see run)
        xorg = pystray.Icon.__module__ == "pystray._xorg"
        self._title: Callable[[str], str] = latin1_title if xorg else str
        image = self._image(frame_of(Status.WAITING, None))
        self._words = language()
        starting = self._title(self._words.gettext(STARTING))
        self._icon = pystray.Icon("movebreak", image, starting, menu=self._menu())
        log.info("tray backend: %s", type(self._icon).__module__)

    @property
    def backend_name(self) -> str:
        """pystray's backend in use: ``xorg``, ``gtk``, ``appindicator``, ``win32``..."""
        return type(self._icon).__module__.rpartition("._")[2]

    @property
    def has_menu(self) -> bool:
        return bool(getattr(self._icon, "HAS_MENU", True))

    def attach(
        self,
        handler: Handler,
        view: TrayView,
        choices: MenuChoices,
        login: Callable[[], bool | None],
    ) -> None:
        """The app is ready: its menu replaces the starting one and ``view`` shows.

        ``login`` says whether the app starts at login (None: not to be set up here).
        """
        if self._stopped:
            return
        self._handler = handler
        self._login = login
        self._view = view
        self._choices = choices
        self.show(view)

    def _image(self, frame: Frame) -> Any:
        self._drawn = frame
        return load_frame(frame)

    def _entries(self) -> tuple[MenuEntry, ...]:
        if self._handler is None or self._view is None or self._choices is None:
            return starting_menu(self._words)
        return tray_menu(self._view, self._choices, self._today, self._login(), self._words)

    def _menu(self) -> Any:
        return self._pystray.Menu(*(self._item(entry) for entry in self._entries()))

    def _item(self, entry: MenuEntry) -> Any:
        """One entry as pystray's item (it calls an action with the icon and the item)."""
        item = self._pystray.MenuItem
        if entry.separator:
            return self._pystray.Menu.SEPARATOR
        if entry.submenu:
            inner = self._pystray.Menu(*(self._item(e) for e in entry.submenu))
            return item(entry.label, inner, enabled=entry.enabled)
        command = entry.command
        action = None if command is None else lambda _icon, _item: self._run(command)
        checked = None if entry.checked is None else (lambda _item, v=entry.checked: v)
        return item(entry.label, action, enabled=entry.enabled, checked=checked,
                    default=entry.default, visible=not entry.default)

    def _run(self, command: Command) -> None:
        if self._handler is not None:
            self._handler.handle(command)
            self._render()  # a check item may have changed (start at login)
        elif isinstance(command, Quit):  # the starting menu's one item
            self._on_quit()

    def _render(self) -> None:
        if not self._stopped:
            self._icon.menu = self._menu()

    def show(self, view: TrayView) -> None:
        """Show ``view``: redraw the icon only when its state or ring step changed."""
        if self._stopped:
            return
        self._view = view
        frame = frame_of(view.status, view.progress)
        if self._drawn != frame:
            self._icon.icon = self._image(frame)
        title = self._title(view.tooltip)
        if self._icon.title != title:
            self._icon.title = title
        self._render()

    def set_today(self, line: str) -> None:
        """The day's tally from the history, e.g. "Today: 5 of 8 resets · morning done"."""
        if line != self._today and not self._stopped:
            self._today = line
            self._render()

    def set_choices(self, choices: MenuChoices) -> None:
        """New routine names and snooze choices after a config reload."""
        self._choices = choices
        self._render()

    def run(self, on_ready: Callable[[], None]) -> None:
        """Run the tray loop here (the main thread); ``on_ready`` runs once the icon shows."""

        def setup(icon: Any) -> None:
            icon.visible = True
            log.info("tray icon shown")
            on_ready()

        self._fix_xorg_clicks()
        self._keep_icon_files_readable()
        self._no_sigterm_from_gdbus()
        self._icon.run(setup=setup)

    def _no_sigterm_from_gdbus(self) -> None:
        """Leave the session bus's end to the app (gtk, appindicator: GLib's D-Bus).

        GLib's shared session-bus connection has ``exit-on-close``: when the bus goes
        away (logout) it raises SIGTERM in our process, racing the app's own notice of
        it. The notifier's link tells the app instead, which logs it once and quits.
        """
        if not self._icon.__class__.__module__.startswith(("pystray._gtk", "pystray._appind")):
            return
        with contextlib.suppress(Exception):  # no bus now: GLib has no connection to close
            from gi.repository import Gio

            connection = Gio.bus_get_sync(Gio.BusType.SESSION, None)
            connection.set_exit_on_close(False)
            # GLib holds its shared connection weakly: kept here, it is the one pystray
            # and libayatana get later, not a new one with exit-on-close again.
            self._session_bus = connection

    def stop(self) -> None:
        """End the loop; no update may start after it.

        On xorg an update from another thread waits for that loop to answer, so one
        started after the loop ended would wait forever (pystray 0.19.5).
        """
        self._stopped = True
        self._icon.stop()
        for path, _replaced in self._old_icon_files:
            with contextlib.suppress(OSError):
                os.unlink(path)
        self._old_icon_files.clear()

    def _keep_icon_files_readable(self) -> None:
        """Let a tray host finish reading an icon file before it is deleted (appindicator).

        pystray 0.19.5 deletes the icon's file, then writes the next one under a new
        name and points the indicator at it. GNOME's AppIndicator extension reads the
        file after the NewIcon signal, so a quick second change deleted the file under
        it ("Impossible to read image info", the icon shown as "•••" until the next
        change; seen 13 times in one test run). Here the next file is written first,
        and a file is deleted only once it has been replaced for ``ICON_FILE_GRACE_S``:
        under load the extension read paths several changes old, so a count of files
        kept was not enough.
        """
        if type(self._icon).__module__ != "pystray._appindicator":
            return
        import tempfile
        import time
        import types

        from pystray._util.gtk import mainloop

        old = self._old_icon_files

        @mainloop  # type: ignore[untyped-decorator]  # pystray's private helper is untyped
        def update_icon(this: Any) -> None:
            now = time.monotonic()
            if this._icon_path:
                old.append((this._icon_path, now))
            handle, path = tempfile.mkstemp(prefix="movebreak-icon-", suffix=".png")
            with os.fdopen(handle, "wb") as file:
                this.icon.save(file, "PNG")
            this._icon_path = path
            this._icon_valid = True
            this._appindicator.set_icon(path)
            while old and now - old[0][1] > ICON_FILE_GRACE_S:
                with contextlib.suppress(OSError):
                    os.unlink(old.pop(0)[0])

        self._icon._update_icon = types.MethodType(update_icon, self._icon)

    def _fix_xorg_clicks(self) -> None:
        """Work around two pystray 0.19.5 xorg bugs (measured: 1 start in 5 never docked).

        Its tray window never selects ButtonPress, so left clicks are lost; it sends a
        new dock request on every icon update, and calls made from the setup thread can
        run before its loop recorded its own thread. We select the clicks, dock once,
        and record the thread ``run()`` is called from.
        """
        if type(self._icon).__module__ != "pystray._xorg":
            return
        import threading
        import types

        from Xlib import X

        icon = self._icon
        mask = X.ExposureMask | X.StructureNotifyMask | X.ButtonPressMask
        icon._window.change_attributes(event_mask=mask)
        icon._thread = threading.current_thread()  # run() is called from this thread
        dock = icon._dock_window

        def dock_once(this: Any) -> None:
            if this._systray_manager is None:
                dock()

        icon._dock_window = types.MethodType(dock_once, icon)
