"""The presence watch: look at idle time, the clocks and quiet signals when it matters.

It looks when the core's ``observe`` says (just when the user could first count as
away; every few seconds only while they are away or something asks for quiet), and
right before every timetable wake-up, so no prompt fires at an empty desk. Every
look is a couple of in-process calls; nothing forks, nothing spins.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from movebreak.app.clock import Clock
from movebreak.core.presence import Look, PresenceEvent, Tracker, observe

T = TypeVar("T")
log = logging.getLogger(__name__)

IdleReader = Callable[[], float | None]
ActivityWaiter = Callable[[float], bool]  # blocks until input or the timeout; True on input
# With a desktop that reports the user's return, looks while away are this rare.
AWAY_WATCH_WITH_EVENTS = timedelta(minutes=10)
QuietReader = Callable[[], str | None]
Scheduler = Callable[[datetime, Callable[[], None]], None]


class PresenceWatch:
    """Turns looks into presence events for the controller; schedules its next look."""

    def __init__(
        self,
        clock: Clock,
        idle: IdleReader,
        quiet: QuietReader,
        natural_break: Callable[[], timedelta],
        on_event: Callable[[PresenceEvent], None],
        schedule: Scheduler,
        monotonic: Callable[[], float] = time.monotonic,
        wait_for_activity: ActivityWaiter | None = None,
    ) -> None:
        self._clock = clock
        self._idle = idle
        self._quiet = quiet
        self._natural_break = natural_break
        self._on_event = on_event
        self._schedule = schedule
        self._monotonic = monotonic
        self._wait_for_activity = wait_for_activity
        self._waiting = False
        self._tracker = Tracker()
        self._lock = threading.RLock()

    def look(self) -> None:
        """Look now, report what changed, and plan the next look.

        Events are reported under the lock, so two looks racing (a timetable wake-up
        and a planned look) can never deliver "back" before "away".
        """
        away_watch = AWAY_WATCH_WITH_EVENTS if self._wait_for_activity else None
        with self._lock:
            now = self._clock.now()
            look = Look(now, self._monotonic(), _safely(self._idle), _safely(self._quiet))
            self._tracker, events, wait = observe(
                self._tracker, look, self._natural_break(), *([away_watch] if away_watch else [])
            )
            self._schedule(now + wait, self.look)
            for event in events:
                log.info(
                    "presence: %s%s",
                    event.kind.value,
                    f" since {event.since:%H:%M:%S}" if event.since else "",
                )
                self._on_event(event)
            if self._tracker.away_since is not None:
                self._wait_for_return()

    def _wait_for_return(self) -> None:
        """While away, block on the desktop's input events instead of looking every 20 s."""
        if self._wait_for_activity is None or self._waiting:
            return
        self._waiting = True
        waiter = self._wait_for_activity

        def wait() -> None:
            log.debug("away: waiting for the desktop to report input")
            try:
                while not waiter(AWAY_WATCH_WITH_EVENTS.total_seconds()):
                    if self._tracker.away_since is None:
                        return
            except Exception as error:
                log.warning("waiting for input failed (%s); looking every few seconds", error)
                self._wait_for_activity = None
            finally:
                self._waiting = False
            log.debug("away: input seen")
            self.look()

        threading.Thread(target=wait, name="presence-wait", daemon=True).start()


def _safely(read: Callable[[], T]) -> T | None:
    """A reading, or None when the source fails (a desktop service went away)."""
    try:
        return read()
    except Exception as error:
        log.debug("presence reading failed: %s", error)
        return None
