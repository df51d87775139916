"""Hypothesis strategies for config files people actually get wrong, and the error rule.

Two kinds of input: text with TOML's own punctuation in random order (most of it is
not TOML at all), and *near-valid* files: the real sections and keys of the config,
holding values of the wrong type, out of range, almost-durations ("45", "-5m",
"1e400s"), odd text (newlines, NUL, quotes) or tables where a value belongs. The
second kind reaches the validator, which is where a traceback would hide.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime, time
from typing import Any

from hypothesis import strategies as st

from movebreak.config.errors import ConfigError
from movebreak.config.validate import SECTION_KEYS

PATH = "config.toml"
# The validator's own table, so a key added there is fuzzed without a change here.
SECTIONS: dict[str, tuple[str, ...]] = {
    **SECTION_KEYS,
    "calendar": ("me", "refresh", "audio_reminder", "timeout", "max_feed_size"),
}
STEP_KEYS = ("name", "instruction", "duration", "reps", "time", "each_side", "section")
ROUTINE_KEYS = ("title", "summary", "pick", "tags")
SOURCE_KEYS = ("name", "path", "url", "kind", "refresh")
RULE_KEYS = ("match", "regex", "kind", "calendar", "fields")
ROUTINE_IDS = ("reset", "morning", "meeting-stand", "standing-block", "eyes", "Bad Id", "")

_PROBLEM = re.compile(r"^(?P<path>[^\n]*?):(?P<line>\d+): (?P<rest>.+)$")

# Text a person might type where a duration, time, day or kind belongs.
NEAR_VALID = st.sampled_from([
    "45m", "1h30m", "90s", "0s", "-5m", "5", "1.5h", "1e400s", "99999999999999999h",
    "9999999999d", "nan", "inf", "09:00", "9:5", "24:00", "23:60", "first-activity", "off",
    "mon", "Monday", "funday", "10-15", "15-10", "30-45s", "0-0", "0", "video", "audio",
    "in_person", "none", "local", "Europe/Berlin", "Mars/Olympus", "../etc/passwd",
    "https://example.com/cal.ics", "webcal://x", "~/cal.ics", "(", "[a-", "", " ", "a\nb",
    "tab\there", "nul\x00", 'quote"', "back\\slash", "é", "\u202e",
])
SCALARS = st.one_of(
    NEAR_VALID,
    st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.times(),
    st.dates(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(["a", "name", "every"]), inner,
                                            max_size=2)),
    max_leaves=6,
)


def toml_value(value: Any) -> str:
    """``value`` written as TOML (strings as basic strings with every control escaped)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + ", ".join(pairs) + " }"
    raise TypeError(value)


@st.composite
def near_valid_files(draw: st.DrawFn) -> str:
    """A config file with real sections and keys holding awkward values."""
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(f"timezone = {toml_value(draw(VALUES))}")
    for section in draw(st.lists(st.sampled_from(sorted(SECTIONS)), max_size=4, unique=True)):
        lines.append(f"\n[{section}]")
        keys = draw(st.lists(st.sampled_from((*SECTIONS[section], "unknown_key")), max_size=4,
                             unique=True))
        lines += [f"{key} = {toml_value(draw(VALUES))}" for key in keys]
    for rid in draw(st.lists(st.sampled_from(ROUTINE_IDS), max_size=2, unique=True)):
        lines += _table(draw, f"routines.{json.dumps(rid)}", ROUTINE_KEYS, header="[{}]")
        for _ in range(draw(st.integers(0, 2))):
            lines += _table(draw, f"routines.{json.dumps(rid)}.steps", STEP_KEYS)
    for _ in range(draw(st.integers(0, 2))):
        lines += _table(draw, "calendar.sources", SOURCE_KEYS)
    for _ in range(draw(st.integers(0, 1))):
        lines += _table(draw, "calendar.rules", RULE_KEYS)
    return "\n".join(lines) + "\n"


def _table(draw: st.DrawFn, name: str, keys: tuple[str, ...], header: str = "[[{}]]"
           ) -> list[str]:
    chosen = draw(st.lists(st.sampled_from(keys), max_size=len(keys), unique=True))
    return ["", header.format(name), *(f"{k} = {toml_value(draw(VALUES))}" for k in chosen)]


TOMLISH = st.lists(
    st.sampled_from([*'[]{}=".,#\'\n \t-:\\', "reset", "every", "work", "days", '"45m"',
                     "true", "1", "routines", "steps"]),
    max_size=40,
).map("".join)


def assert_clean_problems(error: ConfigError, text: str, path: str = PATH) -> None:
    """Every problem is one line, ``FILE:LINE: KEY: message`` or ``FILE:LINE: message``.

    LINE must be a line of the file (1 to one past the last, for "at end of
    document"), so that an editor can jump there.
    """
    assert error.problems, "a ConfigError must say what is wrong"
    last = max(1, len(text.splitlines()) + 1)
    for problem in error.problems:
        shown = str(problem)
        assert "\n" not in shown and "\r" not in shown, f"a problem spans lines: {shown!r}"
        match = _PROBLEM.match(shown)
        assert match, f"not FILE:LINE: ...: {shown!r}"
        assert match["path"] == path, shown
        line = int(match["line"])
        assert 1 <= line <= last, f"line {line} is not in the file: {shown!r}"
        assert problem.message.strip(), shown
        if problem.key:
            assert match["rest"] == f"{problem.key}: {problem.message}", shown
        else:
            assert match["rest"] == problem.message, shown
