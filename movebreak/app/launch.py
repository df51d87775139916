"""Start the app: the tray icon first, the rest assembled behind it.

The icon is what a user sees of a start, so only what it needs comes before it: the
single-instance lock and the log (``cli/main.py``), the tray backend and pystray.
The config, timetable, notifier, history, calendars and scheduler (``app/run.py``)
are imported and built on pystray's setup thread once the icon shows; until then,
some tens of milliseconds, its menu says the app is starting and offers Quit.

The tray (when there is one) owns the main thread, as every platform's tray wants.
Without a tray the app is assembled on the main thread, which then waits for Quit
or a signal.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from movebreak.app.run import App
    from movebreak.control.instance import InstanceServer
    from movebreak.storage.paths import AppPaths
    from movebreak.tray.icon import TrayIcon

log = logging.getLogger(__name__)


class Launcher:
    """Runs one app from start to quit; ``run`` returns the process exit code."""

    def __init__(self, paths: AppPaths, server: InstanceServer, want_tray: bool = True) -> None:
        self._paths = paths
        self._server = server  # bound (the single-instance lock), not yet listening
        self._want_tray = want_tray
        self._quit = threading.Event()
        self._tray: TrayIcon | None = None
        self._app: App | None = None
        self._failed = False  # the app could not be assembled: exit 1
        self._session_ended = False  # the session bus went away: a clean exit, said once
        # Assembly and shutdown exclude each other: a Quit during assembly waits for it.
        self._assembly = threading.Lock()

    def run(self) -> int:
        from movebreak.tray.backend import TrayChoice, apply, choose_backend

        self._install_signal_handlers()
        choice = choose_backend(want_tray=self._want_tray)
        log.info("tray: %s (%s)", choice.backend, choice.reason)
        try:
            if choice.backend is not None:
                apply(choice)
                try:
                    self._run_tray()
                except Exception as error:  # a broken tray host must not take the timetable
                    if self._session_ended:  # pystray's finalizer calls the vanished bus
                        log.debug("the tray ended with the session: %s", error)
                    else:
                        log.exception("the tray failed")
                    self._tray = None
                    choice = TrayChoice(None, f"the tray failed ({error})")
            if choice.backend is None and not self._quit.is_set():
                self._assemble(None)
                if not self._failed:
                    print(
                        f"movebreak: running without a tray icon: {choice.reason}. "
                        "Reminders still come as notifications.",
                        file=sys.stderr,
                        flush=True,
                    )
                self._quit.wait()
        finally:
            self._stop()
        return 1 if self._failed else 0

    def quit(self) -> None:
        """Quit from the tray, the control channel or a signal: end the main thread's wait."""
        log.info("quit")
        self._quit.set()
        if self._tray is not None:
            self._tray.stop()

    def session_ended(self) -> None:
        """The session bus went away (the user logged out): quit, with one line saying so."""
        if self._session_ended:
            return
        self._session_ended = True
        log.info("the session bus went away (the session ended); quitting")
        self.quit()

    def _run_tray(self) -> None:
        from movebreak.tray.icon import TrayIcon

        tray = TrayIcon(self.quit)
        self._tray = tray
        if not tray.has_menu:
            from movebreak.tray.backend import gtk_available, no_menu_hint

            log.warning("%s", no_menu_hint(tray.backend_name, gtk_available()))
        tray.run(on_ready=lambda: self._assemble(tray))

    def _assemble(self, tray: TrayIcon | None) -> None:
        """Build the app and start it (once, on whichever thread comes first).

        A failure here must not leave an icon that only ever says "starting": it is
        logged and the app quits with exit code 1 (an autostart unit sees the crash).
        """
        with self._assembly:
            if self._quit.is_set() and tray is not None:
                tray.stop()  # a Quit came before the tray's loop ran, when stop() was a no-op
            if self._app is not None or self._quit.is_set():
                return
            try:
                from movebreak.app.run import App

                app = App(self._paths, self.quit, on_session_end=self.session_ended)
                self._server.start(app)
                self._app = app
                if not self._quit.is_set():  # nothing to start for a Quit while building
                    app.start(tray)
            except Exception:
                log.exception("movebreak could not start")
                print("movebreak: could not start; the log says why", file=sys.stderr, flush=True)
                self._failed = True
                self.quit()

    def _stop(self) -> None:
        with self._assembly:
            if self._app is not None:
                self._app.stop()
            self._server.stop()

    def _install_signal_handlers(self) -> None:
        def stop(signum: int, _frame: FrameType | None) -> None:
            log.info("signal %d", signum)
            self.quit()

        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, stop)
