"""The app: the core wired to the tray, timer, notifier, history, calendars and watchers.

``app/launch.py`` shows the icon first and builds this behind it; the timer and the
watchers live on their own quiet threads.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from movebreak.app.clock import Clock, SystemClock
from movebreak.app.config_watch import ConfigReloader
from movebreak.app.controller import Controller
from movebreak.app.memory import give_back_free_memory
from movebreak.app.open_file import open_in_editor
from movebreak.app.presence import PresenceWatch
from movebreak.app.sound_cues import prompt_cue, start_sound
from movebreak.app.zone import resolve_timezone
from movebreak.autostart.base import AutostartState
from movebreak.autostart.service import detect as detect_autostart
from movebreak.config.errors import ConfigError
from movebreak.config.loader import builtin_text, default_config
from movebreak.config.model import Config
from movebreak.core.commands import Command, OpenConfig, Quit, Reply, Status, ToggleLogin
from movebreak.core.engine import Engine
from movebreak.core.menu import menu_choices
from movebreak.guide.display import NoDisplay, SessionDisplay, WindowProcess
from movebreak.guide.messages import place_message
from movebreak.notify.base import FallbackNotifier, LogNotifier, NoticeKind
from movebreak.notify.dbus_notifier import DBusNotifier
from movebreak.notify.plyer_notifier import PlyerNotifier
from movebreak.quiet.base import QuietReason
from movebreak.schedule.wakeup import SchedulerWakeup
from movebreak.storage.atomic import remove_stale_temps, write_atomic
from movebreak.storage.paths import AppPaths
from movebreak.storage.state_store import load_state, save_state

if TYPE_CHECKING:
    from movebreak.app.calendar_feed import CalendarFeed
    from movebreak.app.config_watch import ConfigWatcher
    from movebreak.app.history_sink import HistoryRecorder
    from movebreak.app.live_calls import LiveCalls
    from movebreak.tray.icon import TrayIcon
    from movebreak.watch.clock import ClockWatch

log = logging.getLogger(__name__)

def _app_icon(paths: AppPaths) -> Path | None:
    """The app icon for notifications: the packaged PNG (ICO on Windows), as a real file."""
    from importlib import resources

    name = "movebreak.ico" if sys.platform.startswith("win") else "movebreak.png"
    packaged = resources.files("movebreak").joinpath("assets", name)
    try:
        if isinstance(packaged, Path) and packaged.is_file():
            return packaged
        target = paths.cache_dir / name  # inside a zip or frozen archive: copy it out once
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(packaged.read_bytes())
        return target
    except OSError:
        return None


def _display_for(
    on_action: Callable[[Command], None],
    on_failure: Callable[[], None],
    placement: Callable[[], dict[str, Any]],
) -> SessionDisplay:
    """The timer window where there is a screen to show it on; else notifications only."""
    has_screen = not sys.platform.startswith("linux") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if not has_screen:
        return NoDisplay()
    return WindowProcess(on_action, on_failure=on_failure, placement=placement)


class App:
    """The assembled app: ``start`` it with the tray icon (or none), ``stop`` it at exit.

    ``on_quit`` is the launcher's: Quit from the tray or the control channel ends the
    process's main loop, and the launcher then calls ``stop``.
    """

    def __init__(
        self,
        paths: AppPaths,
        on_quit: Callable[[], None],
        clock: Clock | None = None,
        on_session_end: Callable[[], None] | None = None,
    ) -> None:
        self.paths = paths
        self._on_quit = on_quit
        self._tray: TrayIcon | None = None
        icon = _app_icon(paths)
        # The session bus going away is the session ending (logout): quit with it.
        self.dbus_notifier = DBusNotifier(self._notification_action, icon,
                                          on_bus_gone=on_session_end)
        notifier = FallbackNotifier([self.dbus_notifier, PlyerNotifier(icon), LogNotifier()])
        self.timer = SchedulerWakeup(self._wake)
        config = default_config()
        self.clock = clock or SystemClock()
        self.sound = start_sound()
        self.controller = Controller(
            Engine(config, resolve_timezone(config)),
            load_state(paths.state_file),
            self.clock,
            notifier,
            self.timer,
            lambda s: save_state(paths.state_file, s),
            _display_for(lambda command: self._routine_command(command),
                         lambda: self.controller.window_failed(), self._window_placement),
            sound=self.sound,
        )
        self.autostart = detect_autostart(paths.data_dir)
        self.reloader = ConfigReloader(paths.config_file, self._use_config, self._config_failed)
        # Built in _ready, once the icon shows:
        self.history: HistoryRecorder | None = None
        self.calendar: CalendarFeed | None = None
        self.live_calls: LiveCalls | None = None
        self.watcher: ConfigWatcher | None = None
        self.presence: PresenceWatch | None = None
        self.clock_watch: ClockWatch | None = None
        self._closers: list[Any] = []

    def _use_config(self, config: Config) -> None:
        self.controller.use_config(Engine(config, resolve_timezone(config)))
        self._plan_calendar(timedelta(seconds=0.5))
        if self.live_calls is not None:
            self.live_calls.enable(config.quiet.live_calls)
        if self._tray is not None:
            self._tray.set_choices(menu_choices(self.controller.config))

    def _wake(self) -> None:
        """The timetable's moment: look whether the user is here first, then act."""
        if self.presence is not None:
            self.presence.look()
        self.controller.tick()

    def _clock_changed(self) -> None:
        """The wall clock was set or the machine resumed: jobs and presence, looked at now."""
        self.timer.wakeup()
        self._wake()

    def _start_presence(self) -> None:
        """Idle time and quiet signals, read in-process at the moments that matter."""
        from movebreak.idle.detect import detect as detect_idle
        from movebreak.quiet.detect import detect as detect_quiet

        idle = detect_idle()
        quiet = detect_quiet()
        if not quiet.sees_fullscreen:
            log.info("fullscreen windows cannot be seen here: an unanswered prompt comes once "
                     "more after the snooze time")
        self.controller.sees_fullscreen(quiet.sees_fullscreen)
        self._closers = [c for c in (idle, quiet, self.sound) if c is not None]
        self.controller.on_event(prompt_cue(self.sound, lambda: self.controller.config.sound,
                                            quiet.do_not_disturb))

        def idle_seconds() -> float | None:
            return idle.idle_seconds() if idle is not None else None

        def quiet_reason() -> str | None:
            reason = quiet.quiet_reason()
            settings = self.controller.config.quiet
            if reason is None or reason is QuietReason.SCREEN_LOCKED:
                return None  # a locked screen is time away: idle time says so
            if reason is QuietReason.DO_NOT_DISTURB:
                return reason.value if settings.do_not_disturb else None
            return reason.value if settings.fullscreen else None

        self.presence = PresenceWatch(
            self.clock,
            idle_seconds,
            quiet_reason,
            lambda: self.controller.config.away.natural_break,
            self.controller.presence,
            lambda when, look: self.timer.once("presence", when, look),
            wait_for_activity=getattr(idle, "wait_for_activity", None),
        )
        presence = self.presence

        def look_now() -> None:  # the desktop said a hold may have ended: look at once
            self.timer.once("presence", self.clock.now(), presence.look)

        watching = quiet.on_change(look_now)
        if watching:
            log.info("quiet signals reported as they change: %s", ", ".join(watching))
        self.presence.look()

    # ----- start at login (the tray's check item) -----------------------------
    def login_enabled(self) -> bool | None:
        """Whether the app starts at login; None where that cannot be set up here."""
        if self.autostart is None:
            return None
        return self.autostart.status() is AutostartState.ENABLED

    def toggle_login(self) -> None:
        if self.autostart is None:
            return
        if self.login_enabled():
            self.autostart.disable()
        else:
            self.autostart.enable()

    def _meetings_changed(self, _change: object = None) -> None:
        """The calendar's meetings and a live call, if any, as one list for the core."""
        live = self.live_calls.current if self.live_calls is not None else None
        found = self.calendar.last if self.calendar is not None else ()
        self.controller.use_meetings(found + ((live,) if live else ()))

    def _plan_calendar(self, first_in: timedelta) -> None:
        """Refresh the calendars soon, then every ``refresh`` (the shortest any feed asks)."""
        settings = self.controller.config.calendar
        every = min([settings.refresh, *(s.refresh for s in settings.sources if s.refresh)])
        self.timer.repeat("calendar", every, self._refresh_calendar, self.clock.now() + first_in)

    def _refresh_calendar(self) -> None:
        if self.calendar is None:
            return
        self.calendar.refresh(
            self.controller.config.calendar, self.controller.engine_tz, self.clock.now()
        )
        give_back_free_memory()

    def _config_failed(self, error: ConfigError) -> None:
        self.controller.config_failed(error.problems)

    def _window_placement(self) -> dict[str, Any]:
        """Where the timer window opens: clear of the notifications, or where the user
        put it last (the window reads and writes ``window_file``)."""
        return place_message(self.dbus_notifier.server_anchor(), self.paths.window_file)

    def _routine_command(self, command: Command) -> None:
        """A button of the running routine's (its window, a step notice)."""
        self.controller.handle(command, in_routine=True)

    def _refresh_today(self, _event: object = None) -> None:
        if self._tray is not None and self.history is not None:
            self._tray.set_today(self.history.today(self.clock.now()))

    def _notification_action(self, command: Command, kind: NoticeKind) -> None:
        """A button on a notification: the same as the tray or window item of that name."""
        if kind is NoticeKind.STEP:
            self._routine_command(command)
        elif kind is NoticeKind.PROMPT:
            self.controller.handle(command)

    # ----- the user's commands, from the tray and the control channel -----------
    def handle(self, command: Command) -> Reply:
        """The app's own commands here; the timetable's go to the controller."""
        match command:
            case Status():
                return Reply(self.controller.status_report())
            case Quit():
                self._on_quit()
            case OpenConfig():
                self.open_config()
            case ToggleLogin():
                self.toggle_login()
            case _:
                return self.controller.handle(command)
        return Reply()

    def open_config(self) -> None:
        path = self.paths.config_file
        if not path.exists():
            write_atomic(path, builtin_text("config.toml"), private=True)  # may get feed tokens
        open_in_editor(path)

    # ----- life cycle ----------------------------------------------------------
    def start(self, tray: TrayIcon | None) -> None:
        """Load the config, fill in the tray's menu, then start the timer and watchers."""
        self.reloader.load()
        if tray is not None:
            choices = menu_choices(self.controller.config)
            tray.attach(self, self.controller.view, choices, self.login_enabled)
            self._tray = tray
            self.controller.on_view(tray.show)
        self._ready()
        give_back_free_memory()  # what start-up parsed and built but no longer holds
        log.info("ready: the menu is the app's and the timetable runs")

    def stop(self) -> None:
        """Stop every thread and watcher and close the history; safe after a partial start."""
        for watch in (self.clock_watch, self.watcher):
            if watch is not None:
                watch.stop()
        self.timer.stop()
        self.dbus_notifier.close()
        for part in (self.live_calls, self.calendar):
            if part is not None:
                part.stop()
        for closer in self._closers:
            closer.close()
        self.controller.shutdown()
        if self.history is not None:
            self.history.close()

    def _ready(self) -> None:
        """The parts that take a moment: history, calendars, live calls, timer, watches."""
        from movebreak.app.calendar_feed import CalendarFeed
        from movebreak.app.config_watch import ConfigWatcher
        from movebreak.app.history_sink import HistoryRecorder
        from movebreak.app.live_calls import LiveCalls
        from movebreak.watch.clock import detect as detect_clock_watch

        if sys.platform.startswith("linux"):
            self.dbus_notifier.connect()
        paths = self.paths
        self.history = HistoryRecorder(
            paths.history_db, lambda: self.controller.config, lambda: self.controller.engine_tz
        )
        self.controller.on_event(self.history)
        self.controller.on_event(self._refresh_today)
        self.calendar = CalendarFeed(paths.cache_dir / "calendar", self._meetings_changed)
        self.live_calls = LiveCalls(self.clock.now, self._meetings_changed)
        self.live_calls.enable(self.controller.config.quiet.live_calls)
        self.timer.start()
        self.controller.start_up()
        self._start_presence()
        self.clock_watch = detect_clock_watch()
        if self.clock_watch is not None:
            self.clock_watch.start(self._clock_changed)
        self.watcher = ConfigWatcher(paths.config_file, self.reloader.load)
        self.watcher.start()
        self.reloader.load()  # an edit saved before the watcher started (same text: no-op)
        self._plan_calendar(timedelta(seconds=2))
        self._refresh_today()
        self._remove_stale_temps()

    def _remove_stale_temps(self) -> None:
        """Temp files an interrupted write left in our folders (see storage/atomic.py)."""
        now = self.clock.now().timestamp()
        calendar = self.paths.cache_dir / "calendar"
        folders = (self.paths.config_dir, self.paths.data_dir, calendar, calendar / "feeds")
        for folder in folders:
            for path in remove_stale_temps(folder, now):
                log.info("removed %s, left by an interrupted write", path.name)
