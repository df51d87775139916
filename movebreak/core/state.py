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
    """Everything the rules need besides the config and the time now.

    Saved between runs (``app`` stores it as JSON), so a restart or a night asleep
    picks up where it left off. A field that is None has not happened yet.
    """

    checked_until: datetime | None = None
    """How far ``Engine.advance`` has looked: what fell due before it was dealt with.
    A jump far past it (days asleep, a clock set ahead) is a fresh start, not a pile of
    missed prompts; a jump back before it means the wall clock was set back."""
    reset_anchor: datetime | None = None
    """Where the reset count starts: the last reset offered, a routine done, the end
    of a pause or an audio call; the next reset is one interval of working time on."""
    morning_handled: date | None = None
    """The last local date whose morning routine was offered or is past its grace:
    the morning prompt comes once a day."""
    pending: Prompt | None = None
    """The prompt shown now and not yet answered."""
    snoozed: Prompt | None = None
    """A prompt put off until its ``at`` (a snooze, or one offered once more)."""
    running: Running | None = None
    """The routine in progress, if any: prompts wait until it ends."""
    paused_until: datetime | None = None
    """The user's pause: no prompt before this."""
    rotations: tuple[tuple[str, int], ...] = field(default_factory=tuple)
    """Prompts offered per routine, so a routine with ``pick`` rotates its steps."""
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
