"""One pending wake-up, kept by APScheduler: the app sleeps until the core's next moment.

The core decides *when* (``Engine.next_wakeup``); this only makes sure ``callback``
runs then. There is never more than one job, and no job at all while nothing is
planned, so an idle app makes no wake-ups of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

log = logging.getLogger(__name__)
_JOB = "wakeup"


class WakeupTimer(Protocol):
    """Calls back once at a set moment; setting again replaces the moment."""

    def set(self, when: datetime | None) -> None: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...


class SchedulerWakeup:
    """``WakeupTimer`` on an APScheduler ``BackgroundScheduler`` with a single date job."""

    def __init__(self, callback: Callable[[], None]) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler

        self._callback = callback
        # misfire_grace_time=None: a late run still runs; the core decides what is too late.
        self._scheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )

    def start(self) -> None:
        self._scheduler.start()

    def set(self, when: datetime | None) -> None:
        if when is None:
            if self._scheduler.get_job(_JOB):
                self._scheduler.remove_job(_JOB)
            log.debug("no wake-up planned")
            return
        self._scheduler.add_job(self._run, "date", run_date=when, id=_JOB, replace_existing=True)
        log.debug("next wake-up at %s", when.isoformat())

    def wakeup(self) -> None:
        """Look at the jobs again now: the wall clock moved under them (see clock_watch)."""
        if self._scheduler.running:
            self._scheduler.wakeup()

    def _run(self) -> None:
        _guarded("wake-up", self._callback)()

    def once(self, name: str, when: datetime, callback: Callable[[], None]) -> None:
        """Run ``callback`` once at ``when``; naming the same job again moves it."""
        self._scheduler.add_job(
            _guarded(name, callback), "date", run_date=when, id=name, replace_existing=True
        )

    def repeat(
        self, name: str, every: timedelta, callback: Callable[[], None], first: datetime
    ) -> None:
        """Run ``callback`` at ``first``, then every ``every`` (a calendar refresh)."""
        self._scheduler.add_job(
            _guarded(name, callback),
            "interval",
            seconds=every.total_seconds(),
            start_date=first,
            id=name,
            replace_existing=True,
        )

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)


def _guarded(name: str, callback: Callable[[], None]) -> Callable[[], None]:
    """``callback`` that logs its failure instead of raising: the scheduler stays alive."""

    def run() -> None:
        try:
            callback()
        except Exception:
            log.exception("%s failed", name)

    return run
