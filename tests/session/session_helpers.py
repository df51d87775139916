"""Routines for the session tests, shaped like the built-in ones (but fixed here)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from movebreak.core.durations import DurationRange, RepRange
from movebreak.core.routines import Routine, Step

T0 = datetime(2025, 3, 14, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def at(seconds: float) -> datetime:
    """T0 plus ``seconds``: the injected clock."""
    return T0 + timedelta(seconds=seconds)


def timed(name: str, seconds: int, *, each_side: bool = False) -> Step:
    span = timedelta(seconds=seconds)
    return Step(name, f"Do {name}.", duration=DurationRange(span, span), each_side=each_side)


def reps(name: str, low: int, high: int, seconds: int, *, each_side: bool = False) -> Step:
    return Step(
        name,
        f"Do {name}.",
        reps=RepRange(low, high),
        suggested_time=timedelta(seconds=seconds),
        each_side=each_side,
    )


def routine(*steps: Step, routine_id: str = "test") -> Routine:
    return Routine(id=routine_id, title="Test routine", steps=tuple(steps))


def reset_routine() -> Routine:
    """Like the built-in reset: reps, each-side stretch, each-side stretch, reps."""
    return Routine(
        id="reset",
        title="2-minute reset",
        pick=2,
        steps=(
            reps("Band pull-aparts", 10, 15, 40),
            Step(
                "Wall pec stretch",
                "Forearm on the wall.",
                duration=DurationRange(timedelta(seconds=30), timedelta(seconds=45)),
                each_side=True,
            ),
            timed("Hip-flexor stretch", 45, each_side=True),
            reps("Face pulls", 10, 15, 40),
        ),
    )
