"""The engine's vocabulary: the events it reports and a few names every part shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from movebreak.core.outcome import Outcome as Outcome  # re-exported: the events' outcome
from movebreak.core.session_events import SessionResult
from movebreak.core.state import Source, TimetableState

# The detail of a skip of a prompt that had not come yet (not a prompt in the history).
SKIPPED_AHEAD = "ahead"
# The routine an audio-only call prompts (its words are data, like every routine's).
MEETING_ROUTINE = "meeting-stand"



@dataclass(frozen=True)
class Event:
    """One happening, reported to the shell (notify, redraw, record)."""

    outcome: Outcome
    at: datetime
    routine: str | None = None
    source: Source | None = None
    rotation: int = 0
    detail: str = ""
    session: SessionResult | None = None  # how a guided routine went, on the event ending it


Result = tuple[TimetableState, list[Event]]


def minutes_text(length: timedelta) -> str:
    """ "50 min", "1 h 30 min", "45 s" for reasons and details."""
    seconds = round(length.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    hours, minutes = divmod(seconds // 60, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"
