"""What the history holds, as plain data the stats can read without a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from movebreak.core.outcome import Outcome


@dataclass(frozen=True)
class HistoryEvent:
    """One row of the history, joined with its prompt.

    ``at`` is aware and in UTC; ``local_date`` is the user's calendar day when the
    event was written, so a day's figures do not move when the user travels or the
    clocks change. ``steps_done`` and ``active_seconds`` are set on the rows that end
    a session; ``steps_total`` comes from the prompt.
    """

    id: int
    prompt_id: int
    kind: Outcome
    at: datetime
    local_date: date
    routine_id: str
    steps_total: int
    steps_done: int | None = None
    active_seconds: float | None = None
