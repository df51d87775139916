"""The validated config: frozen dataclasses the core reads, never raw dicts.

Everything the timetable needs is here, already checked, so the core never has to
ask whether a value is missing or mistyped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta

from movebreak.calendar.settings import CalendarSettings
from movebreak.core.routines import Routine
from movebreak.sound.settings import SoundSettings

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
    first_activity: bool = False


@dataclass(frozen=True)
class AwaySettings:
    """Time away from the computer: a natural break, and a reset offered on return."""

    natural_break: timedelta = timedelta(minutes=2)
    offer_reset_after: timedelta | None = timedelta(minutes=10)


@dataclass(frozen=True)
class QuietSettings:
    """What holds prompts besides meetings; ``live_calls`` reads the mic and camera."""

    fullscreen: bool = True
    do_not_disturb: bool = True
    live_calls: bool = False


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
    snooze_choices: tuple[timedelta, ...] = (
        timedelta(minutes=5),
        timedelta(minutes=10),
        timedelta(minutes=30),
    )


@dataclass(frozen=True)
class GuideSettings:
    """The guided timer: a window or not, and which routines announce each step."""

    window: bool = True
    step_notifications: frozenset[str] = frozenset({"morning"})


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
    guide: GuideSettings = field(default_factory=GuideSettings)
    away: AwaySettings = field(default_factory=AwaySettings)
    quiet: QuietSettings = field(default_factory=QuietSettings)
    calendar: CalendarSettings = field(default_factory=CalendarSettings)
    source: str = "built-in defaults"
    sound: SoundSettings = field(default_factory=SoundSettings)

    def routine(self, routine_id: str) -> Routine:
        """The routine with this id; validation guarantees the rules' ids exist."""
        return self.routines[routine_id]
