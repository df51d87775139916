"""What became of a prompt or a routine: one name for the engine's events, the guided
session's end and the history's rows."""

from __future__ import annotations

from enum import Enum


class Outcome(Enum):
    """What became of a prompt or routine; one history row each. The values are stored
    in the history database: never rename one. A guided session ends in one of
    ``SESSION_ENDINGS``."""

    PROMPTED = "prompted"
    STARTED = "started"
    COMPLETED = "completed"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"
    MISSED = "missed"
    PAUSED = "paused"
    RESUMED = "resumed"


SESSION_ENDINGS = frozenset({Outcome.COMPLETED, Outcome.SKIPPED, Outcome.SNOOZED})
"""How a guided session can end."""
