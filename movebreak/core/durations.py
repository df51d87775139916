"""Human durations ("45m", "1h30m", "30-45s") and rep ranges ("10-15").

Config files are written by people, so the parser accepts the forms people write
and the formatter prints them back the same way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta

from movebreak.core.words import ENGLISH, Message, Words

_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(h|m|s)", re.IGNORECASE)
_LONGEST = timedelta(days=366)
_WHOLE = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*[hms]\s*)+$", re.IGNORECASE)


def _quoted(value: object) -> str:
    """The value as typed, quoted on one line (a newline in it is shown as \\n)."""
    return json.dumps(str(value), ensure_ascii=False)


def _rep_count(value: object) -> Message:
    return Message('expected a rep count such as 12 or "10-15", got {value}', value=_quoted(value))


class DurationError(ValueError):
    """Raised with a message fit to show a person who typed the value."""


def parse_duration(text: str) -> timedelta:
    """Parse "45m", "1h30m", "90s", "1.5h" into a positive timedelta."""
    if not isinstance(text, str) or not _WHOLE.match(text):
        raise DurationError(Message('expected a duration such as "45m" or "1h30m", got {value}',
                                    value=_quoted(text)))
    seconds = sum(float(n) * _UNIT_SECONDS[u.lower()] for n, u in _PART.findall(text))
    if seconds <= 0:
        raise DurationError(Message("expected a duration longer than zero, got {value}",
                                    value=_quoted(text)))
    if seconds > _LONGEST.total_seconds():
        raise DurationError(Message("expected a duration of at most a year, got {value}",
                                    value=_quoted(text)))
    return timedelta(seconds=seconds)


def format_duration(value: timedelta) -> str:
    """Print a timedelta the way a person writes it: "2m", "1h30m", "45s"."""
    total = round(value.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{n}{u}" for n, u in ((hours, "h"), (minutes, "m"), (seconds, "s")) if n]
    return "".join(parts) or "0s"


def speak_seconds(seconds: float, words: Words = ENGLISH) -> str:
    """Short spoken form for instructions: "45 s", "5 min", "1 min 30 s"."""
    total = round(seconds)
    minutes, secs = divmod(total, 60)
    if minutes and secs:
        return words.gettext("{minutes} min {seconds} s").format(minutes=minutes, seconds=secs)
    if minutes:
        return words.gettext("{minutes} min").format(minutes=minutes)
    return words.gettext("{seconds} s").format(seconds=secs)


@dataclass(frozen=True)
class DurationRange:
    """A hold or work time, e.g. 30-45 s; low == high for a fixed time."""

    low: timedelta
    high: timedelta

    @classmethod
    def parse(cls, text: str) -> DurationRange:
        """Parse "45s", "5m" or a range "30-45s" (the unit may be on both ends)."""
        if not isinstance(text, str):
            raise DurationError(Message(
                'expected a duration such as "45s" or "30-45s", got {value}', value=_quoted(text)))
        if "-" not in text:
            single = parse_duration(text)
            return cls(single, single)
        left, _, right = text.partition("-")
        right = right.strip()
        unit = right[-1:] if right[-1:].lower() in _UNIT_SECONDS else ""
        if left.strip() and left.strip()[-1].isdigit():
            left = left.strip() + unit
        try:
            low, high = parse_duration(left), parse_duration(right)
        except DurationError:
            raise DurationError(Message(
                'expected a duration such as "45s" or "30-45s", got {value}', value=_quoted(text)
            )) from None
        if low > high:
            raise DurationError(Message("the range {value} runs backwards", value=_quoted(text)))
        return cls(low, high)

    def spoken(self, words: Words = ENGLISH) -> str:
        """ "30–45 s", "5 min"."""
        lo, hi = self.low.total_seconds(), self.high.total_seconds()
        if lo == hi:
            return speak_seconds(lo, words)
        if hi < 60:
            return words.gettext("{low}–{high} s").format(low=round(lo), high=round(hi))
        if lo % 60 == 0 and hi % 60 == 0:
            return words.gettext("{low}–{high} min").format(low=round(lo / 60), high=round(hi / 60))
        return f"{speak_seconds(lo, words)}–{speak_seconds(hi, words)}"


@dataclass(frozen=True)
class RepRange:
    """How many repetitions, e.g. 10-15; low == high for a fixed count."""

    low: int
    high: int

    @classmethod
    def parse(cls, value: str | int) -> RepRange:
        """Parse 12, "12" or "10-15"."""
        if isinstance(value, bool):
            raise DurationError(_rep_count(value))
        if isinstance(value, int):
            if value <= 0:
                raise DurationError(Message("expected a positive rep count, got {value}",
                                            value=value))
            return cls(value, value)
        match = re.fullmatch(r"\s*(\d+)\s*(?:[-–]\s*(\d+)\s*)?", str(value))
        if not match:
            raise DurationError(_rep_count(value))
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if low <= 0 or low > high:
            raise DurationError(Message("expected a rep range such as 10-15, got {value}",
                                        value=_quoted(value)))
        return cls(low, high)

    def spoken(self, words: Words = ENGLISH) -> str:
        """ "10–15 reps", "12 reps" (a plural form for the highest count)."""
        if self.low == self.high:
            return words.ngettext("{count} rep", "{count} reps", self.low).format(count=self.low)
        return words.ngettext("{low}–{high} rep", "{low}–{high} reps", self.high).format(
            low=self.low, high=self.high)
