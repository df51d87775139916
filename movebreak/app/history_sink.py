"""Write every core event to the history, one row each, as it happens.

The core speaks of routines and outcomes; the history speaks of prompts (one id
from the moment a routine is offered until it is done, skipped, missed or paused,
kept across a snooze so the stats judge each prompt once, by its last outcome).
This sink keeps that mapping. A history that cannot be opened turns the feature
off with one log line; the app itself never stops for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from pathlib import Path

from movebreak.config.model import Config
from movebreak.core.events import SKIPPED_AHEAD, Event, Outcome
from movebreak.core.state import Source
from movebreak.core.stats import today_line
from movebreak.core.tally import DayTally
from movebreak.history import HistoryError, HistoryStore
from movebreak.i18n import language

log = logging.getLogger(__name__)

# Outcomes after which a prompt is still waiting for its answer.
_OPEN = frozenset({Outcome.PROMPTED, Outcome.STARTED, Outcome.SNOOZED})

_KIND = {
    Outcome.STARTED: Outcome.STARTED,
    Outcome.COMPLETED: Outcome.COMPLETED,
    Outcome.SNOOZED: Outcome.SNOOZED,
    Outcome.SKIPPED: Outcome.SKIPPED,
    Outcome.MISSED: Outcome.MISSED,
    Outcome.PAUSED: Outcome.PAUSED,
}


class HistoryRecorder:
    """An event sink for the controller; opens the database on first use."""

    def __init__(self, path: Path, config: Callable[[], Config], tz: Callable[[], tzinfo]) -> None:
        self.path = path
        self._config = config
        self._tz = tz
        self._store: HistoryStore | None = None
        self._broken = False
        self._open_ids: dict[str, int] = {}  # routine -> prompt id offered, running or snoozed
        self._snoozed: dict[str, int] = {}
        self._tally: DayTally | None = None  # today's prompts, for the tray's line

    def store(self) -> HistoryStore | None:
        if self._store is None and not self._broken:
            try:
                self._store = HistoryStore.open(self.path, tz=self._tz())
                for moved in self._store.moved_aside:
                    log.warning("history: an unusable file was moved aside to %s", moved)
            except (HistoryError, OSError) as error:
                self._broken = True
                log.error("history is off: %s", error)
        return self._store

    def __call__(self, event: Event) -> None:
        store = self.store()
        if store is None or event.routine is None:
            return
        try:
            self._record(store, event)
        except Exception as error:  # sqlite3 errors, a full disk: log, never stop the app
            log.error("history: could not record %s: %s", event.outcome.value, error)

    def _new_prompt(self, store: HistoryStore, event: Event) -> int:
        assert event.routine is not None
        routine = self._config().routines.get(event.routine)
        steps = len(routine.steps_for(event.rotation)) if routine else 0
        pid = store.record_prompt(event.routine, event.at, steps)
        if self._tally is not None:
            self._tally.prompted(pid, event.routine, self._day_of(event.at))
        return pid

    def _record(self, store: HistoryStore, event: Event) -> None:
        routine = event.routine
        assert routine is not None
        if event.outcome is Outcome.PROMPTED:
            # Back after a snooze, or offered again unanswered: the same prompt as before.
            again = (self._snoozed.pop(routine, None) or self._open_ids.get(routine)
                     if event.source is Source.SNOOZE else None)
            if again is not None:
                store.record(again, Outcome.PROMPTED, event.at)  # settles nothing: no tally
            self._open_ids[routine] = again or self._new_prompt(store, event)
            return
        if event.outcome not in _KIND:
            return
        if event.outcome is Outcome.SKIPPED and event.detail == SKIPPED_AHEAD:
            return  # the user skipped a prompt before it came: nothing was prompted
        pid = self._open_ids.get(routine)
        if pid is None and event.outcome is not Outcome.STARTED:
            pid = self._snoozed.pop(routine, None) or self._still_open(store, routine, event)
        if pid is None or (event.outcome is Outcome.STARTED and event.source is Source.MANUAL):
            pid = self._new_prompt(store, event)
            self._open_ids[routine] = pid
        if event.session is not None and event.outcome in (
            Outcome.COMPLETED,
            Outcome.SKIPPED,
            Outcome.SNOOZED,
        ):
            store.record_result(pid, event.session)
            kind = Outcome(event.session.outcome.value)  # the kind record_result writes
        elif event.session is not None:
            kind = _KIND[event.outcome]
            store.record(
                pid,
                kind,
                event.at,
                steps_done=event.session.steps_done,
                active_seconds=event.session.active_seconds,
            )
        else:
            kind = _KIND[event.outcome]
            store.record(pid, kind, event.at)
        if self._tally is not None:
            self._tally.recorded(pid, kind)
        if event.outcome is not Outcome.STARTED:
            self._open_ids.pop(routine, None)
        if event.outcome is Outcome.SNOOZED:
            self._snoozed[routine] = pid

    def _day_of(self, at: datetime) -> date:
        return at.astimezone(self._tz()).date()

    def _still_open(self, store: HistoryStore, routine: str, event: Event) -> int | None:
        """Today's prompt of ``routine`` with no outcome yet (the app restarted meanwhile)."""
        last: dict[int, Outcome] = {}
        day = self._day_of(event.at)
        for row in store.events(since=day):
            if row.routine_id == routine:
                last[row.prompt_id] = row.kind
        open_ids = [pid for pid, kind in last.items() if kind in _OPEN]
        return max(open_ids) if open_ids else None

    def today(self, now: datetime) -> str:
        """The tray's "Today: 5 of 8 resets · morning done" line.

        Read from the history once a day (at the first call, and when the date
        changes); between, the tally follows the events this recorder writes.
        """
        store = self.store()
        if store is None:
            return language().gettext("Today: history is off")
        day = self._day_of(now)
        if self._tally is None or self._tally.day != day:
            self._tally = DayTally.from_history(day, store.events(since=day, until=day))
        return today_line(self._tally.stats(self._config().morning.routine), language())

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
