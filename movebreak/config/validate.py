"""Turn the raw TOML tables into a validated ``Config``, collecting every problem.

The reading itself (problems by dotted key, values shown as written, durations)
is :mod:`movebreak.config.reader`, shared with the ``[calendar]`` table's
:mod:`movebreak.calendar.settings`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from movebreak.calendar.settings import parse_calendar_settings
from movebreak.config.errors import ConfigError
from movebreak.config.reader import (
    Reader,
    boolean,
    duration,
    optional_duration,
    show,
    text,
)
from movebreak.core.calendar_settings import CalendarSettings
from movebreak.core.config import (
    WEEKDAYS,
    AwaySettings,
    Config,
    GuideSettings,
    MorningRule,
    PromptSettings,
    QuietSettings,
    ResetRule,
    SoundSettings,
    StandingRule,
    WorkHours,
)
from movebreak.core.cues import Cue
from movebreak.core.durations import DurationRange, RepRange
from movebreak.core.problems import Problem
from movebreak.core.routines import Routine, Step
from movebreak.core.words import Message
from movebreak.guide.pictures import builtin_names, is_builtin_name, picture_problem
from movebreak.sound.settings import cue_choice, volume

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
    "sound": ("enabled", "volume", *(cue.value for cue in Cue)),
}
_TOP_LEVEL = ("timezone", "routines", "calendar", *SECTION_KEYS)
_ROUTINE_KEYS = ("title", "summary", "pick", "steps", "tags")
_STEP_KEYS = ("name", "instruction", "duration", "reps", "time", "each_side", "section",
              "image")
_ROUTINE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _durations(value: object) -> tuple[timedelta, ...]:
    if not isinstance(value, list) or not value or len(value) > 6:
        raise ValueError(Message(
            'expected one to six durations such as ["5m", "10m"], got {value}', value=show(value)
        ))
    return tuple(duration(item) for item in value)


def _names(value: object) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(Message(
            'expected a list of routine ids such as ["morning"], got {value}', value=show(value)
        ))
    return frozenset(value)


def _morning_at(value: object) -> time:
    """A time of day (``"first-activity"``, the other choice, is read before this)."""
    if not isinstance(value, str) or ":" not in value:
        raise ValueError(Message(
            'expected a time such as "09:00" or "first-activity", got {value}', value=show(value)
        ))
    return _clock(value)


def _clock(value: object) -> time:
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", value) if isinstance(value, str) else None
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(Message(
            'expected a time of day such as "09:00", got {value}', value=show(value)
        ))
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
        raise ValueError(Message(
            'expected a list of days such as ["mon", "tue"], got {value}', value=show(value)
        ))
    days = set()
    for item in value:
        name = item.strip().lower()[:3] if isinstance(item, str) else None
        if name not in WEEKDAYS:
            raise ValueError(Message(
                "expected day names mon, tue, ... sun, got {value}", value=show(item)
            ))
        days.add(WEEKDAYS.index(name))
    return frozenset(days)


def _timezone(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(Message(
            'expected "local" or a zone such as "Europe/Berlin", got {value}', value=show(value)
        ))
    if value != "local":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(Message(
                'unknown time zone {value}; use "local" or e.g. "Europe/Berlin"', value=show(value)
            )) from None
    return value


def _pick(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(Message(
            "expected a whole number of steps (0 = all), got {value}", value=show(value)
        ))
    return value


def _picture(r: Reader, image: str, key: str) -> str:
    """A step's ``image``: a built-in name, or the user's file as an absolute path; a
    picture that cannot be shown is a note and the step shows none."""
    if is_builtin_name(image):
        if image in builtin_names():
            return image
        known = ", ".join(sorted(builtin_names()))
        r.notes.append(Problem(key, Message(
            "no built-in picture named {value}; the step shows none "
            "(built-in: {known}; or the path of a PNG file)", value=show(image), known=known)))
        return ""
    path = r.base_dir / Path(image).expanduser()
    problem = picture_problem(path)
    if problem:
        r.notes.append(Problem(key, Message("{problem}; the step shows no picture",
                                            problem=problem)))
        return ""
    return str(path.resolve())


def _step(r: Reader, raw: object, key: str) -> Step | None:
    if not isinstance(raw, dict):
        r.fail(key, Message("expected a step table with name and instruction, got {value}",
                            value=show(raw)))
        return None
    r.known(raw, f"{key}.", _STEP_KEYS)
    before = len(r.problems)
    name = r.value(raw, "name", f"{key}.name", text) if "name" in raw else None
    instruction = (
        r.value(raw, "instruction", f"{key}.instruction", text) if "instruction" in raw else None
    )
    for required in ("name", "instruction"):
        if required not in raw:
            r.fail(f"{key}.{required}",
                   Message("missing; every step needs a name and an instruction"))
    span = (
        r.value(raw, "duration", f"{key}.duration", DurationRange.parse)
        if "duration" in raw
        else None
    )
    reps = r.value(raw, "reps", f"{key}.reps", RepRange.parse) if "reps" in raw else None
    suggested = r.value(raw, "time", f"{key}.time", duration) if "time" in raw else None
    each_side = (
        r.value(raw, "each_side", f"{key}.each_side", boolean) if "each_side" in raw else False
    )
    section = r.value(raw, "section", f"{key}.section", text) if "section" in raw else ""
    image = r.value(raw, "image", f"{key}.image", text) if "image" in raw else ""
    if "duration" in raw and "reps" in raw:
        r.fail(f"{key}.reps", Message("a step has either a duration or reps, not both"))
    elif "duration" not in raw and "reps" not in raw:
        r.fail(key, Message('a step needs a duration such as "30-45s" or reps such as "10-15"'))
    if len(r.problems) > before or name is None or instruction is None:
        return None
    picture = _picture(r, image, f"{key}.image") if image else ""
    return Step(name, instruction, span, reps, bool(each_side), section or "", suggested,
                picture)


def _routine(r: Reader, routine_id: str, raw: object) -> Routine | None:
    key = f"routines.{routine_id}"
    if not _ROUTINE_ID.match(routine_id):
        r.fail(key, Message("a routine id uses lower-case letters, digits, - and _"))
        return None
    if not isinstance(raw, dict):
        r.fail(key, Message("expected a table [{key}], got {value}", key=key, value=show(raw)))
        return None
    r.known(raw, f"{key}.", _ROUTINE_KEYS)
    before = len(r.problems)
    title = r.value(raw, "title", f"{key}.title", text) if "title" in raw else None
    if "title" not in raw:
        r.fail(f"{key}.title", Message("missing; every routine needs a title"))
    summary = r.value(raw, "summary", f"{key}.summary", text) if "summary" in raw else ""
    pick = r.value(raw, "pick", f"{key}.pick", _pick) if "pick" in raw else 0
    raw_steps = raw.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        r.fail(f"{key}.steps", Message("expected at least one [[{key}.steps]] table", key=key))
        raw_steps = []
    steps = [_step(r, s, f"{key}.steps[{i}]") for i, s in enumerate(raw_steps)]
    if len(r.problems) > before or title is None:
        return None
    return Routine(routine_id, title, tuple(s for s in steps if s), pick or 0, summary or "")


def _needs_routine(
    r: Reader, key: str, routine_id: str | None, routines: dict[str, Routine]
) -> None:
    if routine_id is not None and routine_id not in routines:
        known = ", ".join(sorted(routines)) or "none"
        r.fail(key, Message("no routine named {value}; known routines: {known}",
                            value=show(routine_id), known=known))


def build_config(raw: dict[str, Any], source: str, base_dir: Path | None = None) -> Config:
    """Validate merged raw tables (defaults overlaid with the user's file) into a Config.

    Every key is required: the built-in ``data/config.toml`` under the user's file
    supplies each one, so its default is written there and nowhere else (no fallback
    here, no dataclass default; see ``movebreak.core.config``). ``base_dir`` is where
    relative paths in the file (calendar folders) start from.
    """
    r = Reader(base_dir)
    r.known(raw, "", _TOP_LEVEL)
    timezone = r.value(raw, "timezone", "timezone", _timezone)
    t = {name: r.table(raw, name) for name in SECTION_KEYS}
    for name, allowed in SECTION_KEYS.items():
        r.known(t[name], f"{name}.", allowed)

    def get(section: str, name: str, parse: Callable[[Any], T]) -> T:
        return r.value(t[section], name, f"{section}.{name}", parse)

    routines_raw = r.table(raw, "routines")
    routines = {rid: rt for rid, body in routines_raw.items() if (rt := _routine(r, rid, body))}
    work = WorkHours(
        get("work", "days", _days),
        get("work", "start", _clock),
        get("work", "end", _day_end),
    )
    if work.start is not None and work.end is not None and work.start >= work.end:
        r.fail("work.end", Message("the working day must end after it starts ({start})",
                                   start=work.start.strftime("%H:%M")))
    reset = ResetRule(
        get("reset", "enabled", boolean),
        get("reset", "every", duration),
        get("reset", "routine", text),
    )
    first_activity = t["morning"].get("at") == "first-activity"
    if first_activity:  # the first moment at the computer from this time on
        at = get("morning", "first_activity_after", _clock)
    else:
        at = get("morning", "at", _morning_at)
    morning = MorningRule(
        get("morning", "enabled", boolean),
        at,
        get("morning", "days", _days),
        get("morning", "routine", text),
        first_activity,
    )
    away = AwaySettings(
        get("away", "natural_break", duration),
        get("away", "offer_reset_after", optional_duration),
    )
    quiet = QuietSettings(
        get("quiet", "fullscreen", boolean),
        get("quiet", "do_not_disturb", boolean),
        get("quiet", "live_calls", boolean),
    )
    standing = StandingRule(
        get("standing", "enabled", boolean),
        get("standing", "sit", duration),
        get("standing", "stand", duration),
        get("standing", "routine", text),
    )
    prompts = PromptSettings(
        get("prompts", "late_grace", duration),
        get("prompts", "snooze", duration),
        get("prompts", "notification_timeout", duration),
        get("prompts", "snooze_choices", _durations),
    )
    for section, rule in (("reset", reset), ("morning", morning), ("standing", standing)):
        if rule.routine not in routines_raw:  # a routine that failed already has its problem
            _needs_routine(r, f"{section}.routine", rule.routine, routines)
    guide = GuideSettings(
        get("guide", "window", boolean),
        get("guide", "step_notifications", _names),
    )
    calendar: CalendarSettings | None = None  # None only with a problem
    try:
        calendar = parse_calendar_settings(r.table(raw, "calendar"), base_dir or Path.cwd())
    except ConfigError as error:
        r.problems.extend(error.problems)
    sound = SoundSettings(
        get("sound", "enabled", boolean),
        get("sound", "volume", volume),
        {cue: get("sound", cue.value, lambda value: cue_choice(value, r.base_dir))
         for cue in Cue},
    )
    r.check()  # so no value below is a None left by a problem
    assert calendar is not None  # parsed, or check() raised its problems
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
        sound,
        source,
        tuple(r.notes),
    )
