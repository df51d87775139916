"""Read typed values out of raw TOML tables, collecting a ``Problem`` for each bad one.

One reader for the whole config file: the main sections (``config.validate``) and the
``[calendar]`` table (``calendar.settings``) collect problems the same way, name them
by the same dotted keys (``reset.every``, ``calendar.sources[0].url``), show a bad
value the same way and parse durations with the same rules and words; the loader
then adds the file and line to each.

Hand-written rather than a schema library: the config is small, the messages must
read well to a person ("expected a duration such as "45m" or "1h30m", got
"soon""), and the app must not pay a heavy import for it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar, cast

from movebreak.config.errors import ConfigError, Problem
from movebreak.core.durations import DurationError, format_duration, parse_duration
from movebreak.core.words import Message, message_of

T = TypeVar("T")

#: What switches an optional duration off: ``"off"`` (or ``false``).
OFF = ("off", False)


class Reader:
    """Collects every problem of a file, so a person sees them all at once."""

    def __init__(self, base_dir: Path | None = None) -> None:
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []  # problems that lose a detail, not the config
        self.base_dir = base_dir or Path.cwd()  # where relative paths in the file start

    def fail(self, key: str, message: str) -> None:
        self.problems.append(Problem(key, message))

    def known(self, table: dict[str, Any], prefix: str, allowed: tuple[str, ...]) -> None:
        """A problem for each key of ``table`` not in ``allowed``; ``prefix`` ends in a dot."""
        for key in table:
            if key not in allowed:
                self.fail(f"{prefix}{key}", Message("unknown key; expected one of: {keys}",
                                                    keys=", ".join(allowed)))

    def table(self, raw: dict[str, Any], key: str) -> dict[str, Any]:
        """The sub-table ``raw[key]`` (empty when absent or, with a problem, not a table)."""
        value = raw.get(key, {})
        if not isinstance(value, dict):
            self.fail(key, Message("expected a table such as [{key}], got {value}", key=key,
                                   value=show(value)))
            return {}
        return value

    def value(
        self, raw: dict[str, Any], name: str, key: str, parse: Callable[[Any], T]
    ) -> T:
        """``parse(raw[name])``; with a problem at ``key`` when missing or bad.

        Typed ``T`` though a missing or bad value comes back as None: every caller
        calls :meth:`check` before it uses what it read, and ``check`` raises when
        there was a problem, so no None reaches a ``Config``. (The alternative, an
        ``Optional`` on every field of every settings class, would let the core ask
        again whether a value is there: the question this reader exists to settle.)
        """
        if name not in raw:
            self.fail(key, Message("missing"))
            return cast(T, None)
        return self.optional(raw, name, key, parse, cast(T, None))

    def optional(
        self, raw: dict[str, Any], name: str, key: str, parse: Callable[[Any], T], default: T
    ) -> T:
        """``parse(raw[name])``, ``default`` when absent; None (see :meth:`value`), with
        a problem, when bad."""
        if name not in raw:
            return default
        try:
            return parse(raw[name])
        except (ValueError, TypeError) as error:
            self.fail(key, message_of(error))
            return cast(T, None)

    def check(self) -> None:
        """Raise every problem found so far, if any."""
        if self.problems:
            raise ConfigError(self.problems)


def show(value: object) -> str:
    """A value as the user wrote it, on one line (newlines and NULs escaped)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(Message("expected true or false, got {value}", value=show(value)))
    return value


def text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(Message("expected some text in quotes, got {value}", value=show(value)))
    return value.strip()


def duration(value: object, minimum: timedelta | None = None) -> timedelta:
    """A duration such as "45m" or "1h30m", at least ``minimum`` when given."""
    if not isinstance(value, str):
        raise DurationError(Message('expected a duration such as "45m" or "1h30m", got {value}',
                                    value=show(value)))
    parsed = parse_duration(value)
    if minimum is not None and parsed < minimum:
        raise DurationError(Message("expected at least {minimum}, got {value}",
                                    minimum=format_duration(minimum), value=show(value)))
    return parsed


def optional_duration(value: object, minimum: timedelta | None = None) -> timedelta | None:
    """A duration as :func:`duration`, or None for "off"."""
    if value in OFF:
        return None
    try:
        return duration(value, minimum)
    except DurationError as error:
        raise DurationError(Message('{error} (or "off")', error=message_of(error))) from None
