"""Stats from history rows: pure functions, no database, no clock.

The rules, written down because users will check the numbers against their memory:

* A prompt belongs to the day it was made (its ``prompted`` row), even when it was
  answered after midnight. Its fate is its last settling event: a snoozed prompt that
  came back and was completed counts once, as done. A prompt with no settling event
  is *unanswered* (still showing, or the app quit before the user answered).
* "Resets" are the prompts of every routine but the morning one, which is tracked
  on its own: "5 of 8 resets" counts the short breaks of the day.
* Minutes moved are the measured active minutes (pauses excluded) of every session,
  morning routine included, started or not completed: moving counts even when the
  user skipped the rest.
* The morning streak counts days with the morning routine done, back from today:
  a workday on which the app ran (any prompt recorded) without the morning routine
  breaks it; a weekend, or a day the app did not run at all (holiday, sick day,
  laptop off), never breaks it, and doing the morning routine on such a day still
  adds to it. Today counts once done and never breaks it, since the day is not over.
* The week's completion rate is resets done over resets prompted from Monday of
  the current week to today.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from movebreak.core.history import HistoryEvent
from movebreak.core.outcome import Outcome
from movebreak.core.words import ENGLISH, Words

MORNING_ROUTINE = "morning"
WORKDAYS = frozenset(range(5))  # Monday to Friday, as date.weekday() numbers


class Fate(Enum):
    """What became of one prompt in the end."""

    DONE = "done"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"
    MISSED = "missed"
    UNANSWERED = "unanswered"


_FATE_OF_KIND = {
    Outcome.COMPLETED: Fate.DONE,
    Outcome.SNOOZED: Fate.SNOOZED,
    Outcome.SKIPPED: Fate.SKIPPED,
    Outcome.MISSED: Fate.MISSED,
}


def fate_of(kind: Outcome) -> Fate | None:
    """The fate an event of ``kind`` settles its prompt on; None if it settles nothing."""
    return _FATE_OF_KIND.get(kind)


@dataclass(frozen=True)
class PromptSummary:
    """One prompt reduced to what the stats need."""

    prompt_id: int
    day: date
    routine_id: str
    fate: Fate
    active_seconds: float


@dataclass(frozen=True)
class DayStats:
    """The figures of one calendar day (resets exclude the morning routine)."""

    day: date
    prompted: int = 0
    done: int = 0
    snoozed: int = 0
    skipped: int = 0
    missed: int = 0
    unanswered: int = 0
    minutes_moved: float = 0.0
    morning_prompted: bool = False
    morning_done: bool = False

    @property
    def any_prompt(self) -> bool:
        """True when the app prompted anything that day (so it was running)."""
        return self.prompted > 0 or self.morning_prompted


@dataclass(frozen=True)
class Summary:
    """What ``movebreak stats`` prints: the days asked for, the streak and the week."""

    days: tuple[DayStats, ...]
    today: DayStats
    streak: int
    week_done: int
    week_prompted: int

    @property
    def week_rate(self) -> float | None:
        """Resets done over resets prompted this week; None before the first prompt."""
        return self.week_done / self.week_prompted if self.week_prompted else None


def summarize_prompts(events: Iterable[HistoryEvent]) -> list[PromptSummary]:
    """Fold the rows of each prompt into its day, routine, fate and active time."""
    first: dict[int, HistoryEvent] = {}
    fate: dict[int, Fate] = {}
    active: dict[int, float] = {}
    # Write order (the row id) is the truth; ``at`` may step back with the clock.
    for event in sorted(events, key=lambda e: e.id):
        pid = event.prompt_id
        first.setdefault(pid, event)
        if event.kind in _FATE_OF_KIND:
            fate[pid] = _FATE_OF_KIND[event.kind]
        if event.active_seconds:
            active[pid] = active.get(pid, 0.0) + event.active_seconds
    return [
        PromptSummary(
            prompt_id=pid,
            day=head.local_date,
            routine_id=head.routine_id,
            fate=fate.get(pid, Fate.UNANSWERED),
            active_seconds=active.get(pid, 0.0),
        )
        for pid, head in first.items()
    ]


def daily_stats(
    prompts: Iterable[PromptSummary], morning_id: str = MORNING_ROUTINE
) -> dict[date, DayStats]:
    """Per-day figures for the days that have prompts (other days are all zero)."""
    counts: dict[date, dict[str, float]] = {}
    for prompt in prompts:
        day = counts.setdefault(prompt.day, {})
        day["minutes_moved"] = day.get("minutes_moved", 0.0) + prompt.active_seconds / 60
        if prompt.routine_id == morning_id:
            day["morning_prompted"] = 1
            if prompt.fate is Fate.DONE:
                day["morning_done"] = 1
            continue
        day["prompted"] = day.get("prompted", 0) + 1
        day[prompt.fate.value] = day.get(prompt.fate.value, 0) + 1
    return {
        day: DayStats(
            day=day,
            prompted=int(c.get("prompted", 0)),
            done=int(c.get("done", 0)),
            snoozed=int(c.get("snoozed", 0)),
            skipped=int(c.get("skipped", 0)),
            missed=int(c.get("missed", 0)),
            unanswered=int(c.get("unanswered", 0)),
            minutes_moved=round(c.get("minutes_moved", 0.0), 1),
            morning_prompted=bool(c.get("morning_prompted")),
            morning_done=bool(c.get("morning_done")),
        )
        for day, c in counts.items()
    }


def morning_streak(
    by_day: Mapping[date, DayStats], today: date, workdays: frozenset[int] = WORKDAYS
) -> int:
    """Days with the morning routine done, back from today (rules in the module doc)."""
    if not by_day:
        return 0
    earliest = min(by_day)
    streak = 0
    day = today
    while day >= earliest:
        stats = by_day.get(day)
        if stats is not None and stats.morning_done:
            streak += 1
        elif day != today and day.weekday() in workdays and stats and stats.any_prompt:
            break
        day -= timedelta(days=1)
    return streak


def summarize(
    events: Iterable[HistoryEvent],
    today: date,
    *,
    days: int = 7,
    morning_id: str = MORNING_ROUTINE,
    workdays: frozenset[int] = WORKDAYS,
) -> Summary:
    """The whole report. Pass enough history for the streak (a year is plenty)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    by_day = daily_stats(summarize_prompts(events), morning_id)
    window = tuple(
        by_day.get(d, DayStats(d))
        for d in (today - timedelta(days=n) for n in range(days - 1, -1, -1))
    )
    monday = today - timedelta(days=today.weekday())
    week = [s for d, s in by_day.items() if monday <= d <= today]
    return Summary(
        days=window,
        today=by_day.get(today, DayStats(today)),
        streak=morning_streak(by_day, today, workdays),
        week_done=sum(s.done for s in week),
        week_prompted=sum(s.prompted for s in week),
    )


def today_line(today: DayStats, words: Words = ENGLISH) -> str:
    """The tray menu's line: "Today: 5 of 8 resets · morning done"."""
    if today.prompted:
        line = words.ngettext(
            "Today: {done} of {prompted} reset", "Today: {done} of {prompted} resets",
            today.prompted,
        ).format(done=today.done, prompted=today.prompted)
    else:
        line = words.gettext("Today: no resets yet")
    if today.morning_done:
        line += " · " + words.gettext("morning done")
    elif today.morning_prompted:
        line += " · " + words.gettext("morning not done")
    return line
