"""Keep the timetable's view of the calendar fresh: load, classify, hand over the meetings.

Loading runs in a short-lived child process (``calendar.worker``), so the tray app
never holds icalendar or httpx in memory; it runs on the scheduler's worker thread,
never on the path to the icon. A failed load keeps the meetings from the last good
one, and a source that cannot be read this time (a feed down, a file too big or
half-written) keeps its own last good meetings while the others are refreshed.
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


def meetings_from(result: LoadResult, source: str | None = None) -> tuple[Meeting, ...]:
    """The occurrences that matter for prompts (timed, and a real meeting), of ``source``
    only when one is named."""
    return tuple(
        Meeting(o.start, o.end, o.kind, o.summary)
        for o in result.occurrences
        if o.kind is not MeetingKind.NONE and not o.all_day
        and (source is None or o.source == source)
    )


def failed_sources(settings: CalendarSettings, result: LoadResult) -> set[str]:
    """Names of the sources that gave nothing this time because they could not be read.

    A source failed when it brought no occurrence at all and a warning not about one
    event names it (its file, a file in its folder, or its feed).
    """
    read = {o.source for o in result.occurrences}
    failed = set()
    for source in settings.sources:
        if source.name in read:
            continue
        where = source.where
        if any(w.uid is None and (w.where == where or w.where.startswith(where + "/"))
               for w in result.warnings):
            failed.add(source.name)
    return failed


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
        self._by_source: dict[str, tuple[Meeting, ...]] = {}  # last good meetings of each
        self._child: Any = None  # the worker of a load in progress
        self._warned_plain: set[str] = set()  # plain http:// feeds already warned about

    def refresh(self, settings: CalendarSettings, tz: tzinfo, now: datetime) -> None:
        if not settings.sources:
            self._by_source = {}
            if self.last:
                self.last = ()
                self._on_meetings(())
            return
        self._warn_plain_http(settings)
        start = datetime.combine(now.astimezone(tz).date(), time(), tzinfo=tz)
        result = self._loader(settings, self.cache_dir, start, start + WINDOW, tz,
                              self._started)
        self._child = None
        for warning in result.warnings:
            log.warning("calendar: %s", warning)  # names the event, when it is one
        if any(w.where == WORKER_FAILED for w in result.warnings):
            log.warning("calendar: keeping the last good meetings (%d)", len(self.last))
            return
        failed = failed_sources(settings, result)
        by_source = {}
        for source in settings.sources:
            if source.name in failed and source.name in self._by_source:
                log.warning("calendar: %s could not be read: keeping its last good meetings "
                            "(%d)", source.where, len(self._by_source[source.name]))
                by_source[source.name] = self._by_source[source.name]
            else:
                by_source[source.name] = meetings_from(result, source.name)
        self._by_source = by_source
        meetings = tuple(sorted({m for found in by_source.values() for m in found},
                                key=lambda m: (m.start, m.end, m.title)))
        log.info(
            "calendar: %d occurrences, %d meetings that matter for prompts",
            len(result.occurrences),
            len(meetings),
        )
        if meetings != self.last:
            self.last = meetings
            self._on_meetings(meetings)

    def _warn_plain_http(self, settings: CalendarSettings) -> None:
        """Once per source (each load is a new worker; this app lives all day)."""
        for source in settings.sources:
            url = source.url or ""
            if url[:7].lower() != "http://" or url in self._warned_plain:
                continue
            self._warned_plain.add(url)
            from movebreak.calendar.redact import redact_url

            log.warning("calendar: %s fetches %s unencrypted (http://): its address and "
                        "your meetings can be read on the way; use https if the server "
                        "offers it", source.name, redact_url(url))

    def _started(self, child: Any) -> None:
        self._child = child

    def stop(self) -> None:
        """The app quits: end a load still waiting on a slow server."""
        child = self._child
        if child is not None and child.poll() is None:
            child.kill()
