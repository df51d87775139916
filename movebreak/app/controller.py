"""The controller: one lock, one state, and the core's answers turned into effects.

Every entry point (a menu click on the GUI thread, the wake-up on the scheduler's
thread, a window button on its reader thread, a config reload from the file
watcher) takes the lock, asks the core for a new state and events, then hands the
results to the ports: notifier, timer, tray, state file, history. While a routine
runs, a ``GuidedRoutine`` walks the user through it and its result goes back to the
core. Nothing here polls; the timer is set to the next moment that matters.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from typing import Any

from movebreak.app.clock import Clock
from movebreak.app.guided import GuidedRoutine
from movebreak.app.messages import config_problem_notice, notice_for
from movebreak.config.errors import Problem
from movebreak.config.model import Config
from movebreak.core import away
from movebreak.core.agenda import Meeting
from movebreak.core.commands import (
    Activate,
    Command,
    InRoutine,
    Reply,
    Skip,
    Start,
    ending,
)
from movebreak.core.engine import Engine
from movebreak.core.events import Event, Outcome, Result
from movebreak.core.presence import SLEEP_SLACK, PresenceEvent, PresenceKind, clock_jump
from movebreak.core.session_events import SessionResult
from movebreak.core.state import TimetableState
from movebreak.core.view import TrayView, tray_view
from movebreak.guide.display import NoDisplay, SessionDisplay
from movebreak.i18n import language
from movebreak.notify.base import Notice, Notifier
from movebreak.schedule.wakeup import WakeupTimer
from movebreak.sound.player import CuePlayer

log = logging.getLogger(__name__)

# While a routine runs the tray ring is redrawn this often at most.
PROGRESS_REFRESH = timedelta(seconds=20)
# How long quitting waits for the lock before it goes on without it.
SHUTDOWN_WAIT = 5.0

EventSink = Callable[[Event], None]


class Controller:
    """Owns the timetable state and the running routine; the only place where they change."""

    def __init__(
        self,
        engine: Engine,
        state: TimetableState,
        clock: Clock,
        notifier: Notifier,
        timer: WakeupTimer,
        save: Callable[[TimetableState], None],
        display: SessionDisplay | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sound: CuePlayer | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._engine = engine
        self._state = state
        self._clock = clock
        self._monotonic = monotonic
        self._seen: tuple[datetime, float] | None = None  # the clocks at the last change
        self._notifier = notifier
        self._timer = timer
        self._save = save
        self._display = display or NoDisplay()
        self._guided: GuidedRoutine | None = None
        self._sound = sound
        self._started = False  # nothing is planned before start_up took over the saved state
        self._view_listeners: list[Callable[[TrayView], None]] = []
        self._event_sinks: list[EventSink] = []
        self.view = tray_view(engine, state, clock.now(), words=language())

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

    @property
    def engine_tz(self) -> tzinfo:
        return self._engine.tz

    def shutdown(self, wait: float = SHUTDOWN_WAIT) -> None:
        """Quitting: close the timer window; a running routine is picked up as interrupted.

        Waits at most ``wait`` seconds for the lock: a thread stuck inside it must not
        keep the app from quitting (the window is closed all the same).
        """
        got = self._lock.acquire(timeout=wait)
        if not got:
            log.warning("quitting without the controller's lock: it was held over %.0f s", wait)
        try:
            self._display.close()
        finally:
            if got:
                self._lock.release()

    @property
    def guided(self) -> GuidedRoutine | None:
        return self._guided

    def status_report(self) -> dict[str, Any]:
        """The control channel's status: what is next, what runs, paused or not."""
        from movebreak.control.report import status_report

        with self._lock:
            return status_report(self._engine, self._state, self._clock.now(), self.view)

    # ----- the clock ---------------------------------------------------------
    def tick(self) -> None:
        """The timer fired (or anything changed): bring everything up to now."""
        with self._lock:
            if not self._started:
                return
            now = self._clock.now()
            if self._guided is not None:
                result = self._guided.tick(now)
                if result is not None:
                    self._finish(result)
                    return
            elif self._state.running is not None:  # a routine from before a restart
                self._apply(lambda n: self._engine.skip(self._state, n), detail="interrupted")
                return
            self._apply(lambda n: self._engine.advance(self._state, n))

    # ----- the user ----------------------------------------------------------
    def handle(self, command: Command, *, in_routine: bool = False) -> Reply:
        """Apply the user's ``command``; ``in_routine``: it came from the routine's window
        or step notice, so it means nothing once that routine is over."""
        if isinstance(command, Activate):
            return self._activate()
        if isinstance(command, Start) and command.routine is not None:
            from movebreak.control.report import resolve_routine

            command = Start(resolve_routine(self.config, command.routine))
        with self._lock:
            guided, mode = self._guided, command.in_routine
            if guided is None or mode is InRoutine.LEAVES:
                if not in_routine and mode is not InRoutine.STEP:
                    self._apply(lambda now: self._engine.apply(self._state, now, command))
            elif mode is InRoutine.DROPS:
                self._guided = None
                result = guided.abandon(self._clock.now())
                self._apply(lambda now: self._engine.apply(self._state, now, command),
                            session=result)
            else:
                taken = Skip() if mode is InRoutine.SKIPS else command
                result = guided.act(taken, self._clock.now())
                if result is not None:
                    self._finish(result, taken)
                else:
                    self._reschedule(self._clock.now())
                if mode is InRoutine.SKIPS:
                    self._apply(lambda now: self._engine.apply(self._state, now, command))
        return Reply()

    def _activate(self) -> Reply:
        """Left click: start what is due, else say what is next."""
        with self._lock:
            due = self._state.pending is not None
        if due:
            return self.handle(Start())
        self._notifier.show(Notice("movebreak", self.view.headline, timedelta(seconds=8)))
        return Reply()

    def window_failed(self) -> None:
        """The timer window did not open: the routine goes on by notifications."""
        with self._lock:
            if self._guided is not None:
                self._guided.window_failed(self._clock.now())
                self._reschedule(self._clock.now())

    # ----- config ------------------------------------------------------------
    def start_up(self) -> None:
        """A new process takes over the saved state; then bring everything up to now."""
        with self._lock:
            now = self._clock.now()
            self._seen = (now, self._monotonic())
            self._state = self._engine.start_up(self._state, now)
            self._started = True
        self.tick()

    def use_config(self, engine: Engine) -> None:
        """A valid config was loaded: plan with it from now on, keeping state and meetings.

        A pending, snoozed or running routine the new config no longer has is dropped.
        """
        with self._lock:
            self._engine = engine.with_desktop_of(self._engine)
            known = engine.config.routines
            state = self._state
            gone = [
                p
                for p in (state.pending, state.snoozed, state.running)
                if p is not None and p.routine not in known
            ]
            if gone:
                log.info(
                    "config: dropping %s (no such routine any more)",
                    ", ".join(p.routine for p in gone),
                )
                if self._guided is not None and self._guided.routine_id not in known:
                    self._display.close()
                    self._guided = None
                self._state = replace(
                    state,
                    pending=None if state.pending in gone else state.pending,
                    snoozed=None if state.snoozed in gone else state.snoozed,
                    running=None if state.running in gone else state.running,
                )
        log.info("config loaded from %s", engine.config.source)
        self.tick()

    def sees_fullscreen(self, sees: bool) -> None:
        """Whether the desktop can tell a fullscreen window (else unanswered prompts recur)."""
        with self._lock:
            self._engine = self._engine.seeing_fullscreen(sees)

    def use_meetings(self, meetings: tuple[Meeting, ...]) -> None:
        """A fresh view of the calendar (or a live call started or ended)."""
        with self._lock:
            self._engine = self._engine.with_meetings(meetings)
        self.tick()

    def presence(self, event: PresenceEvent) -> None:
        """Away, back, asleep, quiet: the core decides what that means for prompts."""
        operations: dict[PresenceKind, Callable[[datetime], Result]] = {
            PresenceKind.AWAY: lambda n: away.went_away(
                self._engine, self._state, event.since or n
            ),
            PresenceKind.BACK: lambda n: away.came_back(self._engine, self._state, n),
            PresenceKind.SLEPT: lambda n: away.slept(
                self._engine, self._state, event.since or n, event.at
            ),
            PresenceKind.QUIET: lambda n: away.quiet_started(
                self._engine, self._state, event.reason
            ),
            PresenceKind.QUIET_ENDED: lambda n: away.quiet_ended(self._engine, self._state, n),
            # _apply has already carried the state across the step (see _follow_clock)
            PresenceKind.CLOCK_BACK: lambda n: self._engine.advance(self._state, n),
        }
        self._apply(operations[event.kind])

    def config_failed(self, problems: list[Problem]) -> None:
        """A config edit is broken: say where, once, and keep the last good one."""
        for problem in problems:
            log.error("config: %s", problem)
        self._notifier.show(config_problem_notice(problems))

    # ----- internals ---------------------------------------------------------
    def _finish(self, result: SessionResult, by: Command | None = None) -> None:
        """The guided routine is over: tell the core how it went (``by`` a snooze of
        some length, say)."""
        self._guided = None
        command = ending(result.outcome)
        if type(by) is type(command):
            command = by
        self._apply(lambda now: self._engine.apply(self._state, now, command), session=result)

    def _apply(
        self,
        step: Callable[[datetime], Result],
        *,
        session: SessionResult | None = None,
        detail: str = "",
    ) -> None:
        with self._lock:
            now = self._clock.now()
            before = self._state
            events = self._follow_clock(now)
            state, done = step(now)
            if session is not None or detail:
                done = [self._annotate(e, session, detail) for e in done]
            state, done = self._engine.settle((state, done), now)
            events += done
            changed = state != before
            self._state = state
            if changed:
                self._save_quietly(state)
            for event in events:
                self._emit(event, now)
            self._reschedule(now)

    def _follow_clock(self, now: datetime) -> list[Event]:
        """Carry the state across a wall clock set back since the last change.

        Checked here, under the lock, before every change: a change made after the
        step (a skip that raced the clock watch) is already in the new time, and must
        not be moved back with the moments recorded before it. Forward jumps are
        sleeps, which the presence watch reports with what it knows of idle time.
        """
        mono = self._monotonic()
        seen, self._seen = self._seen, (now, mono)
        jump = clock_jump(seen, now, mono) if seen is not None else timedelta(0)
        if jump >= -SLEEP_SLACK:
            return []
        log.info("the wall clock was set back by %s", -jump)
        self._state, events = away.clock_set_back(self._engine, self._state, now, -jump)
        return events

    @staticmethod
    def _annotate(event: Event, session: SessionResult | None, detail: str) -> Event:
        if event.routine is None or event.outcome in (Outcome.PROMPTED, Outcome.STARTED):
            return event
        if session is not None and event.routine == session.routine_id:
            event = replace(event, session=session)
        return replace(event, detail=detail) if detail else event

    def _emit(self, event: Event, now: datetime) -> None:
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
        started = event.outcome is Outcome.STARTED and event.routine is not None
        if notice is not None and not (started and self._window_wanted()):
            self._notifier.show(notice)  # "Started" only where no window shows the same
        if started:
            self._begin(event, now, notice)

    def _window_wanted(self) -> bool:
        return self._engine.config.guide.window and self._display.available

    def _begin(self, event: Event, now: datetime, started: Notice | None = None) -> None:
        assert event.routine is not None
        config = self._engine.config
        window = self._window_wanted()
        self._guided = GuidedRoutine(
            config.routine(event.routine),
            event.rotation,
            config,
            self._display,
            self._notifier,
            window,
            now,
            self._sound,
            started,
        )

    def _reschedule(self, now: datetime) -> None:
        moments = [self._engine.next_wakeup(self._state, now)]
        if self._guided is not None:
            moments += [self._guided.deadline(now), now + PROGRESS_REFRESH]
        wake = min(filter(None, moments), default=None)
        if wake is not None and wake <= now:
            wake = now + timedelta(milliseconds=50)  # never spin on a moment already past
        self._timer.set(wake)
        session = self._guided.view(now) if self._guided is not None else None
        self.view = tray_view(self._engine, self._state, now, session, language())
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
