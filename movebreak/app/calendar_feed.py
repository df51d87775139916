"""Keep the timetable's view of the calendar fresh: load, classify, hand over the meetings.

Loading runs in a short-lived child process (``calendar.worker``), so the tray app
never holds icalendar or httpx in memory; it runs on the scheduler's worker thread,
never on the path to the icon. A failed load keeps the meetings from the last good
one: a flaky network must not make the app forget a call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

from movebreak.calendar.models import LoadResult
from movebreak.calendar.settings import CalendarSettings
from movebreak.core.agenda import Meeting
from movebreak.core.meeting_facts import MeetingKind

log = logging.getLogger(__name__)

# Today and tomorrow: enough for every prompt the app plans ahead.
WINDOW = timedelta(days=2)
WORKER_FAILED = "calendar worker"

Loader = Callable[..., LoadResult]


def meetings_from(result: LoadResult) -> tuple[Meeting, ...]:
    """The occurrences that matter for prompts (timed, and a real meeting)."""
    return tuple(
        Meeting(o.start, o.end, o.kind, o.summary)
        for o in result.occurrences
        if o.kind is not MeetingKind.NONE and not o.all_day
    )


def _load_in_child(
    settings: CalendarSettings,
    cache_dir: Path,
    start: datetime,
    end: datetime,
    tz: tzinfo,
    on_start: Callable[[Any], None],
) -> LoadResult:
    from movebreak.calendar.worker import load_in_subprocess

    return load_in_subprocess(settings, cache_dir, start, end, tz, on_start=on_start)


class CalendarFeed:
    """Loads the configured calendars on demand and reports their meetings."""

    def __init__(
        self,
        cache_dir: Path,
        on_meetings: Callable[[tuple[Meeting, ...]], None],
        loader: Loader = _load_in_child,
    ) -> None:
        self.cache_dir = cache_dir
        self._on_meetings = on_meetings
        self._loader = loader
        self.last: tuple[Meeting, ...] = ()
        self._child: Any = None  # the worker of a load in progress

    def refresh(self, settings: CalendarSettings, tz: tzinfo, now: datetime) -> None:
        if not settings.sources:
            if self.last:
                self.last = ()
                self._on_meetings(())
            return
        start = datetime.combine(now.astimezone(tz).date(), time(), tzinfo=tz)
        result = self._loader(settings, self.cache_dir, start, start + WINDOW, tz,
                              self._started)
        self._child = None
        for warning in result.warnings:
            log.warning("calendar: %s: %s", warning.where, warning.message)
        if any(w.where == WORKER_FAILED for w in result.warnings):
            log.warning("calendar: keeping the last good meetings (%d)", len(self.last))
            return
        meetings = meetings_from(result)
        log.info(
            "calendar: %d occurrences, %d meetings that matter for prompts",
            len(result.occurrences),
            len(meetings),
        )
        if meetings != self.last:
            self.last = meetings
            self._on_meetings(meetings)

    def _started(self, child: Any) -> None:
        self._child = child

    def stop(self) -> None:
        """The app quits: end a load still waiting on a slow server."""
        child = self._child
        if child is not None and child.poll() is None:
            child.kill()
