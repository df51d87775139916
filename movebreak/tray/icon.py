"""The tray icon: a thin adapter over pystray that shows a ``TrayView`` and forwards clicks.

It knows nothing of timetables: it draws what the controller hands it and calls the
``TrayActions`` it was given. Menu texts are callables reading the latest view, so
``update_menu`` is all a change needs.

It shows before the app behind it exists (``app/launch.py``): until ``attach`` its
menu says the app is starting and offers Quit alone, so this module imports nothing
of the timetable but the ``Status`` the icon is drawn for.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from movebreak.core.state import Status
from movebreak.tray.frames import Frame, frame_of, load_frame

if TYPE_CHECKING:
    from movebreak.core.view import TrayView

log = logging.getLogger(__name__)

PAUSE_CHOICES: tuple[tuple[str, timedelta | None], ...] = (
    ("30 min", timedelta(minutes=30)),
    ("1 hour", timedelta(hours=1)),
    ("until tomorrow", None),
)


def _spoken(length: timedelta) -> str:
    """ "5 min", "1 h", "45 s" for menu items."""
    seconds = round(length.total_seconds())
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"


class TrayActions(Protocol):
    """What the tray can ask of the app; each tray item maps to one of these."""

    def activate(self) -> None: ...
    def start_routine(self, routine_id: str) -> None: ...
    def snooze(self, length: timedelta) -> None: ...
    def skip(self) -> None: ...
    def done(self) -> None: ...
    def pause(self, length: timedelta | None) -> None: ...
    def resume(self) -> None: ...
    def open_config(self) -> None: ...
    def login_enabled(self) -> bool | None: ...
    def toggle_login(self) -> None: ...


def _lower_first(text: str) -> str:
    """ "2-minute reset" stays, "Morning routine" -> "morning routine", "HIIT" stays."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


STARTING = "movebreak is starting…"
ICON_FILE_GRACE_S = 30.0


def latin1_title(text: str) -> str:
    """``text`` as pystray's xorg backend can hold it: WM_NAME as a latin-1 STRING.

    python-xlib raises on anything else (an ellipsis, a routine named in Cyrillic),
    which would take the whole icon down; what latin-1 lacks becomes "?".
    """
    return text.replace("…", "...").encode("latin-1", "replace").decode("latin-1")


def _call(fn: Callable[[], None]) -> Callable[[Any, Any], None]:
    """A pystray menu handler (it passes the icon and the item) that calls ``fn()``."""
    return lambda _icon, _item: fn()


class TrayIcon:
    """Owns the pystray icon; ``run`` blocks the calling (main) thread until ``stop``.

    Built with ``on_quit`` alone, it shows the plain icon and a "starting" menu;
    ``attach`` hands it the app's actions, view and labels once they exist.
    """

    def __init__(self, on_quit: Callable[[], None]) -> None:
        import pystray  # imported late: the backend must be chosen first

        self._pystray = pystray
        self._on_quit = on_quit
        self._actions: TrayActions | None = None
        self._view: TrayView | None = None
        self._labels: dict[str, str] = {}
        self._snooze_choices: tuple[timedelta, ...] = ()
        self._today = ""
        self._stopped = False  # after stop(), pystray's xorg loop is gone: no more updates
        self._drawn: Frame | None = None
        # appindicator: files a host may still read, with when they were replaced
        self._old_icon_files: list[tuple[str, float]] = []
        self._session_bus: Any = None  # GLib's session connection, kept (see run)
        xorg = pystray.Icon.__module__ == "pystray._xorg"
        self._title: Callable[[str], str] = latin1_title if xorg else str
        image = self._image(frame_of(Status.WAITING, None))
        self._icon = pystray.Icon("movebreak", image, self._title(STARTING), menu=self._menu())
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
        actions: TrayActions,
        view: TrayView,
        labels: dict[str, str],
        snooze_choices: tuple[timedelta, ...],
    ) -> None:
        """The app is ready: its menu replaces the starting one and ``view`` shows."""
        if self._stopped:
            return
        self._actions = actions
        self._view = view
        self._labels = labels
        self._snooze_choices = snooze_choices
        self._icon.menu = self._menu()
        self.show(view)

    def _image(self, frame: Frame) -> Any:
        self._drawn = frame
        return load_frame(frame)

    def _menu(self) -> Any:
        item, menu = self._pystray.MenuItem, self._pystray.Menu
        a, call = self._actions, _call
        if a is None:
            return menu(
                item(STARTING, None, enabled=False),
                menu.SEPARATOR,
                item("Quit", call(self._on_quit)),
            )
        view = self._current_view

        snooze = menu(
            *(item(_spoken(d), call(lambda d=d: a.snooze(d))) for d in self._snooze_choices)
        )
        pause = menu(*(item(label, call(lambda d=d: a.pause(d))) for label, d in PAUSE_CHOICES))
        reset, morning = self._labels["reset"], self._labels["morning"]
        return menu(
            item(lambda _i: view().headline, None, enabled=False),
            item(lambda _i: self._today, None, enabled=False, visible=lambda _i: bool(self._today)),
            item("Left click", call(a.activate), default=True, visible=False),
            menu.SEPARATOR,
            item(
                f"Start a {_lower_first(self._labels['reset_title'])} now",
                call(lambda: a.start_routine(reset)),
            ),
            item(
                f"Start the {_lower_first(self._labels['morning_title'])} now",
                call(lambda: a.start_routine(morning)),
            ),
            menu.SEPARATOR,
            item("Snooze", snooze),
            item("Skip this one", call(a.skip)),
            item("Done", call(a.done)),
            menu.SEPARATOR,
            item("Pause", pause, enabled=lambda _i: view().status is not Status.PAUSED),
            item("Resume", call(a.resume), enabled=lambda _i: view().status is Status.PAUSED),
            menu.SEPARATOR,
            item("Start at login", call(a.toggle_login),
                 checked=lambda _i: bool(a.login_enabled()),
                 visible=a.login_enabled() is not None),
            item("Open config file", call(a.open_config)),
            item("Quit", call(self._on_quit)),
        )

    def _current_view(self) -> TrayView:
        assert self._view is not None  # attach() sets the view before the app's menu exists
        return self._view

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
        self._icon.update_menu()

    def set_today(self, line: str) -> None:
        """The day's tally from the history, e.g. "Today: 5 of 8 resets · morning done"."""
        if line != self._today and not self._stopped:
            self._today = line
            self._icon.update_menu()

    def set_labels(self, labels: dict[str, str], snooze_choices: tuple[timedelta, ...]) -> None:
        """New routine names and snooze choices after a config reload."""
        if self._stopped:
            return
        self._labels = labels
        self._snooze_choices = snooze_choices
        self._icon.menu = self._menu()

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

        @mainloop
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
