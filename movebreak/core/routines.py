"""Routines and their steps, as plain data.

A routine is what one prompt asks of the user: the two-minute reset, the morning
routine, standing up in an audio-only call. The built-in ones are data (see
``movebreak/data/routines.toml``); users add and edit theirs in the config file,
and both pass through the same validation before they become these objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from movebreak.core.durations import DurationRange, RepRange, speak_seconds
from movebreak.core.words import ENGLISH, Words

# A rep takes about three seconds done slowly; used only when a rep step has no
# suggested time of its own.
SECONDS_PER_REP = 3


@dataclass(frozen=True)
class Step:
    """One exercise: either held/worked for a time, or done for a number of reps.

    ``duration`` is per side when ``each_side`` is set. ``suggested`` is how long
    the step is planned to take in total (both sides, or the reps at an easy pace),
    which is what a guided timer counts down for a rep step.
    """

    name: str
    instruction: str
    duration: DurationRange | None = None
    reps: RepRange | None = None
    each_side: bool = False
    section: str = ""
    suggested_time: timedelta | None = None
    image: str = ""  # a built-in picture's name, or the absolute path of the user's own

    @property
    def sides(self) -> int:
        """How many times the step runs: two halves for "each side" steps."""
        return 2 if self.each_side else 1

    @property
    def suggested(self) -> timedelta:
        """The planned time for the whole step, both sides included."""
        if self.suggested_time is not None:
            return self.suggested_time
        if self.duration is not None:
            return self.duration.high * self.sides
        reps = self.reps.high if self.reps else 10
        return timedelta(seconds=reps * SECONDS_PER_REP * self.sides)

    def dose(self, words: Words = ENGLISH) -> str:
        """The amount in words: "30–45 s each side", "10–15 reps", "5 min"."""
        if self.reps is not None:
            amount = self.reps.spoken(words)
        elif self.duration is not None:
            amount = self.duration.spoken(words)
        else:
            amount = speak_seconds(self.suggested.total_seconds(), words)
        if not self.each_side:
            return amount
        return words.gettext("{amount} each side").format(amount=amount)

    def describe(self, words: Words = ENGLISH) -> str:
        """One line for a notification: name, dose, then the instruction."""
        return f"{self.name} ({self.dose(words)}): {self.instruction}"


@dataclass(frozen=True)
class Routine:
    """A named list of steps; ``pick`` > 0 takes that many steps per prompt in rotation.

    Rotation keeps a two-minute reset short and varied: with three exercises and
    ``pick = 1`` each prompt offers the next one in turn.
    """

    id: str
    title: str
    steps: tuple[Step, ...]
    pick: int = 0
    summary: str = ""
    tags: frozenset[str] = field(default_factory=frozenset)

    def steps_for(self, rotation: int) -> tuple[Step, ...]:
        """The steps of the prompt number ``rotation`` (0, 1, 2, ...)."""
        if not self.pick or self.pick >= len(self.steps):
            return self.steps
        start = (rotation * self.pick) % len(self.steps)
        doubled = self.steps + self.steps
        return doubled[start : start + self.pick]

    def planned_time(self, rotation: int = 0) -> timedelta:
        """The total planned time of the steps offered at ``rotation``."""
        return sum((s.suggested for s in self.steps_for(rotation)), timedelta())


def notification_body(routine: Routine, rotation: int, words: Words = ENGLISH) -> str:
    """The text of a prompt: one line per step, with its dose and instruction."""
    lines = [routine.summary] if routine.summary else []
    lines += [f"• {step.describe(words)}" for step in routine.steps_for(rotation)]
    return "\n".join(lines)


def notification_title(routine: Routine, rotation: int, words: Words = ENGLISH) -> str:
    """The title of a prompt: the routine's name and its planned time."""
    minutes = max(1, round(routine.planned_time(rotation).total_seconds() / 60))
    return f"{routine.title} · {words.gettext('{minutes} min').format(minutes=minutes)}"
