"""Where "now" comes from. The core never asks; the shell passes it in."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Protocol


class Clock(Protocol):
    """A source of aware datetimes; tests pass one they can move by hand."""

    def now(self) -> datetime: ...


class SystemClock:
    """The computer's clock, in the timetable's zone."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz

    def now(self) -> datetime:
        return datetime.now(self.tz)
