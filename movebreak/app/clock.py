"""Where "now" comes from. The core never asks; the shell passes it in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """A source of aware datetimes; tests pass one they can move by hand."""

    def now(self) -> datetime: ...


class SystemClock:
    """The computer's clock, in UTC: the core converts to the timetable's zone itself."""

    def now(self) -> datetime:
        return datetime.now(UTC)
