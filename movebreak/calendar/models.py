"""Plain results of a calendar load: occurrences and warnings, cheap to send as JSON.

The loader may run in a short-lived subprocess so that icalendar never sits in the
tray process's memory; these types are what crosses that boundary, so they hold only
str, bool and aware datetimes, and round-trip through :meth:`LoadResult.to_json`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import Any

from movebreak.core.meeting_facts import MeetingKind


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of an event in the window, already classified.

    ``start``/``end`` are always timezone-aware; for an all-day event they are local
    midnights (``end`` exclusive, as in iCalendar) and ``all_day`` is true.
    ``recurrence_id`` identifies the instance within a series (None for one-off events).
    """

    uid: str
    recurrence_id: str | None
    start: datetime
    end: datetime
    all_day: bool
    summary: str
    kind: MeetingKind
    reason: str
    link: str | None
    source: str

    def to_json_dict(self) -> dict[str, Any]:
        """The ``movebreak meetings --json`` shape, plus ``all_day`` and ``source``."""
        return {
            "uid": self.uid,
            "recurrence_id": self.recurrence_id,
            "start": _iso(self.start, self.all_day),
            "end": _iso(self.end, self.all_day),
            "all_day": self.all_day,
            "summary": self.summary,
            "kind": self.kind.value,
            "reason": self.reason,
            "link": self.link,
            "source": self.source,
        }

    @classmethod
    def from_json_dict(cls, data: dict[str, Any], tz: tzinfo) -> Occurrence:
        """Inverse of :meth:`to_json_dict`; all-day dates become midnights in ``tz``."""
        all_day = bool(data.get("all_day"))
        return cls(
            uid=str(data["uid"]),
            recurrence_id=data.get("recurrence_id"),
            start=_parse_iso(data["start"], tz),
            end=_parse_iso(data["end"], tz),
            all_day=all_day,
            summary=str(data.get("summary", "")),
            kind=MeetingKind(data["kind"]),
            reason=str(data.get("reason", "")),
            link=data.get("link"),
            source=str(data.get("source", "")),
        )


@dataclass(frozen=True)
class CalendarWarning:
    """Something a person may want to fix; ``where`` is a file path or a redacted URL."""

    where: str
    message: str
    uid: str | None = None

    def __str__(self) -> str:
        event = f" (event {self.uid})" if self.uid else ""
        return f"{self.where}{event}: {self.message}"


@dataclass(frozen=True)
class LoadResult:
    """Everything one load produced, sorted by start time."""

    occurrences: tuple[Occurrence, ...] = ()
    warnings: tuple[CalendarWarning, ...] = ()

    def to_json(self) -> str:
        """Compact JSON for the subprocess boundary and the on-disk result memo."""
        return json.dumps(
            {
                "occurrences": [o.to_json_dict() for o in self.occurrences],
                "warnings": [
                    {"where": w.where, "message": w.message, "uid": w.uid}
                    for w in self.warnings
                ],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str, tz: tzinfo) -> LoadResult:
        """Inverse of :meth:`to_json`; ``tz`` places all-day dates."""
        data = json.loads(text)
        return cls(
            occurrences=tuple(Occurrence.from_json_dict(o, tz) for o in data["occurrences"]),
            warnings=tuple(
                CalendarWarning(w["where"], w["message"], w.get("uid")) for w in data["warnings"]
            ),
        )


def _iso(value: datetime, all_day: bool) -> str:
    return value.date().isoformat() if all_day else value.isoformat()


def _parse_iso(text: str, tz: tzinfo) -> datetime:
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time(), tz)
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
