"""Write realistic history through the real store, day by day, for the stats tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from movebreak.core.outcome import Outcome
from movebreak.history import HistoryStore

BERLIN = ZoneInfo("Europe/Berlin")
# Friday 14 March 2025; the week began on Monday the 10th.
TODAY = date(2025, 3, 14)
NOW = datetime.combine(TODAY, time(17, 0), BERLIN)

OUTCOME = {
    "done": Outcome.COMPLETED,
    "snoozed": Outcome.SNOOZED,
    "skipped": Outcome.SKIPPED,
    "missed": Outcome.MISSED,
}


class Diary:
    """Writes a user's days into a history file the way the app would."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store = HistoryStore.open(path, tz=BERLIN)

    def day(
        self,
        day: date,
        resets: str = "",
        morning: str | None = None,
        reset_seconds: float = 120,
    ) -> None:
        """``resets`` is a string of outcomes: d(one) s(noozed) k (skipped) m(issed)
        u(nanswered), e.g. "ddsk"; ``morning`` is "done", "skipped", "missed" or None."""
        start = datetime.combine(day, time(8, 30), BERLIN)
        if morning is not None:
            pid = self.store.record_prompt("morning", start, 7)
            if morning == "done":
                self.store.record(pid, Outcome.STARTED, start)
                self.store.record(
                    pid,
                    Outcome.COMPLETED,
                    start + timedelta(minutes=15),
                    steps_done=7,
                    active_seconds=900,
                )
            else:
                self.store.record(pid, OUTCOME[morning], start + timedelta(minutes=1))
        letters = {"d": "done", "s": "snoozed", "k": "skipped", "m": "missed"}
        for n, letter in enumerate(resets):
            at = start + timedelta(hours=1 + n)
            pid = self.store.record_prompt("reset", at, 2)
            if letter == "u":
                continue
            outcome = OUTCOME[letters[letter]]
            if outcome is Outcome.COMPLETED:
                self.store.record(pid, Outcome.STARTED, at)
                self.store.record(
                    pid,
                    outcome,
                    at + timedelta(minutes=2),
                    steps_done=2,
                    active_seconds=reset_seconds,
                )
            else:
                self.store.record(pid, outcome, at + timedelta(minutes=1), steps_done=0)

    def close(self) -> None:
        self.store.close()
