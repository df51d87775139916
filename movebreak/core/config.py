"""The validated config: frozen dataclasses the core reads, never raw dicts.

Everything the timetable needs is here, already checked, so the core never has to
ask whether a value is missing or mistyped.

No field has a default. Every default is written once, in the shipped
``movebreak/data/config.toml``: that is the file a person reads and copies to
change a setting, so it must be the truth, and the loader lays the user's file over
it, so every key always has a value. A default written here as well would be a
second copy free to disagree (``tests/config/test_defaults.py`` fails on one).
The ``[calendar]`` table is the exception the shipped file leaves out: its few
tuning defaults are written once in :mod:`movebreak.core.calendar_settings`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time, timedelta

from movebreak.core.calendar_settings import CalendarSettings
from movebreak.core.cues import Cue
from movebreak.core.problems import Problem
from movebreak.core.routines import Routine

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class WorkHours:
    """When prompts may fire: weekdays (0 = Monday) and a daily window in local time.

    ``end`` is ``time.max`` when the file says "24:00" (the day's last instant).
    """

    days: frozenset[int]
    start: time
    end: time


@dataclass(frozen=True)
class ResetRule:
    """A reset every ``every`` of working time, counted from the last movement."""

    enabled: bool
    every: timedelta
    routine: str


@dataclass(frozen=True)
class MorningRule:
    """The morning routine on the given weekdays: at a fixed local time, or (with
    ``first_activity``) at the first moment the user is at the computer from ``at`` on."""

    enabled: bool
    at: time
    days: frozenset[int]
    routine: str
    first_activity: bool


@dataclass(frozen=True)
class AwaySettings:
    """Time away from the computer: a natural break, and a reset offered on return."""

    natural_break: timedelta
    offer_reset_after: timedelta | None


@dataclass(frozen=True)
class QuietSettings:
    """What holds prompts besides meetings; ``live_calls`` reads the mic and camera."""

    fullscreen: bool
    do_not_disturb: bool
    live_calls: bool


@dataclass(frozen=True)
class StandingRule:
    """Alternate sitting and standing blocks through the working day (off by default)."""

    enabled: bool
    sit: timedelta
    stand: timedelta
    routine: str


@dataclass(frozen=True)
class PromptSettings:
    """How prompts behave: how late one may still be shown, and the default snooze."""

    late_grace: timedelta
    snooze: timedelta
    notification_timeout: timedelta
    snooze_choices: tuple[timedelta, ...]


@dataclass(frozen=True)
class GuideSettings:
    """The guided timer: a window or not, and which routines announce each step."""

    window: bool
    step_notifications: frozenset[str]


@dataclass(frozen=True)
class SoundSettings:
    """The ``[sound]`` table: on or off, a volume from 0 to 100, and each cue's choice:
    ``"builtin"`` (movebreak's own tone), ``"off"``, a sound-theme name, or a file's
    absolute path (the reader resolves a relative one against the config's folder)."""

    enabled: bool
    volume: int
    choices: Mapping[Cue, str]


@dataclass(frozen=True)
class Config:
    """The whole validated config. ``source`` says where it came from, for messages."""

    timezone: str
    work: WorkHours
    reset: ResetRule
    morning: MorningRule
    standing: StandingRule
    prompts: PromptSettings
    routines: Mapping[str, Routine]
    guide: GuideSettings
    away: AwaySettings
    quiet: QuietSettings
    calendar: CalendarSettings
    sound: SoundSettings
    source: str
    notes: tuple[Problem, ...]  # problems that did not stop the config (a lost picture)

    def routine(self, routine_id: str) -> Routine:
        """The routine with this id; validation guarantees the rules' ids exist."""
        return self.routines[routine_id]
