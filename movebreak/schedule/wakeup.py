"""One pending wake-up, kept by APScheduler: the app sleeps until the core's next moment.

The core decides *when* (``Engine.next_wakeup``); this only makes sure ``callback``
runs then. There is never more than one job, and no job at all while nothing is
planned, so an idle app makes no wake-ups of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

log = logging.getLogger(__name__)
_JOB = "wakeup"


class WakeupTimer(Protocol):
    """Calls back once at a set moment; setting again replaces the moment."""

    def set(self, when: datetime | None) -> None: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...


class SchedulerWakeup:
    """``WakeupTimer`` on an APScheduler ``BackgroundScheduler`` with a single date job.

    APScheduler (and the asyncio it imports) is loaded in ``start``, which the app calls
    once its icon shows: jobs set before that are kept and handed over then, so the
    ~50 ms import never delays the icon.
    """

    def __init__(self, callback: Callable[[], None]) -> None:
        self._callback = callback
        self._scheduler: Any = None
        self._early: dict[str, Callable[[Any], None]] = {}  # job name -> how to add it

    def start(self) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler

        # misfire_grace_time=None: a late run still runs; the core decides what is too late.
        scheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        scheduler.start()
        self._scheduler = scheduler
        early, self._early = self._early, {}
        for add in early.values():
            add(scheduler)

    def _apply(self, name: str, change: Callable[[Any], None]) -> None:
        """Change the job ``name`` now, or once the scheduler runs."""
        if self._scheduler is None:
            self._early[name] = change
        else:
            change(self._scheduler)

    def set(self, when: datetime | None) -> None:
        if when is None:

            def remove(scheduler: Any) -> None:
                if scheduler.get_job(_JOB):
                    scheduler.remove_job(_JOB)

            self._apply(_JOB, remove)
            log.debug("no wake-up planned")
            return
        self.once(_JOB, when, self._callback)
        log.debug("next wake-up at %s", when.isoformat())

    def wakeup(self) -> None:
        """Look at the jobs again now: the wall clock moved under them (see watch/clock.py)."""
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.wakeup()

    def once(self, name: str, when: datetime, callback: Callable[[], None]) -> None:
        """Run ``callback`` once at ``when``; naming the same job again moves it."""
        job = _guarded(name, callback)
        self._apply(name, lambda scheduler: scheduler.add_job(
            job, "date", run_date=when, id=name, replace_existing=True))

    def repeat(
        self, name: str, every: timedelta, callback: Callable[[], None], first: datetime
    ) -> None:
        """Run ``callback`` at ``first``, then every ``every`` (a calendar refresh)."""
        job = _guarded(name, callback)
        self._apply(name, lambda scheduler: scheduler.add_job(
            job, "interval", seconds=every.total_seconds(), start_date=first, id=name,
            replace_existing=True))

    def stop(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)


def _guarded(name: str, callback: Callable[[], None]) -> Callable[[], None]:
    """``callback`` that logs its failure instead of raising: the scheduler stays alive."""

    def run() -> None:
        try:
            callback()
        except Exception:
            log.exception("%s failed", name)

    return run
