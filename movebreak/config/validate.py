"""Turn the raw TOML tables into a validated ``Config``, collecting every problem.

Hand-written rather than a schema library: the config is small, the messages must
read well to a person ("expected a duration such as "45m" or "1h30m", got
"soon""), and the app must not pay a heavy import for it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import time, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from movebreak.calendar.settings import CalendarSettings, parse_calendar_settings
from movebreak.config.errors import ConfigError, Problem
from movebreak.config.model import (
    WEEKDAYS,
    AwaySettings,
    Config,
    GuideSettings,
    MorningRule,
    PromptSettings,
    QuietSettings,
    ResetRule,
    StandingRule,
    WorkHours,
)
from movebreak.core.durations import DurationError, DurationRange, RepRange, parse_duration
from movebreak.core.routines import Routine, Step
from movebreak.sound.settings import read_sound_settings

T = TypeVar("T")

# Each flat section and the keys it accepts (the fuzz tests build their input from it).
SECTION_KEYS: dict[str, tuple[str, ...]] = {
    "work": ("days", "start", "end"),
    "reset": ("enabled", "every", "routine"),
    "morning": ("enabled", "at", "first_activity_after", "days", "routine"),
    "standing": ("enabled", "sit", "stand", "routine"),
    "prompts": ("late_grace", "snooze", "snooze_choices", "notification_timeout"),
    "guide": ("window", "step_notifications"),
    "away": ("natural_break", "offer_reset_after"),
    "quiet": ("fullscreen", "do_not_disturb", "live_calls"),
}
_TOP_LEVEL = ("timezone", "routines", "calendar", "sound", *SECTION_KEYS)
_ROUTINE_KEYS = ("title", "summary", "pick", "steps", "tags")
_STEP_KEYS = ("name", "instruction", "duration", "reps", "time", "each_side", "section")
_ROUTINE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class _Reader:
    """Reads typed values out of raw tables, recording a ``Problem`` for each bad one."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, key: str, message: str) -> None:
        self.problems.append(Problem(key, message))

    def known(self, table: dict[str, Any], prefix: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                self.fail(f"{prefix}{key}", f"unknown key; expected one of: {', '.join(allowed)}")

    def table(self, raw: dict[str, Any], key: str) -> dict[str, Any]:
        value = raw.get(key, {})
        if not isinstance(value, dict):
            self.fail(key, f"expected a table such as [{key}], got {_show(value)}")
            return {}
        return value

    def value(
        self, raw: dict[str, Any], name: str, key: str, parse: Callable[[Any], T]
    ) -> T | None:
        if name not in raw:
            self.fail(key, "missing")
            return None
        try:
            return parse(raw[name])
        except (ValueError, TypeError) as error:
            self.fail(key, str(error))
            return None


def _show(value: object) -> str:
    """A value as the user wrote it, on one line (newlines and NULs escaped)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {_show(value)}")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected some text in quotes, got {_show(value)}")
    return value.strip()


def _duration(value: object) -> timedelta:
    if not isinstance(value, str):
        raise DurationError(f'expected a duration such as "45m" or "1h30m", got {_show(value)}')
    return parse_duration(value)


def _durations(value: object) -> tuple[timedelta, ...]:
    if not isinstance(value, list) or not value or len(value) > 6:
        raise ValueError(f'expected one to six durations such as ["5m", "10m"], got {_show(value)}')
    return tuple(_duration(item) for item in value)


def _names(value: object) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f'expected a list of routine ids such as ["morning"], got {_show(value)}')
    return frozenset(value)


def _morning_at(value: object) -> time | None:
    """A time of day, or "first-activity" (None) for the first moment at the computer."""
    if value == "first-activity":
        return None
    if not isinstance(value, str) or ":" not in value:
        raise ValueError(f'expected a time such as "09:00" or "first-activity", got {_show(value)}')
    return _clock(value)


def _optional_duration(value: object) -> timedelta | None:
    return None if value == "off" else _duration(value)


def _clock(value: object) -> time:
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", value) if isinstance(value, str) else None
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(f'expected a time of day such as "09:00", got {_show(value)}')
    return time(int(match.group(1)), int(match.group(2)))


def _day_end(value: object) -> time:
    """The end of the working day: a time of day, or "24:00" for midnight at its end.

    "24:00" becomes the last instant of the day, so a window of "00:00" to "24:00"
    leaves no minute out (with "23:59", prompts would stop for its last minute).
    """
    if isinstance(value, str) and value.strip() == "24:00":
        return time.max
    return _clock(value)


def _days(value: object) -> frozenset[int]:
    if not isinstance(value, list) or not value:
        raise ValueError(f'expected a list of days such as ["mon", "tue"], got {_show(value)}')
    days = set()
    for item in value:
        name = item.strip().lower()[:3] if isinstance(item, str) else None
        if name not in WEEKDAYS:
            raise ValueError(f"expected day names mon, tue, ... sun, got {_show(item)}")
        days.add(WEEKDAYS.index(name))
    return frozenset(days)


def _timezone(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f'expected "local" or a zone such as "Europe/Berlin", got {_show(value)}')
    if value != "local":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f'unknown time zone {_show(value)}; use "local" or e.g. "Europe/Berlin"'
            ) from None
    return value


def _pick(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"expected a whole number of steps (0 = all), got {_show(value)}")
    return value


def _step(r: _Reader, raw: object, key: str) -> Step | None:
    if not isinstance(raw, dict):
        r.fail(key, f"expected a step table with name and instruction, got {_show(raw)}")
        return None
    r.known(raw, f"{key}.", _STEP_KEYS)
    before = len(r.problems)
    name = r.value(raw, "name", f"{key}.name", _text) if "name" in raw else None
    instruction = (
        r.value(raw, "instruction", f"{key}.instruction", _text) if "instruction" in raw else None
    )
    for required in ("name", "instruction"):
        if required not in raw:
            r.fail(f"{key}.{required}", "missing; every step needs a name and an instruction")
    duration = (
        r.value(raw, "duration", f"{key}.duration", DurationRange.parse)
        if "duration" in raw
        else None
    )
    reps = r.value(raw, "reps", f"{key}.reps", RepRange.parse) if "reps" in raw else None
    suggested = r.value(raw, "time", f"{key}.time", _duration) if "time" in raw else None
    each_side = (
        r.value(raw, "each_side", f"{key}.each_side", _bool) if "each_side" in raw else False
    )
    section = r.value(raw, "section", f"{key}.section", _text) if "section" in raw else ""
    if "duration" in raw and "reps" in raw:
        r.fail(f"{key}.reps", "a step has either a duration or reps, not both")
    elif "duration" not in raw and "reps" not in raw:
        r.fail(key, 'a step needs a duration such as "30-45s" or reps such as "10-15"')
    if len(r.problems) > before or name is None or instruction is None:
        return None
    return Step(name, instruction, duration, reps, bool(each_side), section or "", suggested)


def _routine(r: _Reader, routine_id: str, raw: object) -> Routine | None:
    key = f"routines.{routine_id}"
    if not _ROUTINE_ID.match(routine_id):
        r.fail(key, "a routine id uses lower-case letters, digits, - and _")
        return None
    if not isinstance(raw, dict):
        r.fail(key, f"expected a table [{key}], got {_show(raw)}")
        return None
    r.known(raw, f"{key}.", _ROUTINE_KEYS)
    before = len(r.problems)
    title = r.value(raw, "title", f"{key}.title", _text) if "title" in raw else None
    if "title" not in raw:
        r.fail(f"{key}.title", "missing; every routine needs a title")
    summary = r.value(raw, "summary", f"{key}.summary", _text) if "summary" in raw else ""
    pick = r.value(raw, "pick", f"{key}.pick", _pick) if "pick" in raw else 0
    raw_steps = raw.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        r.fail(f"{key}.steps", f"expected at least one [[{key}.steps]] table")
        raw_steps = []
    steps = [_step(r, s, f"{key}.steps[{i}]") for i, s in enumerate(raw_steps)]
    if len(r.problems) > before or title is None:
        return None
    return Routine(routine_id, title, tuple(s for s in steps if s), pick or 0, summary or "")


def _needs_routine(
    r: _Reader, key: str, routine_id: str | None, routines: dict[str, Routine]
) -> None:
    if routine_id is not None and routine_id not in routines:
        known = ", ".join(sorted(routines)) or "none"
        r.fail(key, f"no routine named {_show(routine_id)}; known routines: {known}")


def build_config(raw: dict[str, Any], source: str, base_dir: Path | None = None) -> Config:
    """Validate merged raw tables (defaults overlaid with the user's file) into a Config.

    ``base_dir`` is where relative paths in the file (calendar folders) start from.
    """
    r = _Reader()
    r.known(raw, "", _TOP_LEVEL)
    timezone = r.value(raw, "timezone", "timezone", _timezone) or "local"
    t = {name: r.table(raw, name) for name in SECTION_KEYS}
    for name, allowed in SECTION_KEYS.items():
        r.known(t[name], f"{name}.", allowed)

    def get(section: str, name: str, parse: Callable[[Any], T]) -> T | None:
        return r.value(t[section], name, f"{section}.{name}", parse)

    routines_raw = r.table(raw, "routines")
    routines = {rid: rt for rid, body in routines_raw.items() if (rt := _routine(r, rid, body))}
    work = WorkHours(
        get("work", "days", _days) or frozenset(),
        get("work", "start", _clock) or time(9),
        get("work", "end", _day_end) or time(18),
    )
    if work.start >= work.end:
        r.fail("work.end", f"the working day must end after it starts ({work.start:%H:%M})")
    reset = ResetRule(
        bool(get("reset", "enabled", _bool)),
        get("reset", "every", _duration) or timedelta(minutes=50),
        get("reset", "routine", _text) or "reset",
    )
    at = get("morning", "at", _morning_at)
    first_activity = at is None and t["morning"].get("at") == "first-activity"
    if first_activity:
        at = get("morning", "first_activity_after", _clock)
    morning = MorningRule(
        bool(get("morning", "enabled", _bool)),
        at or time(9),
        get("morning", "days", _days) or frozenset(),
        get("morning", "routine", _text) or "morning",
        first_activity,
    )
    away = AwaySettings(
        get("away", "natural_break", _duration) or timedelta(minutes=2),
        get("away", "offer_reset_after", _optional_duration),
    )
    quiet = QuietSettings(
        bool(get("quiet", "fullscreen", _bool)),
        bool(get("quiet", "do_not_disturb", _bool)),
        bool(get("quiet", "live_calls", _bool)),
    )
    standing = StandingRule(
        bool(get("standing", "enabled", _bool)),
        get("standing", "sit", _duration) or timedelta(minutes=30),
        get("standing", "stand", _duration) or timedelta(minutes=25),
        get("standing", "routine", _text) or "standing-block",
    )
    prompts = PromptSettings(
        get("prompts", "late_grace", _duration) or timedelta(minutes=2),
        get("prompts", "snooze", _duration) or timedelta(minutes=10),
        get("prompts", "notification_timeout", _duration) or timedelta(seconds=30),
        get("prompts", "snooze_choices", _durations) or (),
    )
    for section, rule in (("reset", reset), ("morning", morning), ("standing", standing)):
        if rule.routine not in routines_raw:  # a routine that failed already has its problem
            _needs_routine(r, f"{section}.routine", rule.routine, routines)
    guide = GuideSettings(
        bool(get("guide", "window", _bool)),
        get("guide", "step_notifications", _names) or frozenset(),
    )
    try:
        calendar = parse_calendar_settings(r.table(raw, "calendar"), base_dir or Path.cwd())
    except ConfigError as error:
        r.problems.extend(error.problems)
        calendar = CalendarSettings()
    sound = read_sound_settings(raw.get("sound", {}), base_dir or Path.cwd(), r.problems)
    if r.problems:
        raise ConfigError(r.problems)
    return Config(
        timezone,
        work,
        reset,
        morning,
        standing,
        prompts,
        routines,
        guide,
        away,
        quiet,
        calendar,
        source,
        sound,
    )
