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

from movebreak.app.clock import Clock
from movebreak.core.presence import Look, PresenceEvent, Tracker, observe

log = logging.getLogger(__name__)

IdleReader = Callable[[], float | None]
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
    ) -> None:
        self._clock = clock
        self._idle = idle
        self._quiet = quiet
        self._natural_break = natural_break
        self._on_event = on_event
        self._schedule = schedule
        self._monotonic = monotonic
        self._tracker = Tracker()
        self._lock = threading.Lock()

    def look(self) -> None:
        """Look now, report what changed, and plan the next look."""
        with self._lock:
            now = self._clock.now()
            look = Look(now, self._monotonic(), _safely(self._idle), _safely(self._quiet))
            self._tracker, events, wait = observe(self._tracker, look, self._natural_break())
            self._schedule(now + wait, self.look)
        for event in events:
            log.info(
                "presence: %s%s",
                event.kind.value,
                f" since {event.since:%H:%M:%S}" if event.since else "",
            )
            self._on_event(event)


def _safely(read: Callable[[], object]) -> object:
    """A reading, or None when the source fails (a desktop service went away)."""
    try:
        return read()
    except Exception as error:
        log.debug("presence reading failed: %s", error)
        return None
