"""Today's tally for the tray ("Today: 5 of 8 resets"), kept up to date event by event.

The tray's line changes after every prompt, snooze and answer. Reading the whole
day back from the history each time would cost work (and memory at its peak) that
grows with the day; this keeps one small entry per prompt of the day instead, fed
by the same events the history records, and is seeded from the history once a day
(at start and when the date changes). The rules are those of ``core/stats.py``; the
tests check that both always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from movebreak.core.history import HistoryEvent
from movebreak.core.outcome import Outcome
from movebreak.core.stats import (
    MORNING_ROUTINE,
    DayStats,
    Fate,
    PromptSummary,
    daily_stats,
    fate_of,
    summarize_prompts,
)


@dataclass
class DayTally:
    """The prompts of one day with their fate so far; ``stats()`` folds them."""

    day: date
    _prompts: dict[int, tuple[str, Fate]] = field(default_factory=dict)

    @classmethod
    def from_history(cls, day: date, events: Iterable[HistoryEvent]) -> DayTally:
        """Seed from the history rows of ``day``'s prompts (rows of other days are ignored)."""
        tally = cls(day)
        for prompt in summarize_prompts(events):
            if prompt.day == day:
                tally._prompts[prompt.prompt_id] = (prompt.routine_id, prompt.fate)
        return tally

    def prompted(self, prompt_id: int, routine_id: str, day: date) -> None:
        """A new prompt was recorded; it counts only on the day it was made."""
        if day == self.day:
            self._prompts[prompt_id] = (routine_id, Fate.UNANSWERED)

    def recorded(self, prompt_id: int, kind: Outcome) -> None:
        """A later event of a prompt: the settling kinds give it its (latest) fate."""
        fate = fate_of(kind)
        known = self._prompts.get(prompt_id)
        if fate is not None and known is not None:  # unknown: a prompt of another day
            self._prompts[prompt_id] = (known[0], fate)

    def stats(self, morning_id: str = MORNING_ROUTINE) -> DayStats:
        """The day's figures, as ``movebreak stats`` gives them (minutes moved aside)."""
        prompts = (
            PromptSummary(pid, self.day, routine, fate, 0.0)
            for pid, (routine, fate) in self._prompts.items()
        )
        return daily_stats(prompts, morning_id).get(self.day, DayStats(self.day))
