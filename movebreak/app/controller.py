"""The controller: one lock, one state, and the core's answers turned into effects.

Every entry point (a menu click on the GUI thread, the wake-up on the scheduler's
thread, a config reload from the file watcher) takes the lock, asks the core for a
new state and events, then hands the results to the ports: notifier, timer, tray,
state file. Nothing here polls; the timer is set to the core's next moment.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from movebreak.app.clock import Clock
from movebreak.app.messages import config_problem_notice, notice_for
from movebreak.config.errors import Problem
from movebreak.config.model import Config
from movebreak.core.engine import Engine, Event, Result
from movebreak.core.state import Status, TimetableState
from movebreak.core.view import TrayView, tray_view
from movebreak.notify.base import Notifier
from movebreak.schedule.wakeup import WakeupTimer

log = logging.getLogger(__name__)

# While a routine runs the tray ring is redrawn this often at most.
PROGRESS_REFRESH = timedelta(seconds=20)

EventSink = Callable[[Event], None]


class Controller:
    """Owns the timetable state; the only place where it changes."""

    def __init__(
        self,
        engine: Engine,
        state: TimetableState,
        clock: Clock,
        notifier: Notifier,
        timer: WakeupTimer,
        save: Callable[[TimetableState], None],
    ) -> None:
        self._lock = threading.RLock()
        self._engine = engine
        self._state = state
        self._clock = clock
        self._notifier = notifier
        self._timer = timer
        self._save = save
        self._view_listeners: list[Callable[[TrayView], None]] = []
        self._event_sinks: list[EventSink] = []
        self.view = tray_view(engine, state, clock.now())

    # ----- wiring ------------------------------------------------------------
    def on_view(self, listener: Callable[[TrayView], None]) -> None:
        """Call ``listener`` with every new tray view (the tray icon subscribes)."""
        self._view_listeners.append(listener)

    def on_event(self, sink: EventSink) -> None:
        """Call ``sink`` with every core event (the log and the history subscribe)."""
        self._event_sinks.append(sink)

    @property
    def config(self) -> Config:
        return self._engine.config

    @property
    def state(self) -> TimetableState:
        return self._state

    # ----- the clock ---------------------------------------------------------
    def tick(self) -> None:
        """The timer fired (or anything changed): bring the state up to now."""
        self._apply(lambda now: self._engine.advance(self._state, now))

    # ----- the user ----------------------------------------------------------
    def activate(self) -> None:
        """Left click: start what is due, else say what is next."""
        with self._lock:
            due = self._state.pending is not None
        if due:
            self.start_routine(None)
        else:
            from movebreak.notify.base import Notice

            self._notifier.show(Notice("movebreak", self.view.headline, timedelta(seconds=8)))

    def start_routine(self, routine_id: str | None) -> None:
        self._apply(lambda now: self._engine.start(self._state, now, routine_id))

    def snooze(self, length: timedelta | None = None) -> None:
        wait = length or self.config.prompts.snooze
        self._apply(lambda now: self._engine.snooze(self._state, now, wait))

    def skip(self) -> None:
        self._apply(lambda now: self._engine.skip(self._state, now))

    def done(self) -> None:
        self._apply(lambda now: self._engine.done(self._state, now))

    def pause(self, length: timedelta | None) -> None:
        """Pause for ``length``, or until tomorrow when it is None."""

        def step(now: datetime) -> Result:
            until = now + length if length else self._engine.pause_until_tomorrow(now)
            return self._engine.pause(self._state, now, until)

        self._apply(step)

    def resume(self) -> None:
        self._apply(lambda now: self._engine.resume(self._state, now))

    # ----- config ------------------------------------------------------------
    def use_config(self, engine: Engine) -> None:
        """A valid config was loaded: plan with it from now on, keeping the state."""
        with self._lock:
            self._engine = engine
        log.info("config loaded from %s", engine.config.source)
        self.tick()

    def config_failed(self, problems: list[Problem]) -> None:
        """A config edit is broken: say where, once, and keep the last good one."""
        for problem in problems:
            log.error("config: %s", problem)
        self._notifier.show(config_problem_notice(problems))

    # ----- internals ---------------------------------------------------------
    def _apply(self, step: Callable[[datetime], Result]) -> None:
        with self._lock:
            now = self._clock.now()
            state, events = step(now)
            if events == [] and state == self._state:
                self._reschedule(now)
                return
            # Catch up with the clock in the same step: a resumed pause or a due prompt.
            state, more = self._engine.advance(state, now)
            self._state = state
            self._save_quietly(state)
            for event in [*events, *more]:
                self._emit(event)
            self._reschedule(now)

    def _emit(self, event: Event) -> None:
        log.info(
            "event %s %s%s",
            event.outcome.value,
            event.routine or "",
            f" ({event.detail})" if event.detail else "",
        )
        for sink in self._event_sinks:
            try:
                sink(event)
            except Exception:
                log.exception("event sink failed")
        notice = notice_for(event, self._engine.config)
        if notice is not None:
            self._notifier.show(notice)

    def _reschedule(self, now: datetime) -> None:
        wake = self._engine.next_wakeup(self._state, now)
        if self._engine.status(self._state, now) is Status.RUNNING:
            wake = min(filter(None, (wake, now + PROGRESS_REFRESH)))
        if wake is not None and wake <= now:
            wake = now + timedelta(seconds=1)  # never spin, even on a rule that fails to move on
        self._timer.set(wake)
        self.view = tray_view(self._engine, self._state, now)
        for listener in self._view_listeners:
            try:
                listener(self.view)
            except Exception:
                log.exception("view listener failed")

    def _save_quietly(self, state: TimetableState) -> None:
        try:
            self._save(state)
        except OSError as error:
            log.warning("could not save the state: %s", error)
