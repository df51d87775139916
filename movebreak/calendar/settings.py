"""The ``[calendar]`` table of the config: which calendars to read and how to judge them.

Proposed TOML shape (every key optional; no sources means no calendar at all)::

    [calendar]
    me = ["ana@example.com", "ana.smith@corp.example"]  # your addresses: decide "declined"
    refresh = "15m"          # how often feeds are fetched (at least 1m)
    audio_reminder = "20m"   # during a long audio call, a walking nudge this often; "off"
    timeout = "15s"          # per feed request
    max_feed_size = "20MB"   # a larger feed is refused and the last good copy kept

    [[calendar.sources]]
    name = "work"            # optional; defaults to the file name or the host
    url = "webcal://outlook.office365.com/owa/calendar/.../calendar.ics"  # https/http/webcal
    refresh = "5m"           # optional, overrides calendar.refresh for this feed

    [[calendar.sources]]
    name = "calls"
    path = "~/Calendars/calls"   # an .ics file or a folder of them; relative to the config
    kind = "audio"           # default for events that carry no evidence of their own

    [[calendar.rules]]        # first matching rule wins; forced kinds beat detection
    match = "standup"         # keyword: whole words, any case ...
    # regex = "(?i)walk.*1:1" # ... or a Python regular expression
    kind = "audio"            # video | audio | in_person | none
    calendar = "work"         # optional: only events from this source
    fields = ["summary"]      # optional: summary, location, description, categories, url

A rule with ``calendar`` and no ``match``/``regex`` forces every event of that calendar.
Cancelled, declined and all-day events stay ``none`` whatever the rules say.
Validation is pure (no file or network access): a path that does not exist yet is
reported when loading, since a mounted folder may come and go.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from movebreak.config.errors import ConfigError, Problem
from movebreak.core.calendar_settings import (
    DEFAULT_AUDIO_REMINDER,
    DEFAULT_MAX_FEED_BYTES,
    DEFAULT_REFRESH,
    DEFAULT_TIMEOUT,
    CalendarSettings,
    RuleSettings,
    SourceSettings,
)
from movebreak.core.durations import DurationError, format_duration, parse_duration
from movebreak.core.meeting_facts import MeetingKind
from movebreak.core.redact import redact_url

__all__ = [
    "CalendarSettings",
    "RuleSettings",
    "SourceSettings",
    "normalise_address",
    "normalise_feed_url",
    "parse_calendar_settings",
]

RULE_FIELDS = ("summary", "location", "description", "html_description", "categories", "url")
_TOP_KEYS = ("me", "refresh", "audio_reminder", "timeout", "max_feed_size", "sources", "rules")
_SOURCE_KEYS = ("name", "path", "url", "kind", "refresh")
_RULE_KEYS = ("match", "regex", "kind", "calendar", "fields")
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|kib|mib|gib)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {"b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3,
               "kib": 1024, "mib": 1024**2, "gib": 1024**3}


def normalise_feed_url(url: str) -> str:
    """``webcal://`` is https in disguise (httpx does not know the scheme)."""
    lowered = url.lower()
    if lowered.startswith("webcals://"):
        return "https://" + url[len("webcals://"):]
    if lowered.startswith("webcal://"):
        return "https://" + url[len("webcal://"):]
    return url


def normalise_address(address: str) -> str:
    """``MAILTO:Ana@Example.com`` -> ``ana@example.com``, as attendees are compared."""
    text = address.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower()


class _Problems:
    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, key: str, message: str) -> None:
        self.items.append(Problem(key, message))

    def unknown(self, table: dict[str, Any], prefix: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                self.add(f"{prefix}.{key}", f"unknown key; expected one of: {', '.join(allowed)}")


def _show(value: object) -> str:
    """A value as the user wrote it, on one line (newlines and NULs escaped)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _duration(value: object, minimum: timedelta | None = None) -> timedelta:
    if not isinstance(value, str):
        raise DurationError(f'expected a duration such as "15m", got {_show(value)}')
    parsed = parse_duration(value)
    if minimum is not None and parsed < minimum:
        raise DurationError(f"expected at least {format_duration(minimum)}, got {_show(value)}")
    return parsed


def _kind(value: object) -> MeetingKind:
    try:
        return MeetingKind(value)
    except ValueError:
        choices = ", ".join(k.value for k in MeetingKind)
        raise ValueError(f"expected one of {choices}, got {_show(value)}") from None


def _size(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = _SIZE.match(value) if isinstance(value, str) else None
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f'expected a size such as "20MB" or a number of bytes, got {_show(value)}')
    return int(float(match.group(1)) * _SIZE_UNITS[(match.group(2) or "b").lower()])


def parse_calendar_settings(raw: dict[str, Any], base_dir: Path) -> CalendarSettings:
    """Validate the ``[calendar]`` table; every problem is reported at once with its key.

    Raises :class:`~movebreak.config.errors.ConfigError` whose problems carry dotted
    keys such as ``calendar.sources[0].url``, so the config loader can add file:line.
    Feed URLs never appear in messages in full.
    """
    problems = _Problems()
    if not isinstance(raw, dict):
        raise ConfigError([Problem("calendar", f"expected a table [calendar], got {_show(raw)}")])
    problems.unknown(raw, "calendar", _TOP_KEYS)
    values: dict[str, Any] = {}
    for key, parse in (
        ("refresh", lambda v: _duration(v, timedelta(minutes=1))),
        ("timeout", lambda v: _duration(v)),
        ("max_feed_size", _size),
    ):
        if key in raw:
            try:
                values[key] = parse(raw[key])
            except ValueError as error:
                problems.add(f"calendar.{key}", str(error))
    if "audio_reminder" in raw:
        value = raw["audio_reminder"]
        if value in ("off", False):
            values["audio_reminder"] = None
        else:
            try:
                values["audio_reminder"] = _duration(value, timedelta(minutes=1))
            except ValueError as error:
                problems.add("calendar.audio_reminder", f'{error} (or "off")')
    me = _me(raw.get("me", []), problems)
    sources = _sources(raw.get("sources", []), base_dir, problems)
    names = {s.name for s in sources}
    rules = _rules(raw.get("rules", []), names, problems)
    if problems.items:
        raise ConfigError(problems.items)
    return CalendarSettings(
        sources=sources,
        me=me,
        refresh=values.get("refresh", DEFAULT_REFRESH),
        rules=rules,
        audio_reminder=values.get("audio_reminder", DEFAULT_AUDIO_REMINDER),
        timeout=values.get("timeout", DEFAULT_TIMEOUT),
        max_feed_bytes=values.get("max_feed_size", DEFAULT_MAX_FEED_BYTES),
    )


def _me(value: object, problems: _Problems) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        problems.add("calendar.me", f'expected a list of addresses such as ["ana@example.com"], '
                                    f"got {_show(value)}")
        return ()
    result = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or "@" not in item or not item.strip():
            problems.add(f"calendar.me[{i}]", f"expected an e-mail address, got {_show(item)}")
            continue
        result.append(normalise_address(item))
    return tuple(dict.fromkeys(result))


def _sources(value: object, base_dir: Path, problems: _Problems) -> tuple[SourceSettings, ...]:
    if not isinstance(value, list):
        problems.add("calendar.sources", "expected [[calendar.sources]] tables")
        return ()
    result: list[SourceSettings] = []
    seen: set[str] = set()
    for i, table in enumerate(value):
        key = f"calendar.sources[{i}]"
        if not isinstance(table, dict):
            problems.add(key, f"expected a table with path or url, got {_show(table)}")
            continue
        before = len(problems.items)
        problems.unknown(table, key, _SOURCE_KEYS)
        path = url = None
        if ("path" in table) == ("url" in table):
            problems.add(key, "give exactly one of path (a file or folder) or url (a feed)")
        elif "path" in table:
            if isinstance(table["path"], str) and table["path"].strip():
                path = Path(table["path"].strip()).expanduser()
                path = path if path.is_absolute() else base_dir / path
            else:
                shown = _show(table["path"])
                problems.add(f"{key}.path", f"expected a file or folder path, got {shown}")
        else:
            url = _url(table["url"], f"{key}.url", problems)
        kind = refresh = None
        if "kind" in table:
            try:
                kind = _kind(table["kind"])
            except ValueError as error:
                problems.add(f"{key}.kind", str(error))
        if "refresh" in table:
            try:
                refresh = _duration(table["refresh"], timedelta(minutes=1))
            except ValueError as error:
                problems.add(f"{key}.refresh", str(error))
        name = table.get("name")
        if name is None and path is None and url is None:
            continue  # already reported: no usable path or url to name it after
        if name is None:
            name = path.stem if path is not None else (urlsplit(url).hostname if url else "") or ""
        if not isinstance(name, str) or not name.strip():
            problems.add(f"{key}.name", f"expected a short name, got {_show(name)}")
            continue
        name = name.strip()
        if name in seen:
            problems.add(f"{key}.name", f'"{name}" is used by another source; names must differ')
        seen.add(name)
        if len(problems.items) == before:
            result.append(SourceSettings(name, path, url, kind, refresh))
    return tuple(result)


def _url(value: object, key: str, problems: _Problems) -> str | None:
    if not isinstance(value, str) or not value.strip():
        shown = _show(value) if not isinstance(value, str) else "an empty text"
        problems.add(key, f"expected a feed URL such as https://... or webcal://..., got {shown}")
        return None
    url = normalise_feed_url(value.strip())
    try:
        parts = urlsplit(url)
        ok = parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)
    except ValueError:
        ok = False
    if not ok:
        shown = redact_url(url)
        problems.add(key, f"expected an https://, http:// or webcal:// feed URL, got {shown}")
        return None
    return url


def _rules(value: object, names: set[str], problems: _Problems) -> tuple[RuleSettings, ...]:
    if not isinstance(value, list):
        problems.add("calendar.rules", "expected [[calendar.rules]] tables")
        return ()
    result = []
    for i, table in enumerate(value):
        key = f"calendar.rules[{i}]"
        if not isinstance(table, dict):
            problems.add(key, f"expected a table with match or regex and kind, got {_show(table)}")
            continue
        before = len(problems.items)
        problems.unknown(table, key, _RULE_KEYS)
        kind = None
        if "kind" not in table:
            problems.add(f"{key}.kind", "missing; say which kind the rule forces")
        else:
            try:
                kind = _kind(table["kind"])
            except ValueError as error:
                problems.add(f"{key}.kind", str(error))
        match = table.get("match")
        regex = table.get("regex")
        calendar = table.get("calendar")
        if match is not None and regex is not None:
            problems.add(key, "give match or regex, not both")
        if match is not None and (not isinstance(match, str) or not match.strip()):
            problems.add(f"{key}.match", f"expected a keyword, got {_show(match)}")
        if regex is not None:
            if not isinstance(regex, str) or not regex:
                problems.add(f"{key}.regex", f"expected a regular expression, got {_show(regex)}")
            else:
                try:
                    re.compile(regex)
                except re.error as error:
                    problems.add(f"{key}.regex", f"not a valid regular expression: {error}")
        if calendar is not None and (not isinstance(calendar, str) or calendar not in names):
            problems.add(f"{key}.calendar", f"no source is named {_show(calendar)}")
        if match is None and regex is None and calendar is None:
            problems.add(key, "give match, regex or calendar to say which events the rule is for")
        fields = table.get("fields", ["summary", "location", "categories"])
        if not isinstance(fields, list) or not fields or any(f not in RULE_FIELDS for f in fields):
            problems.add(f"{key}.fields", f"expected a list drawn from {', '.join(RULE_FIELDS)}")
        if len(problems.items) == before and kind is not None:
            result.append(RuleSettings(
                kind, match.strip() if isinstance(match, str) else None, regex, calendar,
                tuple(fields), i,
            ))
    return tuple(result)
