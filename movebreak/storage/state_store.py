"""Save and load the timetable state as JSON, so pauses and snoozes survive a restart.

A damaged or foreign file is not fatal: the app starts from a fresh state and says
so in the log, because losing a snooze is better than refusing to start.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from movebreak.core.state import Prompt, Running, Source, TimetableState
from movebreak.storage.atomic import write_atomic

log = logging.getLogger(__name__)
VERSION = 1


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Source):
        return value.name
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _prompt(raw: dict[str, Any] | None) -> Prompt | None:
    if not raw:
        return None
    return Prompt(
        datetime.fromisoformat(raw["at"]),
        raw["routine"],
        Source[raw["source"]],
        raw["reason"],
        int(raw.get("rotation", 0)),
    )


def _running(raw: dict[str, Any] | None) -> Running | None:
    if not raw:
        return None
    return Running(
        raw["routine"],
        datetime.fromisoformat(raw["started"]),
        int(raw["rotation"]),
        Source[raw["source"]],
    )


def dumps(state: TimetableState) -> str:
    """The state as JSON text."""
    return json.dumps({"version": VERSION, "state": _encode(asdict(state))}, indent=1)


def loads(text: str) -> TimetableState:
    """Parse ``dumps`` output; raises ValueError (or KeyError) on anything else."""
    raw = json.loads(text)
    if raw.get("version") != VERSION:
        raise ValueError(f"unknown state version {raw.get('version')!r}")
    s = raw["state"]
    handled = s.get("morning_handled")
    return TimetableState(
        checked_until=_when(s.get("checked_until")),
        reset_anchor=_when(s.get("reset_anchor")),
        morning_handled=date.fromisoformat(handled) if handled else None,
        pending=_prompt(s.get("pending")),
        snoozed=_prompt(s.get("snoozed")),
        running=_running(s.get("running")),
        paused_until=_when(s.get("paused_until")),
        rotations=tuple((str(k), int(v)) for k, v in s.get("rotations", [])),
        # away_since, quiet_reason and settle_until describe the desktop at that moment,
        # not the timetable: a new process looks afresh, so they are not restored.
        cue_handled=_when(s.get("cue_handled")),
    )


def load_state(path: Path) -> TimetableState:
    """The saved state, or a fresh one when there is none or it cannot be read."""
    try:
        return loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return TimetableState()
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        log.warning("state file %s is unreadable (%s); starting fresh", path, error)
        return TimetableState()


def save_state(path: Path, state: TimetableState) -> None:
    """Write the state atomically; private, since it hints at the user's day."""
    write_atomic(path, dumps(state), private=True)
