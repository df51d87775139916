"""The timetable's state: what has happened so far that decides what comes next.

Frozen dataclasses only; every change makes a new state (see ``engine``), so the
shell can persist, compare and log states without fearing shared mutation.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum


class Source(Enum):
    """Why a prompt exists. Priority when several fall due together: lowest value wins."""

    MANUAL = 0
    MORNING = 1
    SNOOZE = 2
    MEETING = 3
    RESET = 4
    RETURN = 5
    STANDING = 6


class Status(Enum):
    """What the tray shows at a glance."""

    WAITING = "waiting"
    DUE = "due"
    RUNNING = "running"
    PAUSED = "paused"
    MEETING = "meeting"
    HELD = "held"


@dataclass(frozen=True)
class Prompt:
    """A prompt to move: the routine, when it falls due, and a reason a person can read."""

    at: datetime
    routine: str
    source: Source
    reason: str
    rotation: int = 0
    until: datetime | None = None  # still worth showing until then (the end of a call)


@dataclass(frozen=True)
class Running:
    """A routine the user started; a guided session in the shell decides when it ends."""

    routine: str
    started: datetime
    rotation: int
    source: Source


@dataclass(frozen=True)
class TimetableState:
    """Everything the rules need besides the config and the time now."""

    checked_until: datetime | None = None
    reset_anchor: datetime | None = None
    morning_handled: date | None = None
    pending: Prompt | None = None
    snoozed: Prompt | None = None
    running: Running | None = None
    paused_until: datetime | None = None
    rotations: tuple[tuple[str, int], ...] = field(default_factory=tuple)
    away_since: datetime | None = None  # the user left the computer (idle, or asleep)
    quiet_reason: str | None = None  # a fullscreen window or do-not-disturb holds prompts
    settle_until: datetime | None = None  # just woke up: no prompt before this
    cue_handled: datetime | None = None  # the last stand-for-a-call prompt already offered

    def rotation(self, routine: str) -> int:
        """How many prompts of this routine were offered so far (picks its steps)."""
        return dict(self.rotations).get(routine, 0)

    def rotated(self, routine: str) -> TimetableState:
        """The state after one more prompt of ``routine`` was offered."""
        counts = dict(self.rotations)
        counts[routine] = counts.get(routine, 0) + 1
        return replace(self, rotations=tuple(sorted(counts.items())))

    def paused(self, now: datetime) -> bool:
        """Whether a pause holds prompts at ``now``."""
        return self.paused_until is not None and now < self.paused_until

    def holding(self, now: datetime) -> bool:
        """Whether prompts wait for now: the user is away, it is quiet, or it just woke."""
        settling = self.settle_until is not None and now < self.settle_until
        return self.away_since is not None or self.quiet_reason is not None or settling
